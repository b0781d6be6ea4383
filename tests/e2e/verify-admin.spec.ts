import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe';
import { collectPageErrors } from './pageErrors';
import { APP, makeFixtures, OTHER, P12_PASSWORD } from '../unit/verify-fixtures';
import { EXPIRED_CA_CHAIN, makeChainFixtures, sameNameFlood } from '../unit/verify-chains';

// Verify as a busy admin uses it (issue 14, points 1-5 and 12): why each file fails, failures
// first, three outcomes, chains dropped as separate files, a forgiving expected UUID, a phone.

let fixtures: ReturnType<typeof makeFixtures>;
let pageErrors: string[];
test.beforeAll(() => {
  fixtures = makeFixtures();
  makeChainFixtures(fixtures.dir);
});
test.afterAll(() => fixtures.remove());
test.beforeEach(({ page }) => {
  pageErrors = collectPageErrors(page);
});
test.afterEach(() => expect(pageErrors).toEqual([]));

const file = (name: string) => join(fixtures.dir, name);
const summary = (page: Page) => page.getByTestId('verify-summary');
const row = (page: Page, name: string) =>
  summary(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
const card = (page: Page, name: string) =>
  page.getByTestId('verify-card').filter({ has: page.getByRole('heading', { name, exact: true }) });
/** The file names of the table's rows, top to bottom. */
const rowNames = (page: Page) => summary(page).locator('tbody th a').allTextContents();

async function check(page: Page, files: string[], counts: string) {
  await page.goto('./#verify');
  await page.locator('#verify-files').setInputFiles(files.map(file));
  await expect(page.getByTestId('verify-counts')).toHaveText(counts);
}

test('every row says why, failures come first, and the table filters and sorts', async ({ page }) => {
  const files = [
    'cn-ok.pem',
    'expired.pem',
    'expires-soon.pem',
    'not-yet-valid.pem',
    'uuid-in-ou.pem',
    'weak-key.pem',
    'ca-true-uuid-in-ou.pem',
  ];
  await check(page, files, '7 files: 2 pass, 5 fail.');
  const reason = (name: string) => row(page, name).getByTestId('row-reason');
  await expect(reason('expired.pem')).toHaveText(/^expired \d+ days ago$/);
  await expect(reason('not-yet-valid.pem')).toHaveText('not valid until 2099-01-01');
  await expect(reason('uuid-in-ou.pem')).toHaveText('the app UUID is in OU; DSM reads it only from CN or OID 1.3.6.1.4.1.49690.1.2.1');
  // The same CA:TRUE rule whether the UUID is in place or not; the UUID found is shown where it is.
  await expect(reason('ca-true-uuid-in-ou.pem')).toHaveText(
    'the app UUID is in OU; DSM reads it only from CN or OID 1.3.6.1.4.1.49690.1.2.1',
  );
  await expect(card(page, 'ca-true-uuid-in-ou.pem').getByText('leaf-has-ca-true')).toBeVisible();
  await expect(card(page, 'ca-true-uuid-in-ou.pem').getByText('ca-certificate')).toHaveCount(0);
  await expect(row(page, 'uuid-in-ou.pem').getByRole('cell').nth(2)).toHaveText(`${APP} (OU, where DSM does not read it)`);
  await expect(reason('weak-key.pem')).toHaveText('RSA key of only 1024 bits');
  await expect(reason('expires-soon.pem')).toHaveText(/^expires in (9|10) days$/);
  await expect(reason('cn-ok.pem')).toHaveText('—');
  // Never a bare number of days next to "fails".
  for (const validity of await summary(page).locator('td.validity').allTextContents()) expect(validity).not.toMatch(/^-?\d+$/);
  await expect(row(page, 'expired.pem').locator('td.validity')).toHaveText(/^expired \d+ days ago$/);
  await expect(row(page, 'not-yet-valid.pem').locator('td.validity')).toHaveText('not valid until 2099-01-01');

  // Failures first, in the order given; then the passes.
  expect(await rowNames(page)).toEqual([
    'expired.pem',
    'not-yet-valid.pem',
    'uuid-in-ou.pem',
    'weak-key.pem',
    'ca-true-uuid-in-ou.pem',
    'cn-ok.pem',
    'expires-soon.pem',
  ]);
  // The cards follow the table.
  await expect(page.getByTestId('verify-card').first().getByRole('heading')).toHaveText('expired.pem');

  await page.getByLabel(/Only files that fail or need action \(5\)/).check();
  await expect(summary(page).locator('tbody tr')).toHaveCount(5);
  await expect(row(page, 'cn-ok.pem')).toHaveCount(0);
  await page.getByLabel(/Only files that fail/).uncheck();

  await page.getByLabel('Sort by').selectOption({ label: 'file name' });
  expect(await rowNames(page)).toEqual([...files].sort());
  await page.getByLabel('Sort by').selectOption({ label: 'days left: soonest first' });
  expect((await rowNames(page)).slice(0, 2)).toEqual(['expired.pem', 'expires-soon.pem']);
  expect((await rowNames(page)).at(-1)).toBe('not-yet-valid.pem');

  // The Markdown report carries the same reasons.
  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download report (Markdown)' }).click(),
  ]);
  const text = readFileSync(await markdown.path(), 'utf8');
  expect(text).toContain('| `not-yet-valid.pem` | FAILS | not valid until 2099-01-01 |');
  expect(text).toContain('No expected app UUID was given');
  expect(await axeViolations(page)).toEqual([]);
});

test('three outcomes: a CSR and a locked .p12 need action, a .p12 with its key is an incident', async ({ page }) => {
  await check(page, ['csr-cn.pem', 'modern.p12', 'cn-ok.pem'], '3 files: 1 pass, 2 need action, 0 fail.');
  await expect(row(page, 'csr-cn.pem').getByTestId('row-verdict')).toHaveText('needs action');
  await expect(row(page, 'csr-cn.pem').getByTestId('row-reason')).toHaveText(
    'a CSR, not a certificate: have it signed, then send the certificate — by the app team',
  );
  await expect(row(page, 'modern.p12').getByTestId('row-reason')).toHaveText('locked: needs its password — by you, the DSM admin');
  await expect(card(page, 'csr-cn.pem').getByTestId('needs-action')).toContainText('Needs action by the app team');
  await expect(card(page, 'csr-cn.pem').getByTestId('verdict')).toHaveText('Needs action');

  const p12 = card(page, 'modern.p12');
  await expect(p12.getByTestId('needs-action')).toContainText('Needs action by you, the DSM admin');
  await p12.getByLabel('Password for modern.p12').fill(P12_PASSWORD);
  await p12.getByRole('button', { name: 'Open' }).click();
  await expect(p12.getByTestId('verdict')).toHaveText('Fails');
  const alert = p12.getByRole('alert');
  await expect(alert).toContainText('Incident: a private key was sent with this file.');
  await expect(alert).toContainText('treat it as exposed');
  // At the top of the card, above its heading; and flagged in the row.
  expect((await alert.boundingBox())!.y).toBeLessThan((await p12.getByRole('heading').boundingBox())!.y);
  await expect(row(page, 'modern.p12').getByTestId('incident-flag')).toHaveText('key exposed');
  await expect(row(page, 'modern.p12').getByTestId('row-reason')).toHaveText('holds the private key: exposed, must be replaced');
  await expect(page.getByTestId('verify-counts')).toHaveText('3 files: 1 pass, 1 need action, 1 fail.');
  expect(await axeViolations(page)).toEqual([]);
});

test('a leaf, its intermediate and root dropped as three files are one submission', async ({ page }) => {
  await check(
    page,
    ['chain-part-root.pem', 'chain-part-leaf.pem', 'chain-part-intermediate.pem'],
    '3 files: 1 pass, 0 fail (2 are the chain of another file).',
  );
  await expect(summary(page).locator('tbody tr')).toHaveCount(3);
  // A screen reader hears the counts the page shows, after grouping, once.
  await expect(page.getByTestId('verify-status')).toHaveText('Checked 3 files: 1 passes, 0 fail (2 are the chain of another file).');
  await expect(row(page, 'chain-part-leaf.pem').getByTestId('row-verdict')).toHaveText('passes');
  const chainRows = summary(page).getByTestId('chain-row');
  await expect(chainRows).toHaveCount(2);
  await expect(chainRows.nth(0)).toContainText('chain-part-intermediate.pem');
  await expect(chainRows.nth(0).getByTestId('row-reason')).toHaveText('issuer of chain-part-leaf.pem');
  await expect(chainRows.nth(1).getByTestId('row-reason')).toHaveText('issuer of chain-part-intermediate.pem');
  // No "no-app-id" failure for the CAs, and one card: the leaf's, with its chain.
  await expect(page.getByTestId('verify-card')).toHaveCount(1);
  const leaf = card(page, 'chain-part-leaf.pem');
  await expect(leaf.getByTestId('batch-chain')).toContainText('chain-part-intermediate.pem');
  await expect(leaf.getByTestId('batch-chain')).toContainText('chain-part-root.pem');
  await expect(leaf.getByText('issuer-not-in-file')).toHaveCount(0);
  await expect(page.getByText('no-app-id')).toHaveCount(0);

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
  const reports = JSON.parse(readFileSync(await json.path(), 'utf8')) as { file: string; batch: { role: string } }[];
  expect(reports.map((r) => [r.file, r.batch.role])).toEqual([
    ['chain-part-root.pem', 'chain'],
    ['chain-part-leaf.pem', 'submission'],
    ['chain-part-intermediate.pem', 'chain'],
  ]);
  expect(await axeViolations(page)).toEqual([]);
});

test('the expected UUID is cleaned like Create cleans it, and a typo is a field error that judges nothing', async ({ page }) => {
  await check(page, ['cn-ok.pem', 'other-app.pem'], '2 files: 2 pass, 0 fail.');
  const field = page.getByLabel('Expected app UUID (optional)');
  await field.fill(` urn:uuid:{${APP.toUpperCase()}} `);
  await expect(page.locator('#verify-expected-note')).toHaveText(
    `Checking against ${APP}: the same UUID without the "urn:uuid:" prefix and without the curly braces and in lower case, as DSM shows it.`,
  );
  await expect(field).not.toHaveAttribute('aria-invalid');
  await expect(row(page, 'cn-ok.pem').getByTestId('row-verdict')).toHaveText('passes');
  await expect(row(page, 'other-app.pem').getByTestId('row-reason')).toHaveText(`for app ${OTHER}, not the expected one`);

  await field.fill(`${APP}7`);
  const error = page.locator('#verify-expected-error');
  await expect(error).toContainText('A UUID has 32 hexadecimal digits');
  await expect(error).toContainText('Until it is a valid UUID, no file is checked against it.');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAttribute('aria-describedby', /verify-expected-error/);
  await expect(page.locator('#verify-expected-note')).toHaveCount(0);
  // Each file keeps its own verdict: nothing is judged against a UUID that is not one.
  await expect(row(page, 'other-app.pem').getByTestId('row-verdict')).toHaveText('passes');
  await expect(page.getByTestId('verify-counts')).toHaveText('2 files: 2 pass, 0 fail.');
  await expect(page.getByText('invalid-expected-uuid')).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
});

test('on a 390 px phone every verdict is visible without scrolling sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const files = [
    'chain-part-intermediate.pem',
    'malformed-urn-oid.pem',
    'ca-true-uuid-in-ou.pem',
    'csr-cn.pem',
    'cn-ok.pem',
    'expired.pem',
  ];
  await check(page, files, '6 files: 2 pass, 1 need action, 3 fail.');
  const verdicts = summary(page).getByTestId('row-verdict');
  await expect(verdicts).toHaveCount(files.length);
  for (const verdict of await verdicts.all()) {
    await verdict.scrollIntoViewIfNeeded();
    const box = (await verdict.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  // The table itself was not scrolled to get there.
  expect(await summary(page).evaluate((table) => table.parentElement!.scrollLeft)).toBe(0);
  const first = page.getByTestId('verify-card').first().getByTestId('verdict');
  const box = (await first.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(await axeViolations(page)).toEqual([]);
});

test('a leaf whose intermediate, dropped with it, expired fails as its chain does', async ({ page }) => {
  await check(page, EXPIRED_CA_CHAIN, '3 files: 0 pass, 1 fail (2 are the chain of another file).');
  await expect(page.getByTestId('verify-status')).toHaveText('Checked 3 files: 0 pass, 1 fails (2 are the chain of another file).');
  await expect(row(page, 'expired-ca-leaf.pem').getByTestId('row-verdict')).toHaveText('fails');
  await expect(row(page, 'expired-ca-leaf.pem').getByTestId('row-reason')).toHaveText(
    /^its CA expired-ca-intermediate\.pem: expired \d+ days ago$/,
  );
  await expect(card(page, 'expired-ca-leaf.pem').getByText('chain-ca-expired')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test('a batch of many same-named certificates stops grouping at its work budget, says so, and shows every file', async ({ page }) => {
  const flood = sameNameFlood(fixtures.read);
  await page.goto('./#verify');
  await page.locator('#verify-files').setInputFiles(flood);
  await expect(page.getByTestId('verify-counts')).toHaveText(`${flood.length} files: ${flood.length} pass, 0 fail.`, { timeout: 60_000 });
  await expect(page.getByTestId('linking-stopped')).toContainText('stopped grouping files into chains');
  // Nothing was wrongly grouped: every file is a row of its own, and the announcement says the same.
  await expect(summary(page).locator('tbody tr')).toHaveCount(flood.length);
  await expect(summary(page).getByTestId('chain-row')).toHaveCount(0);
  await expect(page.getByTestId('verify-status')).toHaveText(`Checked ${flood.length} files: ${flood.length} pass, 0 fail.`);
  // The page still answers: a file dropped afterwards is checked (and not grouped).
  await page.locator('#verify-files').setInputFiles(file('cn-ok.pem'));
  await expect(row(page, 'cn-ok.pem').getByTestId('row-verdict')).toHaveText('passes');
});
