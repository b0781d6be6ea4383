import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src/ui/about/csp';
import { axeViolations } from './axe';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { APP_ID, createWithOid, exportPkcs12, generateWithOid, saveDownload, verifyCertificate } from './flows';
import { waitForServiceWorkerControl } from './serviceWorker';
import { serveBuildAt, type SubPathServer } from './staticServer';

const DIST = process.env.APPCERT_DIST ?? 'dist';

/**
 * Has the browser check for a new service worker now and waits until it is installed and waiting,
 * however long storing the new files takes on a busy machine (an event, not a time limit).
 */
async function installUpdate(page: Page): Promise<void> {
  const state = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
    const worker = registration?.installing ?? registration?.waiting;
    if (!worker) return 'no new worker';
    while (worker.state === 'installing') await new Promise((resolve) => worker.addEventListener('statechange', resolve, { once: true }));
    return worker.state;
  });
  expect(state).toBe('installed');
}

test.describe('offline app (service worker)', () => {
  test('the service worker takes control on the first visit and the page says it is ready offline', async ({ page }) => {
    await page.goto('./');
    await expect(page.locator('[data-offline-state]').first()).toHaveAttribute('data-offline-state', /saving|ready/);
    await waitForServiceWorkerControl(page);
    const worker = await page.evaluate(() => ({
      state: navigator.serviceWorker.controller?.state,
      script: navigator.serviceWorker.controller?.scriptURL,
    }));
    expect(worker).toEqual({ state: 'activated', script: new URL('sw.js', page.url()).href });

    // Every file of the build is in the cache (lazy screen chunks and workers included), except
    // the service worker itself and robots.txt, which only crawlers read.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      return urls.map((url) => new URL(url).pathname.slice(1));
    });
    const files = (await readdir(DIST, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    const expected = files.map((f) => join(f.parentPath, f.name).slice(DIST.length + 1)).filter((f) => f !== 'sw.js' && f !== 'robots.txt');
    expect(expected).toEqual(expect.arrayContaining(['index.html', 'manifest.webmanifest', 'icon-512.png']));
    expect(expected.some((f) => /^assets\/VerifyScreen-.*\.js$/.test(f))).toBe(true);
    expect(cached.sort()).toEqual(expected.sort());
  });

  test('with the network off, a reload still shows the app and every screen opens', async ({ page, context }) => {
    await page.goto('./');
    await waitForServiceWorkerControl(page);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Create' })).toBeVisible();
    for (const title of ['Complete a CSR', 'Convert PKCS#12', 'Verify', 'About & privacy']) {
      await page.getByRole('navigation').getByRole('link', { name: title }).click();
      await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
      await expect(page.getByText('This screen could not be loaded')).toHaveCount(0);
    }
  });

  test('with the network off, a full Create (RSA-2048, UUID in the OID attribute, PKCS#12) and a Verify work', async ({
    page,
    context,
  }) => {
    // Key generation, PBKDF2 and a Verify in one test: a busy two-core runner needs more than the default minute.
    test.slow();
    await page.goto('./');
    await waitForServiceWorkerControl(page);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Create' })).toBeVisible();
    const dir = await mkdtemp(join(tmpdir(), 'appcert-offline-'));
    try {
      const created = await createWithOid(page, dir);
      await exportPkcs12(page, dir, created);
      await verifyCertificate(page, created.certificate);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test.describe('control run: service workers blocked', () => {
    test.use({ serviceWorkers: 'block' });

    test('the same offline reload fails, so the test above proves the service worker works', async ({ page, context }) => {
      await page.goto('./');
      await expect(page.getByRole('heading', { level: 1, name: 'Create' })).toBeVisible();
      await context.setOffline(true);
      const reload = await page.reload().then(
        () => 'loaded',
        (error: Error) => error.message,
      );
      expect(reload).toMatch(/ERR_INTERNET_DISCONNECTED/);
    });
  });
});

test('the header policy allows the service worker exactly what it needs: with connect-src narrowed to none, it cannot store the app', async ({
  page,
}) => {
  const narrowed = CONTENT_SECURITY_POLICY_HEADER.replace("connect-src 'self'", "connect-src 'none'");
  expect(narrowed).not.toBe(CONTENT_SECURITY_POLICY_HEADER);
  const server = await serveBuildAt('/narrow/', narrowed);
  try {
    await page.goto(server.url);
    const status = page.locator('.offline-status');
    // The install is tried after the page's load event and fails on its first blocked download; on a
    // busy runner that can take as long as the worker taking control does elsewhere (30 s there).
    await expect(status).toHaveAttribute('data-offline-state', 'failed', { timeout: 30_000 });
    await expect(status).toContainText('appcert could not be stored for offline use; it still works while this page stays open.');
    await expect(page.getByRole('heading', { level: 1, name: 'Create' })).toBeVisible();
  } finally {
    await server.close();
  }
});

test.describe('installable from a sub-path', () => {
  let server: SubPathServer;
  test.beforeAll(async () => {
    server = await serveBuildAt('/tools/appcert/');
  });
  test.afterAll(async () => {
    await server.close();
  });
  test.beforeEach(() => {
    server.swSuffix = '';
  });

  test('manifest, icons, scope and start URL are right under /tools/appcert/', async ({ page, context }) => {
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    const cdp = await context.newCDPSession(page);
    const { url, errors, data } = await cdp.send('Page.getAppManifest');
    expect(url).toBe(`${server.url}manifest.webmanifest`);
    expect(errors).toEqual([]);
    const manifest = JSON.parse(data ?? '{}');
    expect(manifest).toMatchObject({ name: expect.stringContaining('appcert'), short_name: 'appcert', display: 'standalone' });
    expect(manifest.description).toMatch(/offline/);
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(new URL(manifest.start_url, url).href).toBe(server.url);
    expect(new URL(manifest.scope, url).href).toBe(server.url);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope)).toBe(server.url);

    // Each icon is a PNG of the size the manifest claims (width and height from the IHDR chunk).
    const pngs = manifest.icons.filter((i: { type: string }) => i.type === 'image/png');
    expect(pngs.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ]);
    for (const icon of pngs) {
      const body = await (await page.request.get(new URL(icon.src, url).href)).body();
      expect(body.subarray(1, 4).toString()).toBe('PNG');
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`).toBe(icon.sizes);
    }
  });

  test('Chromium offers to install it (a real profile: test contexts are incognito, where nothing installs)', async ({ playwright }) => {
    const profile = await mkdtemp(join(tmpdir(), 'appcert-profile-'));
    const context = await playwright.chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(server.url);
      await waitForServiceWorkerControl(page);
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  test('a new version waits for the user and never reloads a page with keys not downloaded', async ({ page, context }) => {
    // Key generation and a second service-worker install that stores every file again: a busy two-core runner needs more than the default minute.
    test.slow();
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    await generateWithOid(page);
    // A reload would fire a load event and drop this marker.
    let loads = 0;
    page.on('load', () => (loads += 1));
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const sameDocument = () => page.evaluate(() => 'sameDocument' in window);

    // Deploy a new version; the browser finds it on its next update check.
    server.swSuffix = '\n// next version\n';
    await installUpdate(page);
    const banner = page.getByRole('region', { name: 'Update available' });
    await expect(banner).toContainText('Update available: a new version of appcert is ready.');
    await expect(banner).toContainText('1 private key you made here is not downloaded yet');

    // Another tab, with nothing unsaved, takes the update and reloads at its user's request.
    const other = await context.newPage();
    await other.goto(server.url);
    const otherReloaded = other.waitForEvent('load');
    await other.getByRole('region', { name: 'Update available' }).getByRole('button', { name: 'Reload to update' }).click();
    await otherReloaded;
    await waitForServiceWorkerControl(other);
    expect(await other.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();

    // This tab is told, and keeps its page and key: once the new worker controls it (every event of
    // the switch has reached it, and a reload could only start from those), it is the same document.
    await expect(banner).toContainText('A new version of appcert was switched on in another tab.');
    await waitForServiceWorkerControl(page);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    expect(await sameDocument()).toBe(true);
    expect(loads).toBe(0);
    await expect(page.getByTestId('result-summary')).toBeVisible();

    // Reload asks before losing the key; once the key is downloaded it just reloads.
    await banner.getByRole('button', { name: 'Reload to update' }).click();
    await expect(banner.getByRole('alert')).toHaveText('Reload anyway and lose the key? This cannot be undone.');
    expect(await sameDocument()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    const dir = await mkdtemp(join(tmpdir(), 'appcert-update-'));
    try {
      await saveDownload(page, `Download app-${APP_ID}.key`, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expect(banner).not.toContainText('not downloaded yet');
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Reload to update' }).click();
    await reloaded;
    expect(loads).toBe(1);
    expect(await sameDocument()).toBe(false);
    await expect(page.getByRole('heading', { level: 1, name: 'Create' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Update available' })).toHaveCount(0);
  });

  test('offline under the sub-path too', async ({ page, context }) => {
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'About & privacy' }).click();
    await expect(page.getByText('This page runs under the policy below.')).toBeVisible();
  });
});
