import { expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { icsDateTime } from '../../src/lib/ics';

// The full Create and Verify flows as a user drives them, shared by the offline, privacy and
// keyboard tests. Downloaded files are checked with the real OpenSSL.

export const APP_ID = 'acc15bf3-e626-47aa-9373-7b08b3f26ee8';
export const PASSWORD = 'Correct-Horse-Battery-9';
export const APP_ID_OID = '1.3.6.1.4.1.49690.1.2.1';

/** Runs OpenSSL and returns what it printed; a non-zero exit fails the test with OpenSSL's words. */
export function openssl(...args: string[]): string {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  expect(run.status, `openssl ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return `${run.stdout}${run.stderr}`.trim();
}

/** Clicks a button that downloads a file and saves it into `dir`. */
export async function saveDownload(page: Page, button: string | RegExp, dir: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

export interface CreatedFiles {
  certificate: string;
  privateKey: string;
  calendar: string;
}

/**
 * Create: an RSA-2048 self-signed certificate with the app UUID in the Fortanix OID attribute,
 * its encrypted key and its expiry reminder, all saved into `dir` and checked with OpenSSL.
 */
export async function createWithOid(page: Page, dir: string): Promise<CreatedFiles> {
  await generateWithOid(page);
  return checkCreated(page, dir);
}

/** Fills in Create and generates, downloading nothing: the key is then unsaved work. */
export async function generateWithOid(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Create' }).click();
  await page.getByLabel('App UUID').fill(APP_ID);
  await page.getByLabel('In the Fortanix attribute (OID)').check();
  await page.getByLabel('Common name (CN)').fill('payments.example.com');
  await expect(page.getByLabel('Key type')).toHaveValue('rsa-2048');
  await page.getByLabel('Password for the key file').fill(PASSWORD);
  await page.getByLabel('Type the password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Generate key and certificate' }).click();
  await expect(page.getByTestId('result-summary')).toContainText(`self-signed certificate for app ${APP_ID}`, { timeout: 30_000 });
}

/** Saves what a Create run produced, by clicking its download buttons, and checks it. */
export async function checkCreated(page: Page, dir: string): Promise<CreatedFiles> {
  const files = {
    certificate: await saveDownload(page, `Download app-${APP_ID}.crt`, dir),
    privateKey: await saveDownload(page, `Download app-${APP_ID}.key`, dir),
    calendar: await saveDownload(page, 'Add an expiry reminder to your calendar (.ics)', dir),
  };
  checkCreatedFiles(files);
  return files;
}

/**
 * OpenSSL reads the certificate with the UUID in the OID attribute and a 2048-bit RSA key; the
 * key decrypts with the password and belongs to the certificate; the reminder has the right name.
 */
export function checkCreatedFiles({ certificate, privateKey, calendar }: CreatedFiles): void {
  expect(calendar).toMatch(new RegExp(`app-${APP_ID}-expiry\\.ics$`));
  const notAfter = new Date(openssl('x509', '-in', certificate, '-noout', '-enddate').replace('notAfter=', ''));
  const ics = readFileSync(calendar, 'utf8');
  expect(ics).toContain(`\r\nDTSTART:${icsDateTime(notAfter)}\r\n`);
  expect(ics.match(/TRIGGER;RELATED=START:-P\d+D/g)).toEqual(['TRIGGER;RELATED=START:-P30D', 'TRIGGER;RELATED=START:-P7D']);
  expect(openssl('x509', '-in', certificate, '-noout', '-subject')).toBe(`subject=CN = payments.example.com, ${APP_ID_OID} = ${APP_ID}`);
  expect(openssl('x509', '-in', certificate, '-noout', '-text')).toMatch(/Public-Key: \(2048 bit\)/);
  const keyModulus = openssl('rsa', '-in', privateKey, '-passin', `pass:${PASSWORD}`, '-noout', '-modulus');
  expect(openssl('x509', '-in', certificate, '-noout', '-modulus')).toBe(keyModulus);
}

export const P12_PASSWORD = 'Pkcs12-Pass-Word-7';

/** The PKCS#12 panel of a Create result: saves the .p12 and checks it with OpenSSL against the PEM files. */
export async function exportPkcs12(page: Page, dir: string, created: CreatedFiles): Promise<string> {
  const panel = page.getByTestId('p12-export');
  await panel.getByLabel('Password for the PKCS#12 file').fill(P12_PASSWORD);
  await panel.getByLabel('Type the PKCS#12 password again').fill(P12_PASSWORD);
  const p12 = await saveDownload(page, `Download app-${APP_ID}.p12`, dir);
  await expect(panel.getByTestId('p12-saved')).toBeVisible();
  // OpenSSL checks the MAC with the password, then finds the same certificate and key inside.
  const pem = join(dir, 'from-p12.pem');
  openssl('pkcs12', '-in', p12, '-passin', `pass:${P12_PASSWORD}`, '-nodes', '-out', pem);
  expect(openssl('x509', '-in', pem, '-noout', '-fingerprint', '-sha256')).toBe(
    openssl('x509', '-in', created.certificate, '-noout', '-fingerprint', '-sha256'),
  );
  expect(openssl('rsa', '-in', pem, '-noout', '-modulus')).toBe(openssl('x509', '-in', created.certificate, '-noout', '-modulus'));
  return p12;
}

/** Verify: the certificate Create made passes, with the UUID found where it was put. */
export async function verifyCertificate(page: Page, certificate: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Verify' }).click();
  await page.getByLabel('Expected app UUID').fill(APP_ID);
  await page.getByLabel('Certificate files to check').setInputFiles(certificate);
  await expectVerified(page);
}

/** What Verify shows for the certificate `createWithOid` made. */
export async function expectVerified(page: Page): Promise<void> {
  await expect(page.getByTestId('verify-counts')).toHaveText('1 file: 1 pass, 0 fail.', { timeout: 30_000 });
  const card = page.getByTestId('verify-card');
  await expect(card.getByTestId('verdict')).toHaveText('Passes');
  await expect(card.getByTestId('uuid')).toContainText(`${APP_ID} in OID ${APP_ID_OID} — matches the expected UUID`);
}

/** A throwaway CA made by OpenSSL signs the CSR, as an organization's CA would: returns [leaf, CA certificate]. */
export function signWithTestCa(dir: string, csr: string): [string, string] {
  const [caKey, caCert, leaf] = ['test-ca.key', 'test-ca.crt', 'signed.crt'].map((f) => join(dir, f));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caCert, '-subj', '/CN=appcert test CA', '-days', '30');
  openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caCert,
    '-CAkey',
    caKey,
    '-set_serial',
    '0x1234',
    '-days',
    '30',
    '-copy_extensions',
    'copy',
    '-out',
    leaf,
  );
  return [leaf, caCert];
}
