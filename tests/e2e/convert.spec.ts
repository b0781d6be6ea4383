import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { tempDir, type TempDir } from '../interop/tools';
import { openssl, saveDownload } from './flows';
import { collectPageErrors } from './pageErrors';

// Convert PKCS#12 in Chromium: files made by OpenSSL (tests/fixtures/make-p12-fixtures.sh) are
// opened in the page and saved in the other profile, then opened by the real OpenSSL and keytool.

const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f'; // in the fixtures' CN
const FIXTURE_PASSWORD = 'correct horse';
const NEW_PASSWORD = 'Convert-Horse-Battery-8';

let dir: TempDir;
let pageErrors: string[];

test.beforeAll(async () => {
  dir = await tempDir('appcert-convert-e2e-');
  const made = spawnSync('bash', ['tests/fixtures/make-p12-fixtures.sh', dir.file('fixtures')], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
});
test.afterAll(async () => {
  await dir?.remove();
});
test.beforeEach(({ page }) => {
  pageErrors = collectPageErrors(page);
});
test.afterEach(() => expect(pageErrors).toEqual([]));

async function openFile(page: Page, fixture: string, password: string) {
  await page.getByLabel('PKCS#12 file', { exact: true }).setInputFiles(dir.file(`fixtures/${fixture}`));
  await expect(page.getByTestId('p12-file-name')).toHaveText(fixture);
  await page.getByLabel('Password of the PKCS#12 file', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

async function exportP12(page: Page, profile: RegExp): Promise<string> {
  await page.getByRole('radio', { name: profile }).check();
  await page.getByLabel('Password for the PKCS#12 file').fill(NEW_PASSWORD);
  await page.getByLabel('Type the PKCS#12 password again').fill(NEW_PASSWORD);
  return saveDownload(page, `Download app-${APP_ID}.p12`, dir.path);
}

const keytoolList = (file: string) =>
  spawnSync('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', file, '-storepass', NEW_PASSWORD], { encoding: 'utf8' });

test("OpenSSL's legacy (RC2) PKCS#12 becomes modern, after a wrong password is explained", async ({ page }) => {
  // PBKDF2 in the page and real tools (OpenSSL, keytool) in one test: a busy two-core runner needs more than the default minute.
  test.slow();
  await page.goto('./#convert');
  await openFile(page, 'rsa-legacy.p12', 'wrong horse');
  await expect(page.getByLabel('Password of the PKCS#12 file', { exact: true })).toHaveAccessibleDescription(/The password is wrong/);
  await expect(page.getByLabel('Password of the PKCS#12 file', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('p12-file-name')).toHaveText('rsa-legacy.p12');

  await page.getByLabel('Password of the PKCS#12 file', { exact: true }).fill(FIXTURE_PASSWORD);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('convert-summary')).toContainText(
    `Opened a legacy PKCS#12 file: a private key and 1 certificate for app ${APP_ID}. Below, the new file is preselected in the modern profile`,
  );

  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => v.id)).toEqual([]);

  const p12 = await exportP12(page, /^Modern/);
  const info = openssl('pkcs12', '-info', '-nodes', '-in', p12, '-passin', `pass:${NEW_PASSWORD}`);
  expect(info).toContain('MAC: sha256');
  expect(info).toContain('PBES2, PBKDF2, AES-256-CBC');
  expect(info).not.toContain('RC2');
  expect(info).toContain(`subject=CN = ${APP_ID}`);
  const keytool = keytoolList(p12);
  expect(keytool.status, keytool.stdout + keytool.stderr).toBe(0);
  expect(keytool.stdout).toContain(`Alias name: app-${APP_ID}`);
  expect(keytool.stdout).toContain('Entry type: PrivateKeyEntry');

  // The same identity as PEM: an encrypted key that OpenSSL opens and that belongs to the certificate.
  await page.getByLabel('Password for the key file').fill(NEW_PASSWORD);
  await page.getByLabel('Type the password again', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Make the encrypted key file' }).click();
  const key = await saveDownload(page, `Download app-${APP_ID}.key`, dir.path);
  const certificate = await saveDownload(page, `Download app-${APP_ID}.crt`, dir.path);
  expect(openssl('rsa', '-in', key, '-passin', `pass:${NEW_PASSWORD}`, '-noout', '-modulus')).toBe(
    openssl('x509', '-in', certificate, '-noout', '-modulus'),
  );
  expect(openssl('x509', '-in', certificate, '-noout', '-fingerprint')).toBe(
    openssl('x509', '-in', dir.file('fixtures/rsa.crt'), '-noout', '-fingerprint'),
  );
});

test('a modern PKCS#12 with an extra CA certificate becomes legacy 3DES, nothing dropped', async ({ page }) => {
  await page.goto('./#convert');
  await openFile(page, 'rsa-chain.p12', FIXTURE_PASSWORD);
  await expect(page.getByTestId('convert-summary')).toContainText('Opened a modern PKCS#12 file: a private key and 2 certificates');
  // The fixture's "Test CA" did not issue the (self-signed) leaf: it is shown apart, and kept.
  await expect(page.getByTestId('chain').getByRole('listitem')).toHaveCount(1);
  await expect(page.getByTestId('other-certificates')).toContainText('CN = Test CA');

  const p12 = await exportP12(page, /^Legacy compatibility/);
  // Without -legacy: OpenSSL 3 opens the 3DES profile with its default provider.
  const info = openssl('pkcs12', '-info', '-nodes', '-in', p12, '-passin', `pass:${NEW_PASSWORD}`);
  expect(info).toContain('MAC: sha1');
  expect(info).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
  expect(info).toContain('subject=CN = Test CA');
  const keytool = keytoolList(p12);
  expect(keytool.status, keytool.stdout + keytool.stderr).toBe(0);
  expect(keytool.stdout).toContain('Entry type: PrivateKeyEntry');
});

test('a file that is not PKCS#12 is named as such', async ({ page }) => {
  await page.goto('./#convert');
  await openFile(page, 'rsa.crt', FIXTURE_PASSWORD);
  // Shown at the file, which is kept: the Remove button gets focus and is described by the message.
  const remove = page.getByRole('button', { name: 'Remove rsa.crt' });
  await expect(remove).toBeFocused();
  await expect(remove).toHaveAccessibleDescription(/^This is not a PKCS#12 \(\.p12\/\.pfx\) file/);
});
