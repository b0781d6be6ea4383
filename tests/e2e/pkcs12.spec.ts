import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ID, openssl, PASSWORD, saveDownload } from './flows';

// The PKCS#12 export panel of the Create results: both profiles downloaded from the page and
// opened by the real OpenSSL (legacy without -legacy) and Java keytool.

const P12_PASSWORD = 'Export-Horse-Battery-7';
let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'appcert-p12-e2e-'));
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function createEc(page: Page) {
  await page.goto('./#create');
  await page.getByLabel('App UUID').fill(APP_ID);
  await page.getByLabel('Key type').selectOption('ec-p256');
  await page.getByLabel('Password for the key file').fill(PASSWORD);
  await page.getByLabel('Type the password again').fill(PASSWORD);
  await page.getByRole('button', { name: /^Generate key and/ }).click();
  await expect(page.getByTestId('p12-export')).toBeVisible({ timeout: 30_000 });
}

async function fillP12Password(page: Page, password: string, confirmation = password) {
  await page.getByLabel('Password for the PKCS#12 file').fill(password);
  await page.getByLabel('Type the PKCS#12 password again').fill(confirmation);
}

for (const [profile, label, lines] of [
  ['modern', /^Modern/, ['MAC: sha256, Iteration 2048', 'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256']],
  ['legacy', /^Legacy compatibility/, ['MAC: sha1, Iteration 2048', 'PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048']],
] as const) {
  test(`${profile} profile: the downloaded .p12 opens in OpenSSL and keytool`, async ({ page }) => {
    await createEc(page);
    await page.getByRole('radio', { name: label }).check();
    await fillP12Password(page, P12_PASSWORD);
    const file = await saveDownload(page, `Download app-${APP_ID}.p12`, dir);
    expect(file).toMatch(new RegExp(`app-${APP_ID}\\.p12$`));
    await expect(page.getByTestId('p12-saved')).toContainText(`Saved app-${APP_ID}.p12`);

    const info = openssl('pkcs12', '-info', '-nodes', '-in', file, '-passin', `pass:${P12_PASSWORD}`);
    for (const line of lines) expect(info).toContain(line);
    expect(info).toContain(`friendlyName: app-${APP_ID}`);
    expect(info).toContain('-----BEGIN PRIVATE KEY-----');
    const keytool = spawnSync('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', file, '-storepass', P12_PASSWORD], { encoding: 'utf8' });
    expect(keytool.status, keytool.stdout + keytool.stderr).toBe(0);
    expect(keytool.stdout).toContain(`Alias name: app-${APP_ID}`);
    expect(keytool.stdout).toContain('Entry type: PrivateKeyEntry');
  });
}

test('no file without matching passwords; what was typed stays', async ({ page }) => {
  await createEc(page);
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.getByRole('button', { name: `Download app-${APP_ID}.p12` }).click();
  await expect(page.getByText('Enter a password: the PKCS#12 file holds your private key.')).toBeVisible();
  await expect(page.getByLabel('Password for the PKCS#12 file')).toBeFocused();
  await fillP12Password(page, P12_PASSWORD, `${P12_PASSWORD}x`);
  await page.getByRole('button', { name: `Download app-${APP_ID}.p12` }).click();
  await expect(page.getByText('The two passwords differ')).toBeVisible();
  await expect(page.getByLabel('Password for the PKCS#12 file')).toHaveValue(P12_PASSWORD);
  await fillP12Password(page, 'short');
  await expect(page.getByText(/This password is easy to guess/).last()).toBeVisible();
  expect(downloads).toBe(0);
});
