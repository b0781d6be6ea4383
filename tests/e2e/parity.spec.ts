import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { identity } from '../interop/identities';
import { makePki } from '../interop/openssl-ca';
import { tempDir, type TempDir } from '../interop/tools';
import { axeViolations } from './axe';
import { collectPageErrors } from './pageErrors';

// Complete and Convert behave like Create: a problem is shown at the field it is about and focus
// goes there; a chain that appcert merely put in order is information, a real gap a warning;
// Convert names the profile it preselected. And the navigation stays one row on a phone.

const APP_ID = '3c2f4a1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
const KEY_PASSWORD = 'correct horse battery'; // identity()'s default key password
const P12_PASSWORD = 'correct horse'; // tests/fixtures/make-p12-fixtures.sh
const JOIN = 'Check and join key and certificate';

let dir: TempDir;
let files: { key: string; leaf: string; issuing: string; root: string; p12: string };
let pageErrors: string[];

test.beforeAll(async () => {
  dir = await tempDir('appcert-parity-e2e-');
  const pki = await makePki(dir, 'Parity Corp');
  const request = await identity({ mode: 'csr', placement: 'oid', appId: APP_ID, keyType: 'ec-p256' });
  files = {
    key: await dir.write(`app-${APP_ID}.key`, request.privateKeyPem),
    leaf: await pki.sign(await dir.write('request.csr', request.csrPem ?? ''), 'leaf.crt'),
    issuing: pki.issuing.certificate,
    root: pki.root.certificate,
    p12: dir.file('fixtures'),
  };
  const made = spawnSync('bash', ['tests/fixtures/make-p12-fixtures.sh', files.p12], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
});
test.afterAll(async () => {
  await dir?.remove();
});
test.beforeEach(({ page }) => {
  pageErrors = collectPageErrors(page);
});
test.afterEach(() => expect(pageErrors).toEqual([]));

async function fillComplete(page: Page, certificates: string[], password: string) {
  await page.goto('./#complete');
  await page.getByLabel('Private key file').setInputFiles(files.key);
  await expect(page.getByTestId('key-file-name')).toHaveText(`app-${APP_ID}.key`);
  await page.getByLabel('Certificate files').setInputFiles(certificates);
  await expect(page.getByRole('list', { name: 'Chosen certificate files' }).getByRole('listitem')).toHaveCount(certificates.length);
  await page.getByLabel('Password of the key file', { exact: true }).fill(password);
  await page.getByRole('button', { name: JOIN }).click();
}

test('Complete: a wrong key password is shown at the password field, which gets focus; nothing is lost', async ({ page }) => {
  await fillComplete(page, [files.root, files.leaf, files.issuing], 'wrong horse');
  const password = page.getByLabel('Password of the key file', { exact: true });
  await expect(password).toBeFocused();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/^The password chosen when the CSR was made\..*The password is wrong/);
  await expect(page.locator('#complete-password-error')).toContainText('The password is wrong');
  // The error is at the field only: no second copy at the foot of the form.
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Nothing was joined yet: see the marked field.' })).toBeVisible();
  await expect(password).toHaveValue('wrong horse');
  await expect(page.getByTestId('key-file-name')).toHaveText(`app-${APP_ID}.key`);
  await expect(page.getByRole('list', { name: 'Chosen certificate files' }).getByRole('listitem')).toHaveCount(3);
  await expect(page.getByLabel('App UUID', { exact: true })).toHaveValue(APP_ID);
  expect(await axeViolations(page)).toEqual([]);

  // The right password clears the mark and joins.
  await password.fill(KEY_PASSWORD);
  await page.getByRole('button', { name: JOIN }).click();
  await expect(page.getByTestId('complete-summary')).toContainText(`The key matches the certificate for app ${APP_ID}`);
  await expect(password).not.toHaveAttribute('aria-invalid', 'true');
});

test('Complete: a chain given out of order is information, not a warning', async ({ page }) => {
  await fillComplete(page, [files.root, files.leaf, files.issuing], KEY_PASSWORD);
  await expect(page.getByTestId('complete-summary')).toContainText('Chain: 3 certificates, leaf first.');
  const note = page.getByTestId('chain-note');
  await expect(note).toHaveCount(1);
  await expect(note).toHaveAttribute('data-severity', 'info');
  await expect(note).toHaveText(
    'The certificates were given out of order; they are now ordered leaf first, then each issuer, as TLS clients send them.',
  );
  await expect(note).toHaveClass(/\bhint\b/);
  expect(await axeViolations(page)).toEqual([]);
});

test('Complete: a chain with a missing issuer stays a warning', async ({ page }) => {
  await fillComplete(page, [files.leaf, files.issuing], KEY_PASSWORD);
  await expect(page.getByTestId('complete-summary')).toContainText('Chain: 2 certificates, leaf first.');
  const note = page.getByTestId('chain-note');
  await expect(note).toHaveCount(1);
  await expect(note).toHaveAttribute('data-severity', 'warning');
  await expect(note).toHaveClass(/\bwarning\b/);
  await expect(note).toHaveText(
    'Warning: The chain stops at a certificate issued by "O = Parity Corp, CN = Parity Corp Root CA", which was not given. That is fine if DSM trusts that CA; otherwise add its certificate.',
  );
});

test("Convert: the text names the profile that is preselected, the other one than the file's", async ({ page }) => {
  const advanced = page.getByTestId('p12-export').locator('summary');
  await page.goto('./#convert');
  for (const { fixture, from, to, radio } of [
    { fixture: 'rsa-legacy.p12', from: 'legacy', to: 'modern', radio: /^Modern/ },
    { fixture: 'rsa-default.p12', from: 'modern', to: 'legacy compatibility', radio: /^Legacy compatibility/ },
  ]) {
    await page.getByLabel('PKCS#12 file', { exact: true }).setInputFiles(`${files.p12}/${fixture}`);
    await expect(page.getByTestId('p12-file-name')).toHaveText(fixture);
    await page.getByLabel('Password of the PKCS#12 file', { exact: true }).fill(P12_PASSWORD);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByTestId('convert-summary')).toContainText(
      `Opened a ${from} PKCS#12 file: a private key and 1 certificate for app da7f2800-4122-4681-aebf-90beb779b73f. Below, the new file is preselected in the ${to} profile`,
    );
    await expect(page.getByRole('radio', { name: radio })).toBeChecked();
    await expect(advanced.first()).toHaveText(`Advanced: encryption profile (${to})`);
    await page.getByRole('button', { name: `Remove ${fixture}` }).click();
  }
});

test('Convert: a wrong password is shown at the password field, which gets focus', async ({ page }) => {
  await page.goto('./#convert');
  await page.getByLabel('PKCS#12 file', { exact: true }).setInputFiles(`${files.p12}/rsa-legacy.p12`);
  const password = page.getByLabel('Password of the PKCS#12 file', { exact: true });
  await password.fill('wrong horse');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(password).toBeFocused();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/The password is wrong/);
  await expect(page.getByTestId('p12-file-name')).toHaveText('rsa-legacy.p12');
  expect(await axeViolations(page)).toEqual([]);
});

test.describe('a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the navigation is one row, names each screen in full and marks the current one', async ({ page }) => {
    await page.goto('./#convert');
    const nav = page.getByRole('navigation', { name: 'Screens' });
    const links = nav.getByRole('link');
    await expect(links).toHaveCount(5);
    const navBox = await nav.boundingBox();
    const boxes = await Promise.all((await links.all()).map((link) => link.boundingBox()));
    const tops = boxes.map((box) => box?.y ?? -1);
    expect(new Set(tops).size, `link tops ${tops.join(', ')}`).toBe(1);
    const linkHeight = boxes[0]?.height ?? 0;
    expect(linkHeight).toBeGreaterThan(0);
    expect(navBox?.height ?? Infinity).toBeLessThan(linkHeight * 1.5);
    // Every link fits without scrolling the row sideways at this width.
    expect(await nav.locator('ul').evaluate((ul) => ul.scrollWidth - ul.clientWidth)).toBeLessThanOrEqual(0);

    // Short words on screen, the whole title as each link's name; the current screen is marked.
    await expect(links).toHaveText(['Create', 'Complete a CSR', 'Convert PKCS#12', 'Verify', 'About & privacy']);
    await expect(nav.getByRole('link', { name: 'Convert PKCS#12' })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('nav a[aria-current]')).toHaveCount(1);

    // By keyboard: Tab reaches the next link, Enter opens its screen.
    await nav.getByRole('link', { name: 'Convert PKCS#12' }).focus();
    await page.keyboard.press('Tab');
    await expect(nav.getByRole('link', { name: 'Verify' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Verify' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Verify' })).toHaveAttribute('aria-current', 'page');
    expect(await axeViolations(page)).toEqual([]);
  });
});
