import { test } from '@playwright/test';
import { join } from 'node:path';
test('shot', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 2400 });
  await page.goto('./#verify');
  await page.getByLabel('Expected app UUID (optional)').fill('da7f2800-4122-4681-aebf-90beb779b73f');
  await page.locator('#verify-files').setInputFiles(['oid-ok.pem', 'chain-reversed.pem', 'modern.p12', 'no-app-id.pem'].map((f) => join('/tmp/fx/out', f)));
  await page.getByTestId('verify-counts').waitFor();
  await page.screenshot({ path: '/tmp/fx/shot.png', fullPage: true });
});
