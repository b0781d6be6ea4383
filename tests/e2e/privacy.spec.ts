import { expect, test, type BrowserContext, type Request } from '@playwright/test';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../../src/ui/about/csp';
import { createWithOid, exportPkcs12, verifyCertificate } from './flows';
import { waitForServiceWorkerControl } from './serviceWorker';
import { serveBuildAt, type SubPathServer } from './staticServer';
import { collectPageErrors } from './pageErrors';

test.describe('Content-Security-Policy', () => {
  test('the page carries the policy as a meta tag and the server sends it as a header', async ({ page }) => {
    const response = await page.goto('./');
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY_HEADER);
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', CONTENT_SECURITY_POLICY);
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "connect-src 'self'"]) {
      expect(CONTENT_SECURITY_POLICY).toContain(directive);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|\*|https?:/);
  });

  // Once under the header and meta tag, once with the header stripped: the meta tag alone holds.
  for (const delivery of ['header and meta tag', 'meta tag only'] as const) {
    test(`with the ${delivery}, injected inline scripts, eval and requests to other origins are blocked and reported`, async ({ page }) => {
      if (delivery === 'meta tag only') {
        await page.route(/\/(#.*)?$/, async (route) => {
          const response = await route.fetch();
          const headers = { ...response.headers() };
          delete headers['content-security-policy'];
          await route.fulfill({ response, headers });
        });
      }
      const response = await page.goto('./');
      expect(response?.headers()['content-security-policy'] === undefined).toBe(delivery === 'meta tag only');
      await expect(page.getByRole('heading', { level: 1, name: 'Create' })).toBeVisible();

      const outcome = await page.evaluate(async () => {
        const violations: string[] = [];
        // Violation events are queued in the order of the violations: the fetch's comes last.
        let fetchReported: () => void = () => {};
        const lastReport = new Promise<void>((resolve) => (fetchReported = resolve));
        document.addEventListener('securitypolicyviolation', (e) => {
          violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
          if (e.effectiveDirective === 'connect-src') fetchReported();
        });
        const script = document.createElement('script');
        script.textContent = 'window.injectedScriptRan = true';
        document.body.append(script);
        // Outside the test's own evaluation, which DevTools exempts from the eval rule.
        const evalBlocked = await new Promise<boolean>((resolve) =>
          setTimeout(() => {
            try {
              resolve(new Function('return false')());
            } catch {
              resolve(true);
            }
          }),
        );
        const fetched = await fetch('https://example.com/collect', { method: 'POST', body: 'key' }).then(
          () => 'sent',
          () => 'refused',
        );
        await lastReport;
        return { ran: 'injectedScriptRan' in window, evalBlocked, fetched, violations };
      });
      expect(outcome.ran).toBe(false);
      expect(outcome.evalBlocked).toBe(true);
      expect(outcome.fetched).toBe('refused');
      expect(outcome.violations).toEqual(
        expect.arrayContaining(['script-src-elem inline', 'script-src eval', 'connect-src https://example.com/collect']),
      );
    });
  }
});

const DIST = process.env.APPCERT_DIST ?? 'dist';

interface Logged {
  url: string;
  fromServiceWorker: boolean;
}

/** Records every request of the context (pages and service worker), with where its answer came from. */
function recordRequests(context: BrowserContext): Logged[] {
  const log: Logged[] = [];
  const settle = (request: Request) => async () => {
    const response = await request.response().catch(() => null);
    log.push({ url: request.url(), fromServiceWorker: response?.fromServiceWorker() ?? false });
  };
  context.on('requestfinished', (request) => void settle(request)());
  context.on('requestfailed', (request) => void settle(request)());
  return log;
}

test.describe('zero network', () => {
  let server: SubPathServer;
  let dir: string;
  test.beforeAll(async () => {
    server = await serveBuildAt('/appcert/');
  });
  test.afterAll(async () => {
    await server.close();
  });
  test.beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'appcert-privacy-'));
  });
  test.afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the first load asks only the app’s own origin; after it, Create and Verify reach no server at all', async ({ page, context }) => {
    const log = recordRequests(context);
    const origin = new URL(server.url).origin;
    // The app itself must never trip its own policy, nor log errors.
    await page.addInitScript(() => {
      const violations: string[] = [];
      Object.assign(window, { violations });
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    const errors = collectPageErrors(page);

    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    const loadRequests = log.length;
    const loadReceived = server.received.length;
    expect(loadRequests).toBeGreaterThan(0);
    expect(log.filter((r) => !r.url.startsWith(`${origin}/appcert/`))).toEqual([]);

    const received = server.received.length;
    const created = await createWithOid(page, dir);
    await exportPkcs12(page, dir, created);
    await verifyCertificate(page, created.certificate);
    const after = log.slice(loadRequests);
    // Blob URLs are the downloads being written locally; anything else would be the network.
    const network = after.filter((r) => !r.url.startsWith('blob:') && !r.fromServiceWorker);
    console.log(
      `requests: first load ${loadRequests} (server saw ${loadReceived}); Create, PKCS#12 and Verify flows ${after.length}, ` +
        `${after.filter((r) => r.fromServiceWorker).length} answered by the service worker (${after.map((r) => new URL(r.url).pathname).join(', ')}), ` +
        `${network.length} to the network; server saw ${server.received.length - received}`,
    );
    expect(network).toEqual([]);
    expect(after.every((r) => r.url.startsWith(`${origin}/appcert/`) || r.url.startsWith(`blob:${origin}/`))).toBe(true);
    expect(server.received.slice(received)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(errors).toEqual([]);

    // Keys live only in memory: no storage holds anything but the service worker's copy of the app.
    const stored = await page.evaluate(async () => {
      const cached: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) cached.push(request.url);
      }
      return { local: localStorage.length, session: sessionStorage.length, databases: (await indexedDB.databases()).length, cached };
    });
    expect(stored).toMatchObject({ local: 0, session: 0, databases: 0 });
    expect(stored.cached.length).toBeGreaterThan(0);
    const buildFiles = new Set((await readdir(DIST, { recursive: true })).map((f) => `${server.url}${f}`));
    expect(stored.cached.map((url) => url.replace(/\?__WB_REVISION__=\w+$/, '')).filter((url) => !buildFiles.has(url))).toEqual([]);
  });
});
