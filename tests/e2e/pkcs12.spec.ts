import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations } from './axe';
import { APP_ID, openssl, PASSWORD, saveDownload } from './flows';

// The PKCS#12 export panel of the Create results: the client picker gives each client the profile
// the client table says; both profiles downloaded from the page and opened by the real OpenSSL
// (legacy without -legacy) and Java keytool.

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
  [
    'modern',
    /^Modern/,
    ['MAC: sha256, Iteration 2048', 'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256'],
  ],
  [
    'legacy',
    /^Legacy compatibility/,
    ['MAC: sha1, Iteration 2048', 'PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048'],
  ],
] as const) {
  test(`${profile} profile: the downloaded .p12 opens in OpenSSL and keytool`, async ({ page }) => {
    await createEc(page);
    await page.getByText('Advanced: encryption profile').click();
    await page.getByRole('radio', { name: label }).check();
    await fillP12Password(page, P12_PASSWORD);
    const file = await saveDownload(page, `Download app-${APP_ID}.p12`, dir);
    expect(file).toMatch(new RegExp(`app-${APP_ID}\\.p12$`));
    await expect(page.getByTestId('p12-saved')).toContainText(`Saved app-${APP_ID}.p12`);

    const info = openssl('pkcs12', '-info', '-nodes', '-in', file, '-passin', `pass:${P12_PASSWORD}`);
    for (const line of lines) expect(info).toContain(line);
    expect(info).toContain(`friendlyName: app-${APP_ID}`);
    expect(info).toContain('-----BEGIN PRIVATE KEY-----');
    const keytool = spawnSync('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', file, '-storepass', P12_PASSWORD], {
      encoding: 'utf8',
    });
    expect(keytool.status, keytool.stdout + keytool.stderr).toBe(0);
    expect(keytool.stdout).toContain(`Alias name: app-${APP_ID}`);
    expect(keytool.stdout).toContain('Entry type: PrivateKeyEntry');
  });
}

test('choosing "macOS Keychain" yields the legacy profile the table gives it, and the file OpenSSL sees is legacy', async ({ page }) => {
  await createEc(page);
  const panel = page.getByTestId('p12-export');
  await expect(panel.getByText('Advanced: encryption profile (modern)')).toBeVisible();
  await panel.getByLabel('Where will the key live?').selectOption({ label: 'macOS Keychain (Keychain Access, SecPKCS12Import)' });
  await expect(panel.getByTestId('p12-recommendation')).toHaveAttribute('data-format', 'legacy');
  await expect(panel.getByTestId('p12-recommendation')).toContainText('PKCS#12 legacy (3DES, SHA-1 MAC) for macOS Keychain');
  await expect(panel.getByText('Advanced: encryption profile (legacy compatibility)')).toBeVisible();
  await panel.getByText('Advanced: encryption profile').click();
  await expect(panel.getByRole('radio', { name: /^Legacy compatibility/ })).toBeChecked();
  // The evidence is one click away, with its public sources.
  await panel.getByText('What is known about macOS Keychain').click();
  await expect(panel.getByRole('link', { name: /rust-security-framework #216/ })).toHaveAttribute(
    'href',
    'https://github.com/kornelski/rust-security-framework/issues/216',
  );
  expect(await axeViolations(page)).toEqual([]);

  await fillP12Password(page, P12_PASSWORD);
  const file = await saveDownload(page, `Download app-${APP_ID}.p12`, dir);
  const info = openssl('pkcs12', '-info', '-nokeys', '-in', file, '-passin', `pass:${P12_PASSWORD}`);
  expect(info).toContain('MAC: sha1, Iteration 2048');
  expect(info).toContain('PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
});

test('Java 8 gets legacy and the JSSE steps; Python gets "use PEM"; Java 17 gets modern', async ({ page }) => {
  await createEc(page);
  const panel = page.getByTestId('p12-export');
  const picker = panel.getByLabel('Where will the key live?');
  await picker.selectOption({ label: 'Java 8' });
  await expect(panel.getByTestId('p12-recommendation')).toHaveAttribute('data-format', 'legacy');
  await expect(panel.getByTestId('client-steps')).toContainText(
    `-Djavax.net.ssl.keyStore=app-${APP_ID}.p12 -Djavax.net.ssl.keyStoreType=PKCS12`,
  );
  await picker.selectOption({ label: 'Python (ssl, requests)' });
  await expect(panel.getByTestId('p12-recommendation')).toHaveAttribute('data-format', 'pem');
  await expect(panel.getByTestId('p12-recommendation')).toContainText('Use the PEM certificate and key files');
  await expect(panel.getByTestId('client-steps')).toContainText(`context.load_cert_chain("app-${APP_ID}.crt", "app-${APP_ID}.key"`);
  await picker.selectOption({ label: 'Java 17 or later (keytool, JSSE)' });
  await expect(panel.getByText('Advanced: encryption profile (modern)')).toBeVisible();
});

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
