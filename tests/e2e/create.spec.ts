import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type Response } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectPageErrors } from './pageErrors';

// The Create screen as a user drives it, with every downloaded file checked by the real OpenSSL.

const APP_ID = 'acc15bf3-e626-47aa-9373-7b08b3f26ee8';
const PASSWORD = 'Correct-Horse-Battery-9';
const OID = '1.3.6.1.4.1.49690.1.2.1';

let dir: string;
let pageErrors: string[];
test.beforeEach(({ page }) => {
  dir = mkdtempSync(join(tmpdir(), 'appcert-create-e2e-'));
  // Nothing may reach the console unhandled, whatever the user typed.
  pageErrors = collectPageErrors(page);
});
test.afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

/** Runs OpenSSL and returns what it printed; a non-zero exit fails the test with OpenSSL's words. */
function openssl(...args: string[]): string {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  expect(run.status, `openssl ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return `${run.stdout}${run.stderr}`.trim();
}

const opensslFails = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' }).status !== 0;

async function open(page: Page) {
  await page.goto('./#create');
  await expect(page.getByLabel('App UUID')).toBeVisible();
}

async function setPassword(page: Page, password = PASSWORD) {
  await page.getByLabel('Password for the key file').fill(password);
  await page.getByLabel('Type the password again').fill(password);
}

/** Clicks a result's Download button and saves the file into the test's temp folder. */
async function save(page: Page, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download ${name}` }).click()]);
  expect(download.suggestedFilename()).toBe(name);
  const path = join(dir, name);
  await download.saveAs(path);
  return path;
}

async function generate(page: Page) {
  await page.getByRole('button', { name: /^Generate key and/ }).click();
  await expect(page.getByTestId('result-summary')).toBeVisible({ timeout: 30_000 });
}

test('OID placement: a self-signed RSA-2048 certificate and encrypted key that OpenSSL reads as previewed', async ({ page }) => {
  await open(page);
  await page.getByLabel('App UUID').fill(APP_ID);
  await page.getByLabel('In the Fortanix attribute (OID)').check();
  await page.getByLabel('Country (C)').fill('US');
  await page.getByLabel('Organization (O)').fill('Example Corp');
  await page.getByLabel('Common name (CN)').fill('payments.example.com');
  await page.getByLabel('Alternative names').fill('payments.example.com, team@example.com');
  await expect(page.getByLabel('Key type')).toHaveValue('rsa-2048');
  await setPassword(page);

  const preview = page.getByTestId('subject-preview');
  await expect(preview).toHaveText(`subject=C = US, O = Example Corp, CN = payments.example.com, ${OID} = ${APP_ID}`);
  const previewText = (await preview.textContent()) ?? '';

  await generate(page);
  const crt = `app-${APP_ID}.crt`;
  const key = `app-${APP_ID}.key`;
  await expect(page.getByTestId('result-summary')).toContainText(`Created a self-signed certificate for app ${APP_ID}`);
  await expect(page.getByTestId('result-summary')).toContainText('It expires on');
  await expect(page.getByTestId('auth-command')).not.toContainText('-u ');
  await expect(page.getByText('Not downloaded yet')).toBeVisible();

  const certPath = await save(page, crt);
  const keyPath = await save(page, key);
  await expect(page.getByText('Downloaded.', { exact: true })).toBeVisible();

  const subject = openssl('x509', '-in', certPath, '-noout', '-subject');
  expect(subject).toContain(`${OID} = ${APP_ID}`);
  expect(subject).toBe(previewText);

  const text = openssl('x509', '-in', certPath, '-noout', '-text');
  expect(text).toContain('Public-Key: (2048 bit)');
  expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
  expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
  expect(text).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Client Authentication/);
  expect(text).toContain('X509v3 Subject Key Identifier');
  expect(text).toContain('X509v3 Authority Key Identifier');
  expect(text).toMatch(/X509v3 Subject Alternative Name:\s+DNS:payments\.example\.com, email:team@example\.com/);
  expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');

  expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  const keyPublic = openssl('pkey', '-in', keyPath, '-passin', `pass:${PASSWORD}`, '-pubout');
  expect(keyPublic).toBe(openssl('x509', '-in', certPath, '-noout', '-pubkey'));
  expect(opensslFails('pkey', '-in', keyPath, '-passin', 'pass:wrong-password', '-pubout')).toBe(true);
});

test('a malformed UUID shows its message next to the field, keeps the text and generates nothing', async ({ page }) => {
  let downloads = 0;
  page.on('download', () => downloads++);
  await open(page);
  const uuid = page.getByLabel('App UUID');
  const typed = 'acc15bf3-e626-47aa-9373-7b08b3f26ee'; // one digit short
  await uuid.fill(typed);
  await uuid.blur();
  const message = page.locator('#create-appId-error');
  await expect(message).toHaveText(
    'A UUID has 32 hexadecimal digits (36 characters with hyphens); this one has 31 digits. Copy it again from the DSM app page.',
  );
  await expect(uuid).toHaveAttribute('aria-invalid', 'true');
  await expect(uuid).toHaveAttribute('aria-describedby', /create-appId-error/);

  await setPassword(page);
  await page.getByRole('button', { name: /^Generate key and/ }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Nothing was generated yet' });
  await expect(summary).toContainText('one field needs attention');
  await expect(summary.getByRole('link')).toHaveText(/this one has 31 digits/);
  await summary.getByRole('link').click();
  await expect(uuid).toBeFocused();
  await expect(uuid).toHaveValue(typed);
  await expect(page.getByTestId('result-summary')).toHaveCount(0);
  await expect(page.getByTestId('subject-preview')).toHaveCount(0);

  // One pair of braces is obviously not meant and is left out; two are a question.
  await uuid.fill(`{{${APP_ID}}}`);
  await expect(message).toContainText('Remove the curly braces');
  expect(downloads).toBe(0);
});

test('CN placement: the UUID becomes the CN; an ECDSA P-256 key downloaded unencrypted after a warning', async ({ page }) => {
  await open(page);
  await page.getByLabel('App UUID').fill(APP_ID.toUpperCase());
  await expect(page.locator('#create-appId-note')).toHaveText(`Using ${APP_ID}: the same UUID in lower case, as DSM shows it.`);
  await page.getByLabel('In the subject CN').check();
  await expect(page.getByLabel('Common name (CN)')).toHaveValue(APP_ID);
  await expect(page.getByLabel('Common name (CN)')).toHaveAttribute('readonly', '');
  await page.getByLabel('Organization (O)').fill('Fortanix');
  await page.getByLabel('Email address').fill('ops@example.com');
  await page.getByLabel('Key type').selectOption('ec-p256');
  await page.getByLabel('Valid for (days)').fill('30');
  await page.getByLabel('Download the key unencrypted').check();
  await expect(page.getByText('The key file will not be encrypted')).toBeVisible();
  const previewText = (await page.getByTestId('subject-preview').textContent()) ?? '';
  expect(previewText).toBe(`subject=O = Fortanix, CN = ${APP_ID}, emailAddress = ops@example.com`);

  await generate(page);
  const certPath = await save(page, `app-${APP_ID}.crt`);
  const keyPath = await save(page, `app-${APP_ID}.key`);
  expect(openssl('x509', '-in', certPath, '-noout', '-subject')).toBe(previewText);
  const text = openssl('x509', '-in', certPath, '-noout', '-text');
  expect(text).toContain('ASN1 OID: prime256v1');
  expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
  const days = (Date.parse(openssl('x509', '-in', certPath, '-noout', '-enddate').replace('notAfter=', '')) - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThan(30.1);
  expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  expect(openssl('pkey', '-in', keyPath, '-pubout')).toBe(openssl('x509', '-in', certPath, '-noout', '-pubkey'));
  await expect(page.getByTestId('auth-command')).not.toContainText('--pass');
});

test('CSR mode: a PKCS#10 request OpenSSL verifies, and the way to the signed certificate', async ({ page }) => {
  await open(page);
  await page.getByLabel('App UUID').fill(APP_ID);
  await page.getByLabel('In the Fortanix attribute (OID)').check();
  await page.getByLabel('Common name (CN)').fill('kmip-client.example.com');
  await page.getByLabel('Certificate signing request (CSR)').check();
  await expect(page.getByLabel('Valid for (days)')).toHaveCount(0);
  await page.getByLabel('Key type').selectOption('ec-p384');
  await setPassword(page);
  const previewText = (await page.getByTestId('subject-preview').textContent()) ?? '';

  await generate(page);
  await expect(page.getByTestId('result-summary')).toContainText(`Created a certificate signing request for app ${APP_ID}`);
  const csrPath = await save(page, `app-${APP_ID}.csr`);
  const keyPath = await save(page, `app-${APP_ID}.key`);
  expect(openssl('req', '-in', csrPath, '-noout', '-verify')).toMatch(/verify OK/);
  expect(openssl('req', '-in', csrPath, '-noout', '-subject')).toBe(previewText);
  const text = openssl('req', '-in', csrPath, '-noout', '-text');
  expect(text).toContain('Requested Extensions');
  expect(text).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Client Authentication/);
  expect(text).toContain('ASN1 OID: secp384r1');
  expect(openssl('pkey', '-in', keyPath, '-passin', `pass:${PASSWORD}`, '-pubout')).toBe(
    openssl('req', '-in', csrPath, '-noout', '-pubkey'),
  );

  const steps = page.locator('section.result');
  await expect(steps).toContainText(`Send app-${APP_ID}.csr to your CA`);
  await expect(steps).toContainText(`Keep app-${APP_ID}.key`);
  await expect(steps.getByRole('link', { name: 'Complete a CSR' })).toHaveAttribute('href', '#complete');
});

test('placement none: the subject needs a name, the UUID travels as curl -u, and a pending key guards the page', async ({ page }) => {
  await open(page);
  await page.getByLabel('App UUID').fill(APP_ID);
  await page.getByLabel('Not in the certificate').check();
  await setPassword(page);
  await page.getByRole('button', { name: /^Generate key and/ }).click();
  await expect(page.locator('#create-commonName-error')).toContainText('The subject would be empty');
  await expect(page.getByTestId('result-summary')).toHaveCount(0);

  await page.getByLabel('Common name (CN)').fill('payments-app');
  await expect(page.locator('#create-commonName-error')).toHaveCount(0);
  await generate(page);
  const command = page.getByTestId('auth-command');
  await expect(command).toContainText(`-u ${APP_ID}:`);
  await expect(command).toContainText(`--key app-${APP_ID}.key`);

  const endpoint = page.getByLabel('Your DSM mutual-TLS endpoint');
  await endpoint.fill('http://apps.example.com/');
  await endpoint.blur();
  await expect(page.locator('#create-endpoint-error')).toContainText('reached over https');
  await expect(command).toContainText('curl https://<your-dsm-mtls-endpoint>/sys/v1/session/auth');
  await endpoint.fill('apps.sdkmsdev.uk.myorg.com');
  await expect(command).toContainText('curl https://apps.sdkmsdev.uk.myorg.com/sys/v1/session/auth -X POST');

  const certPath = await save(page, `app-${APP_ID}.crt`);
  expect(openssl('x509', '-in', certPath, '-noout', '-subject')).toBe('subject=CN = payments-app');

  // The key is still only in the page: leaving asks first. Accepting lets the page close, so the
  // test's teardown finds nothing left that could ask again.
  const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => (resolve(d.type()), void d.accept())));
  const closed = new Promise((resolve) => page.once('close', resolve));
  await page.close({ runBeforeUnload: true });
  expect(await dialog).toBe('beforeunload');
  await closed;
});

test('the form and its results pass axe, with errors shown and while busy', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: /^Generate key and/ }).click();
  await expect(page.getByText('Nothing was generated yet')).toBeVisible();
  const scan = () => new AxeBuilder({ page }).include('#main form').include('#main section.result').analyze();
  expect((await scan()).violations).toEqual([]);
  await page.getByLabel('App UUID').fill(APP_ID);
  await setPassword(page);
  await page.getByLabel('Key type').selectOption('rsa-4096');
  const button = page.getByRole('button', { name: /^Generate key and/ });
  await button.click();
  // RSA-4096 takes a moment: the button is busy and the page says what it is doing.
  await expect(button).toBeDisabled();
  await expect(button).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Generating an RSA 4096-bit key…' })).toBeVisible();
  await expect(page.getByTestId('result-summary')).toContainText('RSA 4096-bit key', { timeout: 30_000 });
  await expect(button).toBeEnabled();
  expect((await scan()).violations).toEqual([]);
});

test('the first page leaves pkijs out: it arrives when Generate is pressed', async ({ page }) => {
  const scripts: Response[] = [];
  page.on('response', (response) => void (response.request().resourceType() === 'script' && scripts.push(response)));
  const pkijsLoaded = async () => (await Promise.all(scripts.map((r) => r.text()))).some((code) => code.includes('PKCS8ShroudedKeyBag'));

  await open(page);
  await page.getByLabel('App UUID').fill(APP_ID);
  await expect(page.getByTestId('subject-preview')).toHaveText(`subject=${OID} = ${APP_ID}`);
  expect(scripts.length).toBeGreaterThan(0);
  expect(await pkijsLoaded()).toBe(false);

  await setPassword(page);
  await generate(page);
  expect(await pkijsLoaded()).toBe(true);
});
