import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { identity } from '../interop/identities';
import { makePki, type TestPki } from '../interop/openssl-ca';
import { tempDir, type TempDir } from '../interop/tools';
import { openssl, saveDownload } from './flows';
import { collectPageErrors } from './pageErrors';

// The CSR round trip through the Complete screen: appcert's core makes the key and CSR (as the
// Create screen does), a throwaway OpenSSL CA signs it, the user loads both into the page, and the
// downloaded PKCS#12 and chain are opened by the real OpenSSL and keytool.

const APP_ID = '5b0e7b8e-2f43-4c37-9d39-3f1b2c6f8a10';
const KEY_PASSWORD = 'correct horse battery';
const P12_PASSWORD = 'Roundtrip-Horse-Battery-4';

let dir: TempDir;
let pki: TestPki;
let keyFile: string;
let leafFile: string;
let bundleFile: string;
let pageErrors: string[];

/** Accessibility problems axe finds on the page as it is now (results shown, errors marked). */
async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

test.beforeAll(async () => {
  dir = await tempDir('appcert-roundtrip-e2e-');
  pki = await makePki(dir, 'E2E Corp');
  const request = await identity({ mode: 'csr', placement: 'oid', appId: APP_ID, keyType: 'rsa-2048' });
  keyFile = await dir.write(`app-${APP_ID}.key`, request.privateKeyPem);
  leafFile = await pki.sign(await dir.write('request.csr', request.csrPem ?? ''), 'signed-by-ca.crt');
  // The CA's chain as one file, root first, as many CAs send it.
  const ca = await pki.caPem();
  bundleFile = await dir.write('ca-chain.pem', ca.root + ca.issuing);
});

test.afterAll(async () => {
  await dir?.remove();
});

test.beforeEach(({ page }) => {
  pageErrors = collectPageErrors(page);
});
test.afterEach(() => expect(pageErrors).toEqual([]));

test('a CA-signed certificate is joined with its key, and the PKCS#12 opens in OpenSSL and keytool', async ({ page }) => {
  // PBKDF2 in the page and real tools (OpenSSL, keytool) in one test: a busy two-core runner needs more than the default minute.
  test.slow();
  await page.goto('./#complete');
  await page.getByLabel('Private key file').setInputFiles(keyFile);
  await expect(page.getByTestId('key-file-name')).toHaveText(`app-${APP_ID}.key`);
  await expect(page.getByLabel('App UUID', { exact: true })).toHaveValue(APP_ID);
  await page.getByLabel('Certificate files').setInputFiles([bundleFile, leafFile]);
  await expect(page.getByRole('list', { name: 'Chosen certificate files' }).getByRole('listitem')).toHaveCount(2);

  // A wrong password first: a clear message at the field, and nothing typed or chosen is lost.
  await page.getByLabel('Password of the key file', { exact: true }).fill('wrong horse');
  await page.getByRole('button', { name: 'Check and join key and certificate' }).click();
  await expect(page.getByLabel('Password of the key file', { exact: true })).toHaveAccessibleDescription(/The password is wrong/);
  await expect(page.getByLabel('Password of the key file', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('key-file-name')).toHaveText(`app-${APP_ID}.key`);
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Password of the key file', { exact: true }).fill(KEY_PASSWORD);
  await page.getByRole('button', { name: 'Check and join key and certificate' }).click();
  await expect(page.getByTestId('complete-summary')).toContainText(
    `The key matches the certificate for app ${APP_ID}, with the UUID in the OID attribute. Chain: 3 certificates, leaf first.`,
  );
  const chain = page.getByTestId('chain').getByRole('listitem');
  await expect(chain).toHaveCount(3);
  await expect(chain.nth(0)).toContainText('Your certificate');
  await expect(chain.nth(1)).toContainText('CN = E2E Corp Issuing CA');
  await expect(chain.nth(2)).toContainText('Root CA');
  expect(await axeViolations(page)).toEqual([]);

  // The full chain PEM: OpenSSL verifies the leaf against the root through the issuing CA.
  const chainPem = await saveDownload(page, `Download app-${APP_ID}-chain.pem`, dir.path);
  const [leafOut, issuingOut] = (await readFile(chainPem, 'utf8')).split(/(?<=-----END CERTIFICATE-----\n)/);
  await dir.write('chain-leaf.pem', leafOut);
  await dir.write('chain-issuing.pem', issuingOut);
  expect(
    openssl('verify', '-CAfile', pki.root.certificate, '-untrusted', dir.file('chain-issuing.pem'), dir.file('chain-leaf.pem')),
  ).toContain(': OK');

  // PKCS#12 in the legacy profile, chain included: what the client picker gives Java 8.
  await page.getByLabel('Where will the key live?').selectOption({ label: 'Java 8' });
  await expect(page.getByText('Advanced: encryption profile (legacy compatibility)')).toBeVisible();
  await page.getByLabel('Password for the PKCS#12 file').fill(P12_PASSWORD);
  await page.getByLabel('Type the PKCS#12 password again').fill(P12_PASSWORD);
  const p12 = await saveDownload(page, `Download app-${APP_ID}.p12`, dir.path);
  const info = openssl('pkcs12', '-info', '-nodes', '-in', p12, '-passin', `pass:${P12_PASSWORD}`);
  expect(info).toContain('MAC: sha1');
  expect(info).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
  expect(info.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
  expect(info).toContain('subject=O = E2E Corp, CN = E2E Corp Issuing CA');
  expect(info).toContain(`1.3.6.1.4.1.49690.1.2.1 = ${APP_ID}`);
  const keytool = spawnSync('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', p12, '-storepass', P12_PASSWORD], {
    encoding: 'utf8',
  });
  expect(keytool.status, keytool.stdout + keytool.stderr).toBe(0);
  expect(keytool.stdout).toContain('Entry type: PrivateKeyEntry');
  expect(keytool.stdout).toContain('Certificate chain length: 3');
});

test('a key from another CSR and a CSR in place of the certificate get their own messages', async ({ page }) => {
  const other = await identity({ mode: 'csr', placement: 'oid', appId: APP_ID });
  const otherKey = await dir.write('other-app.key', other.privateKeyPem);
  await page.goto('./#complete');
  await page.getByLabel('Private key file').setInputFiles(otherKey);
  await expect(page.getByTestId('key-file-name')).toHaveText('other-app.key');
  await page.getByLabel('Password of the key file', { exact: true }).fill(KEY_PASSWORD);
  await page.getByLabel('App UUID', { exact: true }).fill(APP_ID);
  await page.getByLabel('Certificate files').setInputFiles(leafFile);
  await page.getByRole('button', { name: 'Check and join key and certificate' }).click();
  const certificateFiles = page.getByLabel('Certificate files', { exact: true });
  await expect(certificateFiles).toHaveAccessibleDescription(/The private key does not belong to this certificate/);
  await expect(certificateFiles).toBeFocused();

  await page.getByRole('button', { name: 'Remove signed-by-ca.crt' }).click();
  const pasted = page.getByLabel("…or paste the certificates' PEM text");
  await pasted.fill(other.csrPem ?? '');
  await page.getByRole('button', { name: 'Check and join key and certificate' }).click();
  // Only pasted text was given: the message is shown there, and focus goes there.
  await expect(pasted).toHaveAccessibleDescription(
    /The pasted text, block 1 is the certificate request \(CSR\), not the certificate the CA signed from it/,
  );
  await expect(pasted).toHaveAttribute('aria-invalid', 'true');
  await expect(pasted).toBeFocused();
  await expect(page.getByLabel('Certificate files')).not.toHaveAttribute('aria-invalid', 'true');
});
