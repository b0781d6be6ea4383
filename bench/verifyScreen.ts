// Verification as an admin sees it: the real Verify screen of the production build, files chosen
// through its file input, timed from the input's change event until the summary counts them all.
import type { Browser } from '@playwright/test';
import { profiled, traced } from './profile';

export interface ScreenRun {
  ms: number;
  /** The longest main-thread task meanwhile (PerformanceObserver longtask: over 50 ms; 0 = none). */
  longestTask: number;
}

interface Probe {
  start: number;
  longest: number;
}

/** With `profile`, the run is wrapped in Chromium's profiler or timeline trace (BENCH_PROFILE=1). */
export async function verifyInScreen(
  browser: Browser,
  appUrl: string,
  files: string[],
  profile: 'cpu' | 'timeline' | null = null,
): Promise<ScreenRun> {
  // A fresh context each run: the first check pays for starting the screen's worker, as it does for people.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.goto(`${appUrl}#verify`);
    const input = page.locator('#verify-files');
    await input.waitFor({ state: 'attached' }).catch(() => {
      throw new Error('The Verify screen (#verify) shows no file input #verify-files: update bench/verifyScreen.ts to the screen.');
    });
    await input.evaluate((element) => {
      const probe: Probe = { start: 0, longest: 0 };
      (window as unknown as { benchProbe: Probe }).benchProbe = probe;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) probe.longest = Math.max(probe.longest, entry.duration);
      }).observe({ type: 'longtask' });
      // On the input itself, so it runs before the screen's (delegated) handler starts the checks.
      element.addEventListener('change', () => (probe.start = performance.now()));
    });
    const check = async () => {
      await input.setInputFiles(files);
      return page.waitForFunction(
        (count) => {
          const text = document.querySelector('[data-testid="verify-counts"]')?.textContent ?? '';
          return text.startsWith(`${count} files:`) ? performance.now() : false;
        },
        files.length,
        // Every 50 ms rather than every frame: looking at the page costs the page time too.
        { polling: 50, timeout: 300_000 },
      );
    };
    const done =
      profile === 'cpu'
        ? await profiled(page, 'Verify screen', check)
        : profile === 'timeline'
          ? await traced(browser, page, 'Verify screen', check)
          : await check();
    const end = (await done.jsonValue()) as number;
    // Let the observer deliver the last entries before reading them.
    await page.waitForTimeout(100);
    const probe = await page.evaluate(() => (window as unknown as { benchProbe: Probe }).benchProbe);
    if (probe.start === 0) throw new Error('The Verify screen file input never fired a change event.');
    return { ms: end - probe.start, longestTask: probe.longest };
  } finally {
    await context.close();
  }
}
