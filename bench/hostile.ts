// Measures what a hostile file costs the page (not part of `npm run bench`; one run, by hand):
//   HOSTILE_URL=http://127.0.0.1:4392/ npx tsx bench/hostile.ts
// against a running `vite preview` of any build. Prints, for Verify, how long a normal certificate
// dropped right after a costly PKCS#12 waits for its verdict and how long the costly one takes,
// and, for Verify and Convert, the page's longest task meanwhile (PerformanceObserver 'longtask').
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser';
import { costlyPkcs12 } from '../tests/e2e/hostileFiles';
import { makeFixtures } from '../tests/unit/verify-fixtures';

const URL = process.env.HOSTILE_URL ?? 'http://127.0.0.1:4173/';
const LIMIT_MS = 180_000;

const fixtures = makeFixtures();
const dir = mkdtempSync(join(tmpdir(), 'appcert-hostile-'));
const hostile = join(dir, 'hostile.p12');
writeFileSync(hostile, costlyPkcs12());
const normal = join(dir, 'cn-ok.pem');
writeFileSync(normal, readFileSync(join(fixtures.dir, 'cn-ok.pem')));

async function watchLongTasks(page: Page) {
  await page.addInitScript(() => {
    const longest = { ms: 0 };
    Object.assign(window, { longest });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest.ms = Math.max(longest.ms, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  return () => page.evaluate(() => (window as unknown as { longest: { ms: number } }).longest.ms);
}

const verdict = (page: Page, name: string) =>
  page
    .getByTestId('verify-summary')
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) })
    .getByRole('cell')
    .nth(3);

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  {
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    const longest = await watchLongTasks(page);
    await page.goto(`${URL}#verify`);
    await page.getByRole('heading', { level: 1, name: 'Verify' }).waitFor();
    const start = Date.now();
    await page.locator('#verify-files').setInputFiles(hostile);
    await page.locator('#verify-files').setInputFiles(normal);
    await verdict(page, 'cn-ok.pem').filter({ hasText: 'passes' }).waitFor({ timeout: LIMIT_MS });
    const normalMs = Date.now() - start;
    await verdict(page, 'hostile.p12').filter({ hasText: 'fails' }).waitFor({ timeout: LIMIT_MS });
    const hostileMs = Date.now() - start;
    console.log(
      `verify: normal verdict after ${normalMs} ms, hostile verdict after ${hostileMs} ms, longest page task ${Math.round(await longest())} ms`,
    );
  }
  {
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    const longest = await watchLongTasks(page);
    await page.goto(`${URL}#convert`);
    await page.getByLabel('PKCS#12 file', { exact: true }).setInputFiles(hostile);
    const start = Date.now();
    // Clicked from a timer, so a page frozen by the read (before the worker) does not stall this script's click.
    await page.evaluate(() => setTimeout(() => document.querySelector<HTMLButtonElement>('button[type=submit]')?.click()));
    await page.getByRole('alert').waitFor({ timeout: LIMIT_MS });
    console.log(
      `convert: message after ${Date.now() - start} ms (${await page.getByRole('alert').getAttribute('data-code')}), longest page task ${Math.round(await longest())} ms`,
    );
  }
} finally {
  await browser.close();
  fixtures.remove();
  rmSync(dir, { recursive: true, force: true });
}
