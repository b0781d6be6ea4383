import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileReport } from '../../src/lib/verify/fileReport';
import { APP, makeFixtures, P12_PASSWORD } from '../unit/verify-fixtures';

let fixtures: ReturnType<typeof makeFixtures>;
test.beforeAll(() => {
  fixtures = makeFixtures();
});
test.afterAll(() => fixtures.remove());

const file = (name: string) => join(fixtures.dir, name);
const essentials = (r: FileReport) => ({
  file: r.file,
  kind: r.kind,
  ok: r.ok,
  appId: r.appId,
  appIdLocation: r.appIdLocation,
  sha256: r.sha256,
  subject: r.subject,
  problems: r.problems.map((p) => p.code),
  warnings: r.warnings.map((w) => w.code),
});

async function openVerify(page: Page) {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('./#verify');
  await expect(page.getByRole('heading', { level: 1, name: 'Verify' })).toBeVisible();
  return requests;
}

const card = (page: Page, name: string) =>
  page.getByTestId('verify-card').filter({ has: page.getByRole('heading', { name, exact: true }) });
const row = (page: Page, name: string) =>
  page
    .getByTestId('verify-summary')
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });

test('a dropped batch of mixed files gets the right verdicts and a summary', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  const requests = await openVerify(page);
  await page.getByLabel('Expected app UUID (optional)').fill(APP.toUpperCase());
  const batch = [
    'cn-ok.pem',
    'cn-ok.der',
    'oid-ok.pem',
    'chain-reversed.pem',
    'csr-cn.pem',
    'other-app.pem',
    'no-app-id.pem',
    'expired.pem',
    'random.bin',
    'private-key.pem',
    'too-large.bin',
  ];
  await page.locator('#verify-files').setInputFiles(batch.map(file));

  await expect(page.getByTestId('verify-status')).toHaveText('Checked 11 files: 4 pass, 1 needs action, 6 fail.');
  await expect(page.getByTestId('verify-counts')).toHaveText('11 files: 4 pass, 1 need action, 6 fail.');
  // Checked in a Web Worker, not on the page.
  expect(workers.some((url) => /verify\.worker-[\w-]+\.js$/.test(url))).toBe(true);
  const verdicts: Record<string, string> = {
    'cn-ok.pem': 'passes',
    'cn-ok.der': 'passes',
    'oid-ok.pem': 'passes',
    'chain-reversed.pem': 'passes',
    'csr-cn.pem': 'needs action',
    'other-app.pem': 'fails',
    'no-app-id.pem': 'fails',
    'expired.pem': 'fails',
    'random.bin': 'fails',
    'private-key.pem': 'fails',
    'too-large.bin': 'fails',
  };
  for (const [name, verdict] of Object.entries(verdicts)) await expect(row(page, name).getByTestId('row-verdict')).toHaveText(verdict);
  await expect(row(page, 'oid-ok.pem').getByRole('cell').nth(2)).toHaveText(`${APP} (OID 1.3.6.1.4.1.49690.1.2.1)`);
  await expect(row(page, 'cn-ok.pem').getByRole('cell').nth(2)).toHaveText(`${APP} (CN)`);

  await expect(card(page, 'other-app.pem').getByText('uuid-mismatch')).toBeVisible();
  await expect(card(page, 'no-app-id.pem').getByText(/curl -u <uuid>:/)).toBeVisible();
  await expect(card(page, 'expired.pem').getByText('expired', { exact: true })).toBeVisible();
  await expect(card(page, 'random.bin').getByText('not-a-certificate')).toBeVisible();
  await expect(card(page, 'private-key.pem').getByRole('alert')).toContainText('Incident: a private key was sent with this file.');
  await expect(
    card(page, 'too-large.bin').getByText(
      'The file is 1,025 KiB, more than the 1,024 KiB a certificate file can reasonably be, so it was not read.',
      { exact: false },
    ),
  ).toBeVisible();
  await expect(card(page, 'chain-reversed.pem').getByText('chain-order-reversed')).toBeVisible();
  const oid = card(page, 'oid-ok.pem');
  await expect(oid.locator('mark')).toHaveText(APP);
  await expect(oid.getByTestId('subject')).toHaveText(`C = US, O = Example, CN = test.kmip.fortanix.com, 1.3.6.1.4.1.49690.1.2.1 = ${APP}`);
  await expect(oid.getByTestId('uuid')).toContainText('matches the expected UUID');

  // Both exports hold the whole batch.
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
  const reports = JSON.parse(readFileSync(await json.path(), 'utf8')) as FileReport[];
  expect(reports.map((r) => r.file)).toEqual(batch);
  // The browser and the CLI agree on every file.
  const cli = spawnSync(
    process.execPath,
    [join(import.meta.dirname, '..', '..', 'bin', 'appcert.mjs'), 'verify', '--json', '--expect', APP, ...batch],
    { cwd: fixtures.dir, encoding: 'utf8' },
  );
  expect(cli.status).toBe(1);
  expect((JSON.parse(cli.stdout) as FileReport[]).map(essentials)).toEqual(reports.map(essentials));
  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download report (Markdown)' }).click(),
  ]);
  const text = readFileSync(await markdown.path(), 'utf8');
  expect(text).toMatch(/\| `cn-ok\.pem` \| passes \| — \| `da7f2800-4122-4681-aebf-90beb779b73f` \| CN \| 36[45] days left \|/);
  expect(text).toContain(`Checked against the expected app UUID \`${APP}\`.`);

  // Changing the expectation re-judges the finished reports; one that is not a UUID judges nothing.
  await page.getByLabel('Expected app UUID (optional)').fill('acc15bf3-e626-47aa-9373-7b08b3f26ee8');
  await expect(row(page, 'other-app.pem').getByTestId('row-verdict')).toHaveText('passes');
  await expect(row(page, 'cn-ok.pem').getByTestId('row-verdict')).toHaveText('fails');
  await page.getByLabel('Expected app UUID (optional)').fill('{not-a-uuid}');
  await expect(page.locator('#verify-expected-error')).toContainText('no file is checked against it');
  await expect(row(page, 'cn-ok.pem').getByTestId('row-verdict')).toHaveText('passes');
  await expect(page.getByText('invalid-expected-uuid')).toHaveCount(0);

  expect(requests.filter((url) => !url.startsWith('http://127.0.0.1:'))).toEqual([]);
  const axe = await new AxeBuilder({ page }).include('main').analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test('a PKCS#12 file asks for its password: a wrong one is reported, the right one opens it', async ({ page }) => {
  await openVerify(page);
  await page.locator('#verify-files').setInputFiles([file('modern.p12'), file('legacy.p12')]);
  const modern = card(page, 'modern.p12');
  await expect(modern.getByText('password-required')).toBeVisible();
  await modern.getByLabel('Password for modern.p12').fill('wrong password');
  await modern.getByRole('button', { name: 'Open' }).click();
  await expect(modern.getByText('wrong-password')).toBeVisible();
  await modern.getByLabel('Password for modern.p12').fill(P12_PASSWORD);
  await modern.getByRole('button', { name: 'Open' }).click();
  // Opened: it holds the app's private key, an incident.
  await expect(modern.getByTestId('verdict')).toHaveText('Fails');
  await expect(modern.getByRole('alert')).toContainText('Incident: a private key was sent with this file.');

  const legacy = card(page, 'legacy.p12');
  await legacy.getByLabel('Password for legacy.p12').fill(P12_PASSWORD);
  await legacy.getByLabel('Password for legacy.p12').press('Enter');
  await expect(legacy.getByText('legacy-p12-encryption')).toBeVisible();
  await expect(legacy.getByTestId('verdict')).toHaveText('Fails');
});

test('pasted PEM text is checked, and hundreds of files stay responsive', async ({ page }) => {
  await openVerify(page);
  await page.getByText('Or paste PEM text').click();
  await page.getByLabel('PEM text to check').fill(readFileSync(file('seed-sample.pem'), 'utf8'));
  await page.getByRole('button', { name: 'Check pasted text' }).click();
  const pasted = card(page, 'pasted text 1');
  await expect(pasted.getByTestId('verdict')).toHaveText('Passes');
  await expect(pasted.getByText('leaf-has-ca-true')).toBeVisible();

  const pem = readFileSync(file('cn-ok.pem'));
  const junk = readFileSync(file('random.bin'));
  const many = Array.from({ length: 300 }, (_, i) => ({
    name: `cert-${i}.pem`,
    mimeType: 'application/x-pem-file',
    buffer: i % 10 === 9 ? junk : pem,
  }));
  await page.locator('#verify-files').setInputFiles(many);
  // The page answers while the worker checks.
  await page.getByLabel('Expected app UUID (optional)').fill(APP);
  await expect(page.getByLabel('Expected app UUID (optional)')).toHaveValue(APP);
  await expect(page.getByTestId('verify-counts')).toHaveText('301 files: 271 pass, 30 fail.', { timeout: 60_000 });

  // A batch this big is read in the table; cards come 50 at a time.
  await expect(page.getByTestId('verify-card')).toHaveCount(50);
  await expect(page.getByRole('button', { name: 'Show 50 more of 251 remaining' })).toBeVisible();
  // Failures come first; the table's link reaches a card not shown yet, and stays on the Verify screen.
  await expect(page.getByTestId('verify-card').first().getByTestId('verdict')).toHaveText('Fails');
  await row(page, 'cert-298.pem').getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Verify' })).toBeVisible();
  await expect(card(page, 'cert-298.pem')).toBeInViewport();
  await expect(card(page, 'cert-298.pem').getByTestId('verdict')).toHaveText('Passes');
});
