import { expect, test } from '@playwright/test';

test('the app opens on Create and every screen is reachable from the navigation', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1, name: 'Create' })).toBeVisible();
  for (const title of ['Complete a CSR', 'Convert PKCS#12', 'Verify', 'About & privacy']) {
    await page.getByRole('navigation').getByRole('link', { name: title }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  }
});
