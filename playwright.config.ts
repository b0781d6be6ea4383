import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/e2e/browser';

// Overridable so that several checkouts or helpers can run end-to-end tests side by side.
const PORT = Number(process.env.APPCERT_E2E_PORT ?? 4173);
const DIST = process.env.APPCERT_DIST ?? 'dist';
const RESULTS = process.env.APPCERT_RESULTS ?? 'test-results';

// End-to-end tests run against the production build (`vite build` + `vite preview`): the service
// worker and the Content-Security-Policy exist only there.
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  // One retry, so that a test that failed once on a loaded machine does not sink a whole run; `npm test`
  // names every test that needed it ("flaky"), so a retry is never silent.
  retries: 1,
  outputDir: `${RESULTS}/playwright`,
  reporter: [['list'], ['json', { outputFile: `${RESULTS}/playwright.json` }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    acceptDownloads: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
