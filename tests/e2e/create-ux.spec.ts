import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations } from './axe';
import { APP_ID, openssl, PASSWORD, saveDownload } from './flows';
import { collectPageErrors } from './pageErrors';

// What a first-time app team sees on Create: cleaned UUIDs, the placement advice, SANs shown back,
// the result as steps that get the focus, a result marked out of date, the endpoint field and a phone layout.

/** Screenshots for people to look at (gitignored); APPCERT_RESULTS keeps helpers' runs apart. */
const SHOTS = join(process.env.APPCERT_RESULTS ?? 'test-results', 'screenshots');

let dir: string;
let pageErrors: string[];
test.beforeEach(({ page }) => {
  dir = mkdtempSync(join(tmpdir(), 'appcert-create-ux-'));
  pageErrors = collectPageErrors(page);
});
test.afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

async function open(page: Page) {
  await page.goto('./#create');
  await expect(page.getByLabel('App UUID')).toBeVisible();
}

async function fillValid(page: Page, { appId = APP_ID, altNames = '' } = {}) {
  await page.getByLabel('App UUID').fill(appId);
  await page.getByLabel('Common name (CN)').fill('payments.example.com');
  if (altNames) await page.getByLabel('Alternative names').fill(altNames);
  await page.getByLabel('Key type').selectOption('ec-p256');
  await page.getByLabel('Password for the key file').fill(PASSWORD);
  await page.getByLabel('Type the password again').fill(PASSWORD);
}

async function generate(page: Page) {
  await page.getByRole('button', { name: /^Generate key and/ }).click();
  await expect(page.getByTestId('result-summary')).toBeVisible({ timeout: 30_000 });
}

test('a UUID pasted with braces or a urn:uuid: prefix is used without them, and the page says which UUID', async ({ page }) => {
  await open(page);
  const uuid = page.getByLabel('App UUID');
  const note = page.locator('#create-appId-note');
  for (const [typed, said] of [
    [`{${APP_ID}}`, 'without the curly braces'],
    [` urn:uuid:${APP_ID} `, 'without the "urn:uuid:" prefix'],
    [
      `URN:UUID:{${APP_ID.toUpperCase()}}`,
      'without the "urn:uuid:" prefix and without the curly braces and in lower case, as DSM shows it',
    ],
  ]) {
    await uuid.fill(typed);
    await uuid.blur();
    await expect(note).toHaveText(`Using ${APP_ID}: the same UUID ${said}.`);
    await expect(uuid).toHaveAttribute('aria-describedby', /create-appId-note/);
    await expect(uuid).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#create-appId-error')).toHaveCount(0);
    await expect(page.getByTestId('subject-preview')).toHaveText(`subject=1.3.6.1.4.1.49690.1.2.1 = ${APP_ID}`);
    // What was typed stays in the field: only the certificate gets the cleaned UUID.
    await expect(uuid).toHaveValue(typed);
  }
  await uuid.fill(APP_ID);
  await expect(note).toHaveCount(0);
});

test('the placement question recommends the OID with its reason; the string type waits under Advanced', async ({ page }) => {
  await open(page);
  const oid = page.getByRole('radio', { name: /In the Fortanix attribute \(OID\)/ });
  await expect(oid).toBeChecked();
  await expect(oid).toHaveAccessibleName('In the Fortanix attribute (OID) Recommended');
  await expect(oid).toHaveAccessibleDescription(
    /^Choose this if you are not sure: it works for every client type and with CAs that refuse a UUID as the CN/,
  );
  await expect(page.getByRole('radio', { name: 'In the subject CN' })).toHaveAccessibleDescription(/^Choose this if/);
  await expect(page.getByRole('radio', { name: 'Not in the certificate' })).toHaveAccessibleDescription(
    /^Choose this only if REST or SDK clients/,
  );
  const printable = page.getByRole('radio', { name: 'PrintableString' });
  await expect(printable).toBeHidden();
  await page.getByText('Advanced: string type of the OID value').click();
  await expect(page.getByRole('radio', { name: 'UTF8String' })).toBeChecked();
  await printable.check();
  await expect(printable).toBeChecked();
  // Said once, near the form: nothing typed is kept.
  await expect(page.getByText('Nothing you type is stored')).toHaveCount(1);
  mkdirSync(SHOTS, { recursive: true });
  await page.locator('#main form').screenshot({ path: join(SHOTS, 'create-form.png') });
});

test('SANs are shown back before and after, IP addresses become iPAddress entries that OpenSSL prints as IP Address', async ({ page }) => {
  await open(page);
  await fillValid(page, { altNames: 'payments.example.com, 10.0.0.1\n2001:db8::1 team@example.com' });
  const expected = 'DNS:payments.example.com, IP Address:10.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1, email:team@example.com';
  await expect(page.getByTestId('altnames-preview')).toHaveText(`X509v3 Subject Alternative Name:\n    ${expected}`);
  await page.getByLabel('Alternative names').fill('10.0.0.256');
  await page.getByLabel('Alternative names').blur();
  await expect(page.locator('#create-altNames-error')).toHaveText(/"10.0.0.256" is not an IP address/);
  await expect(page.getByTestId('altnames-preview')).toHaveCount(0);
  await page.getByLabel('Alternative names').fill('payments.example.com, 10.0.0.1\n2001:db8::1 team@example.com');

  await generate(page);
  await expect(page.getByTestId('result-altnames')).toHaveText(`X509v3 Subject Alternative Name:\n    ${expected}`);
  const certificate = await saveDownload(page, `Download app-${APP_ID}.crt`, dir);
  const printed = openssl('x509', '-in', certificate, '-noout', '-ext', 'subjectAltName');
  expect(printed).toBe(`X509v3 Subject Alternative Name: \n    ${expected}`);
  expect(printed).toContain('IP Address:10.0.0.1');
  expect(printed).not.toContain('DNS:10.0.0.1');
});

test('Generate moves the focus to the result heading; the result reads as download, register, test with PEM folded', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await open(page);
  await fillValid(page);
  await generate(page);
  const heading = page.getByRole('heading', { level: 2, name: 'Your certificate and key' });
  await expect(heading).toBeFocused();
  await expect(heading).toBeInViewport();
  const steps = page.locator('section.result h3');
  await expect(steps).toHaveText([
    'As built',
    '1. Download the files',
    'PKCS#12 file (.p12)',
    '2. Register the certificate in DSM',
    '3. Test the login with curl',
  ]);
  const where = page.locator('section.result .where');
  await expect(where).toContainText('.crt: for DSM (step 2), and with the .key for curl');
  await expect(where).toContainText('.p12: for clients that want key and certificate in one file, such as Java and Windows');
  // Every PEM text starts folded.
  const pems = page.locator('section.result details:has(summary:text-matches("^PEM text of"))');
  await expect(pems).toHaveCount(2);
  for (const pem of await pems.all()) await expect(pem).not.toHaveAttribute('open');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'create-result-1280-first-screen.png') });
  await page.locator('section.result').screenshot({ path: join(SHOTS, 'create-result-1280.png') });
  expect(await axeViolations(page)).toEqual([]);
});

test('a change to the form marks the result out of date; its downloads wait for an explicit choice', async ({ page }) => {
  let downloads = 0;
  page.on('download', () => downloads++);
  await open(page);
  await fillValid(page);
  await generate(page);
  const stale = page.getByTestId('result-stale');
  await expect(stale).toHaveCount(0);
  const download = page.getByRole('button', { name: `Download app-${APP_ID}.crt` });
  await expect(download).toBeEnabled();

  await page.getByLabel('Organization (O)').fill('E');
  await expect(stale).toContainText('Out of date: the form has changed since these files were made');
  await expect(page.getByTestId('result-stale-note')).toBeVisible();
  await expect(download).toBeDisabled();
  await expect(page.getByRole('button', { name: `Download app-${APP_ID}.key` })).toBeDisabled();
  await expect(page.getByTestId('p12-export').getByLabel('Password for the PKCS#12 file')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Add an expiry reminder to your calendar (.ics)' })).toBeDisabled();
  await expect(page.getByRole('heading', { name: '1. Download the files (out of date)' })).toBeVisible();

  // Beside "Nothing was generated yet" too.
  await page.getByLabel('App UUID').fill('not-a-uuid');
  await page.getByRole('button', { name: /^Generate key and/ }).click();
  await expect(page.getByText('Nothing was generated yet')).toBeVisible();
  await expect(stale).toBeVisible();
  await expect(download).toBeDisabled();
  expect(await axeViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await axeViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });

  // The key may be the only copy: it can still be saved, after saying so.
  await page.getByLabel('Download these earlier files anyway').check();
  await expect(download).toBeEnabled();
  const earlier = await saveDownload(page, `Download app-${APP_ID}.crt`, dir);
  expect(openssl('x509', '-in', earlier, '-noout', '-subject')).toBe(
    `subject=CN = payments.example.com, 1.3.6.1.4.1.49690.1.2.1 = ${APP_ID}`,
  );
  expect(downloads).toBe(1);

  // Back to what made it: up to date again.
  await page.getByLabel('App UUID').fill(APP_ID);
  await page.getByLabel('Organization (O)').fill('');
  await expect(stale).toHaveCount(0);
  await expect(page.getByTestId('result-stale-note')).toHaveCount(0);
  await expect(download).toBeEnabled();
});

test('the endpoint field takes a pasted https address, keeps host and port, and a placeholder is never copied unannounced', async ({
  page,
}) => {
  await open(page);
  await fillValid(page);
  await generate(page);
  const command = page.getByTestId('auth-command');
  const placeholders = page.getByTestId('command-placeholders');
  await expect(command).toContainText('curl https://<your-dsm-mtls-endpoint>/sys/v1/session/auth -X POST');
  await expect(placeholders).toHaveText(
    'Before it runs, replace <your-dsm-mtls-endpoint> and <key password> (or type the endpoint above).',
  );
  await expect(page.getByRole('button', { name: 'Copy the command (placeholders to replace)' })).toBeVisible();

  const endpoint = page.getByLabel('Your DSM mutual-TLS endpoint');
  await endpoint.fill('https://apps.example.com:8443/sys/v1/session/auth');
  await expect(page.locator('#create-endpoint-note')).toHaveText('Using apps.example.com:8443 from the address.');
  await expect(command).toContainText('curl https://apps.example.com:8443/sys/v1/session/auth -X POST');
  await expect(placeholders).toHaveText('Before it runs, replace <key password>.');
  await expect(page.getByRole('button', { name: 'Copy the command (one placeholder to replace)' })).toBeVisible();

  await endpoint.fill('https://apps.example.com/');
  await expect(command).toContainText('curl https://apps.example.com/sys/v1/session/auth -X POST');
  await endpoint.fill('apps.example.com; rm -rf ~');
  await endpoint.blur();
  await expect(page.locator('#create-endpoint-error')).toContainText('Type the host name of the mutual-TLS endpoint');
  await expect(command).not.toContainText('rm -rf');
  await expect(command).toContainText('<your-dsm-mtls-endpoint>');
});

test.describe('on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the result does not scroll sideways and the command wraps only between words', async ({ page }) => {
    await open(page);
    await fillValid(page);
    await generate(page);
    await expect(page.getByRole('heading', { level: 2, name: 'Your certificate and key' })).toBeFocused();
    await page.getByLabel('Your DSM mutual-TLS endpoint').fill('apps.sdkmsdev.uk.myorg.com');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `the page is ${overflow}px too wide`).toBeLessThanOrEqual(0);

    // Every word of the command sits on one line; it wraps (it is longer than the screen) only at spaces.
    const layout = await page.getByTestId('auth-command').evaluate((pre) => {
      const words: { word: string; lines: number }[] = [];
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode() as Text | null; text; text = walker.nextNode() as Text | null) {
        for (const match of text.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(text, match.index);
          range.setEnd(text, match.index + match[0].length);
          words.push({ word: match[0], lines: new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size });
        }
      }
      const all = document.createRange();
      all.selectNodeContents(pre);
      const lines = new Set(Array.from(all.getClientRects(), (r) => Math.round(r.top))).size;
      return { words, lines, sourceLines: (pre.textContent ?? '').split('\n').length, text: pre.textContent };
    });
    // The words as the copy button copies them: the page adds no characters.
    expect(layout.text).toBe(
      `curl https://apps.sdkmsdev.uk.myorg.com/sys/v1/session/auth -X POST \\\n  --cert app-${APP_ID}.crt \\\n  --key app-${APP_ID}.key \\\n  --pass '<key password>'`,
    );
    expect(layout.words.filter((w) => w.lines !== 1)).toEqual([]);
    expect(layout.words.map((w) => w.word)).toContain('POST');
    expect(layout.lines).toBeGreaterThan(layout.sourceLines);
    const inner = await page.getByTestId('auth-command').evaluate((pre) => pre.scrollWidth - pre.clientWidth);
    test.info().annotations.push({ type: 'command block overflow at 390 px', description: `${inner}px` });

    mkdirSync(SHOTS, { recursive: true });
    await page.locator('section.result').screenshot({ path: join(SHOTS, 'create-result-390.png') });
    await page
      .locator('section.result .card')
      .filter({ hasText: '3. Test the login with curl' })
      .screenshot({ path: join(SHOTS, 'create-result-390-curl.png') });
    await page.getByRole('heading', { level: 2, name: 'Your certificate and key' }).scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('create-result-title')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SHOTS, 'create-result-390-first-screen.png') });
  });
});
