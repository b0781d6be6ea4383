import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Bytes } from '../../src/lib/plain/bytes';
import { API_ENDPOINT_PLACEHOLDER, dsmRegistration, registrationCurl } from '../../src/lib/dsmRegister';
import { identity } from '../interop/identities';
import { makePki } from '../interop/openssl-ca';
import { readExisting } from '../../src/lib/renew';
import { toBase64 } from '../../src/lib/pem';
import { tempDir, type TempDir } from '../interop/tools';
import { axeViolations } from './axe';
import { costlyPkcs12 } from './hostileFiles';
import { APP_ID, openssl, PASSWORD, saveDownload } from './flows';
import { collectPageErrors } from './pageErrors';

// The lifecycle screens in Chromium: Create started from an existing .p12 (renewal), Verify's
// "Renew" action, and the register-in-DSM panel. The current certificate is made by OpenSSL with a
// subject appcert's form cannot type (a multi-valued RDN, the UUID in the Fortanix OID), so only a
// byte-for-byte copy of the subject passes.

const OLD_P12_PASSWORD = 'Old-P12-Pass-4';
const OLD_KEY_PASSWORD = 'Old-Key-Pass-5';
const SUBJECT = `1.3.6.1.4.1.49690.1.2.1=#0C24${Buffer.from(APP_ID).toString('hex').toUpperCase()},CN=payments.example.com,O=Example Corp+OU=Payments`;

let dir: TempDir;
let pageErrors: string[];
const old = { certificate: '', key: '', p12: '', encryptedKey: '', otherKey: '' };

test.beforeAll(async () => {
  dir = await tempDir('appcert-lifecycle-e2e-');
  const config = await dir.write(
    'req.cnf',
    'oid_section=oids\n[oids]\ndsmAppId=1.3.6.1.4.1.49690.1.2.1\n[req]\ndistinguished_name=dn\n[dn]\n',
  );
  old.certificate = dir.file('old.crt');
  old.key = dir.file('old.key');
  // Expires in 20 days: inside the 30 days in which Verify offers "Renew".
  openssl(
    ...['req', '-config', config, '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '20'],
    ...['-keyout', old.key, '-out', old.certificate, '-multivalue-rdn'],
    ...['-subj', `/O=Example Corp+OU=Payments/CN=payments.example.com/dsmAppId=${APP_ID}`],
    ...['-addext', 'subjectAltName=DNS:payments.example.com', '-addext', 'extendedKeyUsage=clientAuth'],
  );
  old.p12 = dir.file('old.p12');
  openssl('pkcs12', '-export', '-in', old.certificate, '-inkey', old.key, '-out', old.p12, '-passout', `pass:${OLD_P12_PASSWORD}`);
  expect(subjectOf(old.certificate)).toBe(`subject=${SUBJECT}`);
  // The key as a key file with its password (PBES2), and a key of another certificate, encrypted the same way.
  old.encryptedKey = dir.file('old-encrypted.key');
  openssl('pkcs8', '-topk8', '-in', old.key, '-v2', 'aes-256-cbc', '-passout', `pass:${OLD_KEY_PASSWORD}`, '-out', old.encryptedKey);
  old.otherKey = dir.file('other.key');
  openssl(
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-aes-256-cbc',
    '-pass',
    `pass:${OLD_KEY_PASSWORD}`,
    '-out',
    old.otherKey,
  );
});
test.afterAll(async () => {
  await dir?.remove();
});
test.beforeEach(({ page }) => {
  pageErrors = collectPageErrors(page);
});
test.afterEach(() => expect(pageErrors).toEqual([]));

const subjectOf = (file: string) => openssl('x509', '-in', file, '-noout', '-subject', '-nameopt', 'RFC2253');
const publicKeyOf = (file: string) => openssl('x509', '-in', file, '-noout', '-pubkey');

/** The subject's DER as the core reads it (the bytes DSM's Trusted CA method and the renewal keep). */
async function subjectDerOf(file: string): Promise<string> {
  const existing = await readExisting({ name: file, bytes: new Uint8Array(readFileSync(file)) as Bytes });
  if (!existing.ok) throw new Error(existing.message);
  return Buffer.from(existing.value.subjectDer).toString('hex');
}

/** How many CSS pixels the page is wider than the window (0 or less: no sideways scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Create's "Start from an existing certificate" with the old .p12: a wrong (empty) password first, said at its field. */
async function startFromP12(page: Page) {
  await page.goto('./#create');
  await page.getByText('Start from an existing certificate').click();
  await page.getByLabel('Current certificate or .p12').setInputFiles(old.p12);
  const password = page.getByLabel('Password of the .p12');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#create-from-password-error')).toHaveAttribute('data-code', 'wrong-password');
  await expect(page.locator('#create-from-password-error')).toHaveText(
    'old.p12 is protected by a password: type it here and press Read the file.',
  );
  await password.fill('not the password');
  await password.press('Enter');
  await expect(page.locator('#create-from-password-error')).toContainText('password is wrong');
  await password.fill(OLD_P12_PASSWORD);
  await password.press('Enter');
  await expectFilled(page);
}

/** The form as the old certificate was made: its subject shown as kept, UUID, key type, validity length. */
async function expectFilled(page: Page) {
  // A SET's members are in DER order (OU before O), as OpenSSL wrote them.
  await expect(page.getByTestId('renewing')).toContainText('Renewing OU = Payments + O = Example Corp, CN = payments.example.com, ');
  await expect(page.getByTestId('renewing')).toContainText(', serial ');
  await expect(page.getByTestId('kept-subject')).toHaveText(
    `subject=OU = Payments + O = Example Corp, CN = payments.example.com, 1.3.6.1.4.1.49690.1.2.1 = ${APP_ID}`,
  );
  await expect(page.getByTestId('kept-altnames')).toContainText('DNS:payments.example.com');
  await expect(page.getByRole('textbox', { name: 'App UUID', exact: true })).toHaveValue(APP_ID);
  await expect(page.getByLabel('Key type')).toHaveValue('ec-p256');
  await expect(page.getByLabel('Valid for (days)')).toHaveValue('20');
  await expect(page.getByLabel('Self-signed certificate')).toBeChecked();
}

async function generate(page: Page): Promise<string> {
  await page.getByLabel('Password for the key file').fill(PASSWORD);
  await page.getByLabel('Type the password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Generate key and certificate' }).click();
  await expect(page.getByTestId('result-summary')).toContainText(`self-signed certificate for app ${APP_ID}`, { timeout: 30_000 });
  return saveDownload(page, `Download app-${APP_ID}.crt`, dir.path);
}

test("Create from an existing .p12 renews with the subject byte for byte and a new key; the register panel is the core's request", async ({
  page,
}) => {
  await startFromP12(page);
  await expect(page.getByTestId('keep-key')).not.toBeChecked();
  expect(await axeViolations(page)).toEqual([]);

  const renewed = await generate(page);
  expect(subjectOf(renewed)).toBe(subjectOf(old.certificate));
  expect(await subjectDerOf(renewed)).toBe(await subjectDerOf(old.certificate));
  expect(publicKeyOf(renewed)).not.toBe(publicKeyOf(old.certificate));
  expect(openssl('x509', '-in', renewed, '-noout', '-ext', 'subjectAltName')).toContain('DNS:payments.example.com');

  await expect(page.getByTestId('renewal-advice')).toContainText('the old one stops working the moment it is replaced');
  const panel = page.getByTestId('register-panel');
  openssl('x509', '-in', renewed, '-outform', 'DER', '-out', dir.file('renewed.der'));
  const der = new Uint8Array(readFileSync(dir.file('renewed.der')));
  const body = { credential: { certificate: toBase64(der as Bytes) } };
  await expect(panel.getByTestId('register-curl')).toHaveText(registrationCurl(API_ENDPOINT_PLACEHOLDER, `/sys/v1/apps/${APP_ID}`, body));
  await panel.getByLabel('DSM API endpoint').fill('https://dsm.example.com');
  await expect(panel.getByTestId('register-curl')).toHaveText(registrationCurl('https://dsm.example.com', `/sys/v1/apps/${APP_ID}`, body));
  expect(JSON.parse((await panel.getByTestId('register-json').textContent()) ?? '')).toEqual({
    method: 'PATCH',
    path: `/sys/v1/apps/${APP_ID}`,
    body,
  });
  await panel.getByLabel('DSM API endpoint').fill('https://dsm.example.com/api');
  await expect(panel.getByLabel('DSM API endpoint')).toHaveAttribute('aria-invalid', 'true');
  expect(await axeViolations(page)).toEqual([]);
  // Long subjects, serials and base64 wrap: neither the form nor the result scrolls sideways, even on a phone.
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await overflow(page)).toBeLessThanOrEqual(0);
});

test('keeping the current key makes a certificate with the same public key', async ({ page }) => {
  await startFromP12(page);
  await page.getByTestId('keep-key').check();
  await expect(page.getByLabel('Key type')).toBeDisabled();
  const renewed = await generate(page);
  expect(publicKeyOf(renewed)).toBe(publicKeyOf(old.certificate));
  expect(await subjectDerOf(renewed)).toBe(await subjectDerOf(old.certificate));
  await expect(page.getByTestId('renewal-advice')).toContainText('the same key');
});

test('a certificate with its encrypted key file: another key is refused at the key field, the right one is kept', async ({ page }) => {
  await page.goto('./#create');
  await page.getByText('Start from an existing certificate').click();
  await page.getByLabel('Current certificate or .p12').setInputFiles(old.certificate);
  await expectFilled(page);
  await page.getByLabel('Password for the key file').fill(PASSWORD);
  await expect(page.getByTestId('keep-key')).toHaveCount(0);

  const keyFile = page.getByLabel('Current key file (optional)');
  const keyPassword = page.getByLabel('Password of the current key file');
  // Encrypted and no password yet: said at the password.
  await keyFile.setInputFiles(old.otherKey);
  await expect(keyPassword).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#create-from-key-password-error')).toHaveAttribute('data-code', 'wrong-password');
  // The key of another certificate: said at the key file, with what to do; nothing typed is lost.
  await keyPassword.fill(OLD_KEY_PASSWORD);
  await keyPassword.press('Enter');
  await expect(page.getByTestId('key-file-pick').locator('[data-code="key-mismatch"] #create-from-key-error')).toContainText(
    'does not belong to the certificate being renewed',
  );
  await expect(keyFile).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('keep-key')).toHaveCount(0);
  await expect(page.getByLabel('Password for the key file')).toHaveValue(PASSWORD);
  await expect(keyPassword).toHaveValue(OLD_KEY_PASSWORD);
  await expect(page.getByRole('textbox', { name: 'App UUID', exact: true })).toHaveValue(APP_ID);
  expect(await axeViolations(page)).toEqual([]);

  // Its own key: kept (and so its type).
  await keyFile.setInputFiles(old.encryptedKey);
  await expect(page.getByTestId('keep-key')).toBeChecked();
  await expect(page.getByTestId('start-from')).toContainText('The current key was read from old-encrypted.key.');
  await expect(page.getByLabel('Key type')).toBeDisabled();
  expect(await axeViolations(page)).toEqual([]);
  const renewed = await generate(page);
  expect(publicKeyOf(renewed)).toBe(publicKeyOf(old.certificate));
  expect(await subjectDerOf(renewed)).toBe(await subjectDerOf(old.certificate));
  await expect(page.getByTestId('renewal-advice')).toContainText('the same key');
});

test('a key file that asks for too much key derivation ends as too-much-work at the key field', async ({ page }) => {
  const costly = dir.file('costly.key');
  openssl(
    'pkcs8',
    '-topk8',
    '-in',
    old.key,
    '-v2',
    'aes-256-cbc',
    '-iter',
    '3000000',
    '-passout',
    `pass:${OLD_KEY_PASSWORD}`,
    '-out',
    costly,
  );
  await page.goto('./#create');
  await page.getByText('Start from an existing certificate').click();
  await page.getByLabel('Current certificate or .p12').setInputFiles(old.certificate);
  await expectFilled(page);
  await page.getByLabel('Password of the current key file').fill(OLD_KEY_PASSWORD);
  await page.getByLabel('Current key file (optional)').setInputFiles(costly);
  await expect(page.getByTestId('key-file-pick').locator('[data-code="too-much-work"] #create-from-key-error')).toBeVisible();
  await expect(page.getByTestId('keep-key')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Read the key' })).toBeEnabled();
});

test('"Change subject" goes back to the normal form, filled, with nothing typed lost', async ({ page }) => {
  await startFromP12(page);
  await page.getByLabel('Password for the key file').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change subject' }).click();
  await expect(page.getByLabel('Common name (CN)')).toHaveValue('payments.example.com');
  await expect(page.getByLabel('Organization (O)')).toHaveValue('Example Corp');
  await expect(page.getByLabel('Password for the key file')).toHaveValue(PASSWORD);
  await expect(page.getByTestId('kept-subject')).toHaveCount(0);
  // A file that is not a certificate is named as such at the file field; the form stays as it was.
  writeFileSync(dir.file('notes.txt'), 'just some notes');
  await page.getByLabel('Current certificate or .p12').setInputFiles(dir.file('notes.txt'));
  await expect(page.getByTestId('start-from').locator('[data-code="not-a-certificate"] #create-from-file-error')).toBeVisible();
  await expect(page.getByLabel('Current certificate or .p12')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Common name (CN)')).toHaveValue('payments.example.com');
});

test("Verify's Renew action opens Create filled from a certificate that expires within 30 days", async ({ page }) => {
  await page.goto('./#verify');
  await page.getByLabel('Certificate files to check').setInputFiles(old.certificate);
  const card = page.getByTestId('verify-card');
  await expect(card.getByTestId('renew')).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText(/It expires in (19|20) days\./);
  // A passing card also offers the registration, from the same core as everywhere.
  await expect(card.getByTestId('verdict')).toHaveText('Passes');
  await card.getByText('Register in DSM').click();
  openssl('x509', '-in', old.certificate, '-outform', 'DER', '-out', dir.file('old.der'));
  const body = { credential: { certificate: toBase64(new Uint8Array(readFileSync(dir.file('old.der'))) as Bytes) } };
  await expect(card.getByTestId('register-curl')).toHaveText(registrationCurl(API_ENDPOINT_PLACEHOLDER, `/sys/v1/apps/${APP_ID}`, body));
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await card.getByTestId('renew').click();
  await expect(page).toHaveURL(/#create$/);
  await expectFilled(page);
  await expect(page.getByTestId('start-from-file')).toHaveText('old.crt');
  // A certificate file holds no key: a new one is made, and keeping the key is not offered.
  await expect(page.getByTestId('keep-key')).toHaveCount(0);
  const renewed = await generate(page);
  expect(await subjectDerOf(renewed)).toBe(await subjectDerOf(old.certificate));
});

test("Verify's Renew of a locked .p12 hands its password to Create with the bytes, in memory only", async ({ page }) => {
  await page.goto('./#verify');
  await page.getByLabel('Certificate files to check').setInputFiles(old.p12);
  const card = page.getByTestId('verify-card');
  await card.getByLabel('Password for old.p12').fill(OLD_P12_PASSWORD);
  await card.getByRole('button', { name: 'Open' }).click();
  await expect(card.getByTestId('renew')).toBeVisible({ timeout: 30_000 });
  await card.getByTestId('renew').click();
  await expect(page).toHaveURL(/#create$/);
  // Read with the handed password: filled, the key offered, the password shown masked and not asked again.
  await expectFilled(page);
  const password = page.getByLabel('Password of the .p12');
  await expect(password).toHaveValue(OLD_P12_PASSWORD);
  await expect(password).toHaveAttribute('type', 'password');
  await expect(password).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('keep-key')).toBeVisible();
  expect(page.url()).not.toContain(OLD_P12_PASSWORD);
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
});

test("Complete's register panel offers the Trusted CA method with the chain's CAs, subject or alternative name", async ({ page }) => {
  const pki = await makePki(dir, 'Lifecycle E2E');
  const request = await identity({
    mode: 'csr',
    placement: 'oid',
    appId: APP_ID,
    keyPassword: PASSWORD,
    altNames: { dns: ['payments.example.com'], email: [], ip: [] },
  });
  const keyFile = await dir.write(`app-${APP_ID}.key`, request.privateKeyPem);
  const leaf = await pki.sign(await dir.write('request.csr', request.csrPem ?? ''), 'signed.crt');
  const other = await makePki(dir, 'Unrelated');

  await page.goto('./#complete');
  await page.getByLabel('Private key file').setInputFiles(keyFile);
  await page.getByLabel('Password of the key file', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Certificate files').setInputFiles([leaf, pki.issuing.certificate, pki.root.certificate]);
  await page.getByRole('button', { name: 'Check and join key and certificate' }).click();
  await expect(page.getByTestId('complete-summary')).toContainText('Chain: 3 certificates, leaf first.');
  const chainPem = await saveDownload(page, `Download app-${APP_ID}-chain.pem`, dir.path);

  const panel = page.getByTestId('register-panel');
  await panel.getByLabel("Trusted CA (DSM's Trusted CA method)").check();
  // The same request as the core (and `appcert dsm-register --trusted-ca`) makes for the issuing CA.
  const expected = async (subjectGeneral?: { dns_name: string }) => {
    const made = await dsmRegistration({
      certificate: { name: 'chain.pem', bytes: new Uint8Array(readFileSync(chainPem)) as Bytes },
      trustedCa: { name: 'issuing.pem', bytes: new Uint8Array(readFileSync(pki.issuing.certificate)) as Bytes },
      subjectGeneral,
    });
    if (!made.ok) throw new Error(made.message);
    return made.value.request.curl;
  };
  await expect(panel.getByTestId('register-curl')).toHaveText(await expected());
  await expect(panel.getByRole('list', { name: 'Subject to enter' })).toContainText(`1.3.6.1.4.1.49690.1.2.1 = ${APP_ID}`);
  await panel.getByLabel('What DSM matches').selectOption({ label: 'The alternative name DNS:payments.example.com ("subject_general")' });
  await expect(panel.getByTestId('register-curl')).toHaveText(await expected({ dns_name: 'payments.example.com' }));
  expect(await axeViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await overflow(page)).toBeLessThanOrEqual(0);

  // A CA that did not sign it is refused at the CA field, with what to do.
  await panel.getByLabel('CA certificate file').setInputFiles(other.root.certificate);
  await expect(panel.locator('[data-code="not-issued-by-ca"]')).toBeVisible();
  await expect(panel.getByLabel('CA certificate file')).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByTestId('register-curl')).toHaveCount(0);
  // A CA file past the work budget (more certificates than a full CA bundle) is read in a worker and stopped there.
  const bundle = await dir.write('huge-bundle.pem', readFileSync(pki.root.certificate, 'utf8').repeat(301));
  await panel.getByLabel('CA certificate file').setInputFiles(bundle);
  await expect(panel.locator('[data-code="too-much-work"]')).toBeVisible();
  await expect(panel.getByTestId('register-curl')).toHaveCount(0);
});

test('a .p12 that asks for too much work ends as too-much-work at the file field, keeping what was typed', async ({ page }) => {
  writeFileSync(dir.file('costly.p12'), costlyPkcs12());
  await page.goto('./#create');
  await page.getByRole('textbox', { name: 'App UUID', exact: true }).fill(APP_ID);
  await page.getByText('Start from an existing certificate').click();
  await page.getByLabel('Password of the .p12').fill('a password');
  await page.getByLabel('Current certificate or .p12').setInputFiles(dir.file('costly.p12'));
  // Read in a worker under the core's work budget and the page's deadline: whichever stops it first.
  await expect(page.getByTestId('start-from').locator('[data-code="too-much-work"] #create-from-file-error')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'App UUID', exact: true })).toHaveValue(APP_ID);
  await expect(page.getByLabel('Password of the .p12')).toHaveValue('a password');
  await expect(page.getByTestId('renewing')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Read the file' })).toBeEnabled();
});
