// Load measures against the real production app build served by `vite preview`.
import type { Browser, Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';

/**
 * Waits until the first screen is interactive and returns performance.now() at that frame, i.e.
 * milliseconds since navigation start: the App shell is mounted and the opened screen's module is
 * loaded and rendered (no "Loading…" placeholder), checked on every animation frame.
 */
async function interactiveAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const section = document.querySelector('#main section:not([hidden])');
      if (!section) return false;
      if (section.querySelector(':scope > [role="alert"]')) return -1;
      const loading = section.querySelector(':scope > p[role="status"]');
      return loading || section.children.length < 2 ? false : performance.now();
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  const at = (await handle.jsonValue()) as number;
  if (at < 0) throw new Error('The app showed "This screen could not be loaded" during the load measure.');
  return at;
}

export interface FirstVisit {
  tti: number;
  /** gzip -9 bytes of every script and style sheet the page requested. */
  gzipBytes: number;
  rawBytes: number;
  /** Each file with its gzip size, the largest first. */
  files: string[];
}

/** A cold first visit: fresh context, empty cache, no service worker yet. */
export async function firstVisit(browser: Browser, url: string): Promise<FirstVisit> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const bodies: Promise<{ url: string; body: Buffer }>[] = [];
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type === 'script' || type === 'stylesheet') bodies.push(response.body().then((body) => ({ url: response.url(), body })));
    });
    await page.goto(url);
    const tti = await interactiveAt(page);
    await page.waitForLoadState('networkidle');
    const files = await Promise.all(bodies);
    const sizes = files
      .map((f) => ({ path: new URL(f.url).pathname, gzip: gzipSync(f.body, { level: 9 }).length }))
      .sort((a, b) => b.gzip - a.gzip);
    return {
      tti,
      gzipBytes: sizes.reduce((sum, f) => sum + f.gzip, 0),
      rawBytes: files.reduce((sum, f) => sum + f.body.length, 0),
      files: sizes.map((f) => `${f.path} ${(f.gzip / 1024).toFixed(1)} KB`),
    };
  } finally {
    await context.close();
  }
}

/** Polls for up to ten seconds for an active service worker registration. */
async function activeWorker(page: Page): Promise<boolean> {
  for (let waited = 0; waited < 10_000; waited += 250) {
    if (await page.evaluate(async () => (await navigator.serviceWorker?.getRegistration())?.active != null)) return true;
    await page.waitForTimeout(250);
  }
  return false;
}

export interface OfflineReloads {
  times: number[];
  /** gzip -9 bytes of the JS and CSS the service worker fetched to store the app (in the background). */
  precachedGzipBytes: number;
}

/**
 * Reloads offline once a service worker controls the page, `rounds` times. Returns null when the
 * build has no service worker (nothing registers one within a few seconds).
 */
export async function offlineReloads(browser: Browser, url: string, rounds: number): Promise<OfflineReloads | null> {
  const context = await browser.newContext();
  try {
    const precached: Promise<number>[] = [];
    context.on('response', (response) => {
      if (response.request().serviceWorker() && /\.(js|css)$/.test(new URL(response.url()).pathname)) {
        precached.push(
          response.body().then(
            (body) => gzipSync(body, { level: 9 }).length,
            () => 0,
          ),
        );
      }
    });
    const page = await context.newPage();
    await page.goto(url);
    await interactiveAt(page);
    const controlled = () => page.evaluate(() => navigator.serviceWorker?.controller?.state === 'activated');
    if (!(await activeWorker(page))) return null;
    // A worker that does not claim open pages controls them from the next load on.
    if (!(await controlled())) {
      await page.reload();
      await interactiveAt(page);
    }
    if (!(await controlled())) return null;
    await context.setOffline(true);
    const precachedGzipBytes = (await Promise.all(precached)).reduce((sum, n) => sum + n, 0);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await page.reload();
      times.push(await interactiveAt(page));
    }
    return { times, precachedGzipBytes };
  } finally {
    await context.close();
  }
}
