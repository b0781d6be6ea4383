import { expect, type Page } from '@playwright/test';

/**
 * Waits until the service worker really controls the page: `ready` resolves earlier, while only an
 * activated controller serves the page's requests from its cache.
 */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Ready to work offline' })).toBeVisible();
}
