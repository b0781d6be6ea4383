import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEADLINE_MS, deadlineText } from '../../src/ui/worker/deadline';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { makeFixtures } from '../unit/verify-fixtures';
import { costlyPkcs12 } from './hostileFiles';
import { collectPageErrors } from './pageErrors';

// The page never waits on a hostile file: each read runs in a worker with a deadline. The page's
// timers are Playwright's fake clock, so a test fires a deadline by moving the clock, never by
// waiting. Two kinds of hostile file:
// - hostile.p12, a crafted PKCS#12 that costs seconds of real CPU today (the core's work budget
//   may later refuse it quickly: these tests then still hold, with the budget's report);
// - "stalled" workers: the test serves a worker script that loads the real one and then never
//   finishes the file named stall.pem (or any file, for Convert and Complete), so the deadline
//   path is proven whatever the core's speed.
// Files behind a stuck file on the same worker are re-queued: tests/unit/verifyQueue.test.ts.

let fixtures: ReturnType<typeof makeFixtures>;
let pageErrors: string[];
// Worker scripts reach Playwright's routes (hookWorker) only when no service worker serves them and
// Chromium fetches them in the page's renderer rather than its browser process.
test.use({
  serviceWorkers: 'block',
  launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--disable-features=PlzDedicatedWorker'] },
});
test.beforeAll(() => {
  fixtures = makeFixtures();
  writeFileSync(join(fixtures.dir, 'hostile.p12'), costlyPkcs12());
  writeFileSync(join(fixtures.dir, 'stall.pem'), 'stuck forever');
});
test.afterAll(() => fixtures.remove());
test.beforeEach(async ({ page }) => {
  pageErrors = collectPageErrors(page);
  await page.clock.install();
});
test.afterEach(() => expect(pageErrors).toEqual([]));

const file = (name: string) => join(fixtures.dir, name);
const row = (page: Page, name: string) =>
  page
    .getByTestId('verify-summary')
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
const verdict = (page: Page, name: string) => row(page, name).getByTestId('row-verdict');
const card = (page: Page, name: string) =>
  page.getByTestId('verify-card').filter({ has: page.getByRole('heading', { name, exact: true }) });

/**
 * Serves, in place of a worker script, one that first runs `hook` and then the real script. The
 * hook's listeners run before the real worker's, and it can wrap what the worker posts.
 */
async function hookWorker(page: Page, script: RegExp, hook: string) {
  await page.context().route(
    (url) => script.test(url.pathname),
    (route) => {
      const url = new URL(route.request().url());
      if (url.search === '?hook') return route.fulfill({ contentType: 'text/javascript', body: hook });
      if (url.search === '?real') return route.fallback();
      return route.fulfill({ contentType: 'text/javascript', body: `import '${url.pathname}?hook';\nimport '${url.pathname}?real';\n` });
    },
  );
}

/** Verify's worker blocks its thread forever right after it says it started stall.pem: a file it never finishes. */
const STALL_ON_STALL_PEM = `
  const names = new Map();
  self.addEventListener('message', (event) => names.set(event.data.id, event.data.name));
  const post = self.postMessage.bind(self);
  self.postMessage = (message) => {
    post(message);
    if (message.started && names.get(message.id) === 'stall.pem') for (;;);
  };`;
/** Convert's worker blocks its thread forever on whatever it is sent. */
const STALL_ON_ANYTHING = `self.addEventListener('message', () => { for (;;); });`;

/** Counts the page's workers whose script name contains `script`: started, and terminated by the page. */
async function watchWorkers(page: Page, script: string) {
  await page.addInitScript((pattern) => {
    const counts = { started: 0, terminated: 0 };
    Object.assign(window, { workerCounts: counts });
    const Real = window.Worker;
    window.Worker = class extends Real {
      counted: boolean;
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.counted = String(url).includes(pattern);
        if (this.counted) counts.started += 1;
      }
      terminate() {
        if (this.counted) counts.terminated += 1;
        super.terminate();
      }
    };
  }, script);
  const counts = () => page.evaluate(() => (window as unknown as { workerCounts: { started: number; terminated: number } }).workerCounts);
  return { started: async () => (await counts()).started, terminated: async () => (await counts()).terminated };
}

/**
 * Moves the page's clock past the deadline until `done` holds (a worker may start its file a moment
 * after the test looks). Call it only when no other file is being read: their deadlines would fire too.
 */
async function passDeadlineUntil(page: Page, done: () => Promise<boolean>) {
  await expect.poll(async () => (await done()) || (await page.clock.fastForward(DEADLINE_MS), done())).toBe(true);
}

test('Verify: a file that stalls its worker is refused at its deadline, the worker replaced, and later files keep flowing', async ({
  page,
}) => {
  await hookWorker(page, /verify\.worker-[\w-]+\.js$/, STALL_ON_STALL_PEM);
  const workers = await watchWorkers(page, 'verify.worker');
  await page.goto('./#verify');
  await page.locator('#verify-files').setInputFiles(file('stall.pem'));
  await expect(page.getByTestId('verify-status')).toHaveText('Checking 1 file…');

  // The pool's other worker checks a file dropped meanwhile.
  await page.locator('#verify-files').setInputFiles(file('cn-ok.pem'));
  await expect(verdict(page, 'cn-ok.pem')).toHaveText('passes');
  await expect(verdict(page, 'stall.pem')).toHaveText('checking…');
  expect(await workers.started()).toBe(2);

  // Only the stuck file is in flight now, so moving the clock fires its deadline alone.
  await passDeadlineUntil(page, async () => (await verdict(page, 'stall.pem').textContent()) === 'fails');
  await expect(card(page, 'stall.pem').getByText('too-much-work')).toBeVisible();
  await expect(card(page, 'stall.pem')).toContainText(deadlineText(DEADLINE_MS));
  expect(await workers.terminated()).toBe(1);
  expect(await workers.started()).toBe(3);

  // The replacement works: more files are checked.
  await page.locator('#verify-files').setInputFiles(['oid-ok.pem', 'cn-ok.der', 'chain-reversed.pem'].map(file));
  await expect(page.getByTestId('verify-status')).toHaveText('Checked 5 files: 4 pass, 1 fails.');
  expect(await workers.terminated()).toBe(1);
});

test('Verify: a normal certificate dropped after a costly PKCS#12 gets its verdict; the costly one ends as too-much-work', async ({
  page,
}) => {
  await page.goto('./#verify');
  await page.locator('#verify-files').setInputFiles(file('hostile.p12'));
  await expect(page.getByTestId('verify-status')).toHaveText('Checking 1 file…');
  await page.locator('#verify-files').setInputFiles(file('cn-ok.pem'));
  await expect(verdict(page, 'cn-ok.pem')).toHaveText('passes');

  // Past the deadline (today) or by the core's work budget (once it refuses such files itself).
  await passDeadlineUntil(page, async () => (await verdict(page, 'hostile.p12').textContent()) === 'fails');
  await expect(card(page, 'hostile.p12').getByText('too-much-work')).toBeVisible();
  await expect(page.getByTestId('verify-status')).toHaveText('Checked 2 files: 1 passes, 1 fails.');
});

test('Verify: Clear results stops the work in flight, and nothing arrives afterwards', async ({ page }) => {
  await hookWorker(page, /verify\.worker-[\w-]+\.js$/, STALL_ON_STALL_PEM);
  const workers = await watchWorkers(page, 'verify.worker');
  await page.goto('./#verify');
  await page.locator('#verify-files').setInputFiles([file('stall.pem'), file('hostile.p12')]);
  await expect(page.getByTestId('verify-status')).toHaveText('Checking 2 files…');
  await expect.poll(workers.started).toBe(2);

  await page.getByRole('button', { name: 'Clear results' }).click();
  await expect(page.getByTestId('verify-status')).toHaveText('Results cleared.');
  // Both workers, busy on the two files, are terminated.
  expect(await workers.terminated()).toBe(2);
  // Deadlines that would have fired are gone: no report for the cleared files.
  await page.clock.fastForward(DEADLINE_MS * 2);
  await page.locator('#verify-files').setInputFiles(file('cn-ok.pem'));
  await expect(verdict(page, 'cn-ok.pem')).toHaveText('passes');
  await expect(page.getByTestId('verify-summary').getByRole('row')).toHaveCount(2);
  await expect(page.getByTestId('verify-status')).toHaveText('Checked 1 file: 1 passes, 0 fail.');
});

async function openInConvert(page: Page, name: string) {
  await page.goto('./#convert');
  await page.getByLabel('PKCS#12 file', { exact: true }).setInputFiles(file(name));
  await page.getByLabel('Password of the PKCS#12 file', { exact: true }).fill('a password');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

test('Convert: the page stays responsive while a file is read, and the deadline stops the read, keeping what was entered', async ({
  page,
}) => {
  await hookWorker(page, /convert\.worker-[\w-]+\.js$/, STALL_ON_ANYTHING);
  const workers = await watchWorkers(page, 'convert.worker');
  await openInConvert(page, 'hostile.p12');
  const reading = page.getByText('Checking the password and decrypting…');
  await expect(reading).toBeVisible();

  // Round trips through the page while its worker is busy: a click is handled, a frame is drawn.
  await page.getByLabel('Show the password').check();
  await expect(page.getByLabel('Password of the PKCS#12 file', { exact: true })).toHaveAttribute('type', 'text');
  expect(await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve('frame'))))).toBe('frame');
  await expect(reading).toBeVisible();

  await passDeadlineUntil(page, () => page.getByRole('alert').isVisible());
  await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'too-much-work');
  await expect(page.getByRole('alert')).toContainText(deadlineText(DEADLINE_MS));
  expect(await workers.terminated()).toBe(1);
  // What was entered stays, to try again.
  await expect(page.getByTestId('p12-file-name')).toHaveText('hostile.p12');
  await expect(page.getByLabel('Password of the PKCS#12 file', { exact: true })).toHaveValue('a password');
  await expect(page.getByRole('button', { name: 'Open', exact: true })).toBeEnabled();
});

test('Convert: a costly PKCS#12 ends with the too-much-work message', async ({ page }) => {
  await openInConvert(page, 'hostile.p12');
  await passDeadlineUntil(page, () => page.getByRole('alert').isVisible());
  await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'too-much-work');
});

test('Complete: a read that passes the deadline is stopped, keeping what was entered', async ({ page }) => {
  await hookWorker(page, /complete\.worker-[\w-]+\.js$/, STALL_ON_ANYTHING);
  const workers = await watchWorkers(page, 'complete.worker');
  await page.goto('./#complete');
  await page
    .getByLabel("…or paste the key's PEM text")
    .fill('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n');
  await page.getByLabel('Password of the key file', { exact: true }).fill('a password');
  await page.getByLabel('App UUID', { exact: true }).fill('da7f2800-4122-4681-aebf-90beb779b73f');
  await page.getByLabel('Certificate files').setInputFiles(file('cn-ok.pem'));
  await page.getByRole('button', { name: 'Check and join key and certificate' }).click();

  await passDeadlineUntil(page, () => page.getByRole('alert').isVisible());
  await expect(page.getByRole('alert')).toContainText(deadlineText(DEADLINE_MS));
  expect(await workers.terminated()).toBe(1);
  await expect(page.getByLabel('Password of the key file', { exact: true })).toHaveValue('a password');
  await expect(page.getByRole('button', { name: 'Check and join key and certificate' })).toBeEnabled();
});
