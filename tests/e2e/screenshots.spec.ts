import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations } from './axe';
import { collectPageErrors } from './pageErrors';
import { APP, makeFixtures, P12_PASSWORD } from '../unit/verify-fixtures';

// Screenshots of Verify with a 30-file batch, as an admin gets one, for the closing note of issue 14
// (the Create result's are taken in create-ux.spec.ts). Each asserts what the picture must show.

const SHOTS = join(process.env.APPCERT_RESULTS ?? 'test-results', 'screenshots');

/** A mixed batch: passes, CSRs, a locked .p12 and one with its key, misplaced UUIDs, expiry, a chain of 3 files, junk. */
const BATCH = [
  'cn-ok.pem',
  'cn-ok.der',
  'oid-ok.pem',
  'both-ok.pem',
  'ec-p256.pem',
  'seed-sample.pem',
  'chain-leaf-first.pem',
  'expires-soon.pem',
  'csr-cn.pem',
  'csr-oid.der',
  'modern.p12',
  'legacy.p12',
  'uuid-in-ou.pem',
  'uuid-in-san.pem',
  'expired.pem',
  'not-yet-valid.pem',
  'chain-part-root.pem',
  'chain-part-leaf.pem',
  'chain-part-intermediate.pem',
  'random.bin',
  'truncated.pem',
  'empty.pem',
  'other-app.pem',
  'no-app-id.pem',
  'weak-key.pem',
  'sha1.pem',
  'malformed-braces.pem',
  'uuid-conflict.pem',
  'cert-and-key.pem',
  'oid-extension.pem',
];

let fixtures: ReturnType<typeof makeFixtures>;
let pageErrors: string[];
test.beforeAll(() => {
  fixtures = makeFixtures();
  mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(() => fixtures.remove());
test.beforeEach(({ page }) => {
  pageErrors = collectPageErrors(page);
});
test.afterEach(() => expect(pageErrors).toEqual([]));

const summary = (page: Page) => page.getByTestId('verify-summary');

async function checkBatch(page: Page) {
  await page.goto('./#verify');
  await page.getByLabel('Expected app UUID (optional)').fill(APP);
  await page.locator('#verify-files').setInputFiles(BATCH.map((name) => join(fixtures.dir, name)));
  const legacy = page.getByTestId('verify-card').filter({ has: page.getByRole('heading', { name: 'legacy.p12', exact: true }) });
  await legacy.getByLabel('Password for legacy.p12').fill(P12_PASSWORD);
  await legacy.getByRole('button', { name: 'Open' }).click();
  await expect(legacy.getByTestId('incident')).toBeVisible();
  await expect(page.getByTestId('verify-counts')).toHaveText('30 files: 9 pass, 3 need action, 16 fail (2 are the chain of another file).');
  await expect(page.getByTestId('verify-status')).toHaveText(
    'Checked 30 files: 9 pass, 3 need action, 16 fail (2 are the chain of another file).',
  );
  // Failures first, then the files that need action, then the passes; chain files under their leaf.
  const verdicts = (await summary(page).getByTestId('row-verdict').allTextContents()).filter((v) => v !== 'chain');
  const rank = { fails: 0, 'needs action': 1, passes: 2 } as Record<string, number>;
  expect(verdicts).toHaveLength(28);
  expect(verdicts.map((v) => rank[v])).toEqual(verdicts.map((v) => rank[v]).sort());
  // The two files that sent a private key lead the failures.
  for (const at of [0, 1]) await expect(summary(page).locator('tbody tr').nth(at).getByTestId('incident-flag')).toHaveText('key exposed');
}

/** What the admin sees first, the whole summary table, and the first cards. */
async function shoot(page: Page, width: number) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `verify-${width}-first-screen.png`) });
  await page.locator('section.summary').screenshot({ path: join(SHOTS, `verify-${width}-summary.png`) });
  await page.evaluate(() => document.getElementById('verify-results-title')!.scrollIntoView());
  await page.screenshot({ path: join(SHOTS, `verify-${width}-cards.png`) });
}

test('Verify with a 30-file batch at 1280 px', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await checkBatch(page);
  // The whole row is in view: verdict, file, reason, UUID and validity, without scrolling the table.
  expect(await summary(page).evaluate((table) => table.parentElement!.scrollWidth <= table.parentElement!.clientWidth)).toBe(true);
  await shoot(page, 1280);
  expect(await axeViolations(page)).toEqual([]);
});

test('Verify with a 30-file batch at 390 px', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await checkBatch(page);
  // No page-level sideways scroll.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // Every verdict and every reason is in the viewport's width, with the table not scrolled sideways to get there.
  for (const cell of [
    ...(await summary(page).getByTestId('row-verdict').all()),
    ...(await summary(page).getByTestId('row-reason').all()),
  ]) {
    await cell.scrollIntoViewIfNeeded();
    const box = (await cell.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  expect(await summary(page).evaluate((table) => table.parentElement!.scrollLeft)).toBe(0);
  expect(await summary(page).evaluate((table) => table.parentElement!.scrollWidth <= table.parentElement!.clientWidth)).toBe(true);
  await shoot(page, 390);
  expect(await axeViolations(page)).toEqual([]);
});
