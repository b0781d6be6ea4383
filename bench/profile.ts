// BENCH_PROFILE=1: Chromium's sampling profiler (over CDP) around a measure, to find where the time goes.
import type { Page } from '@playwright/test';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export const profiling = process.env.BENCH_PROFILE === '1';

/** Self time per function, the heaviest first, as text lines. */
function heaviest(profile: Profile, top: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url.split('/').pop() || '(native)';
    const key = `${frame.functionName || '(anonymous)'}  ${file}:${frame.lineNumber + 1}`;
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    self.set(key, (self.get(key) ?? 0) + ms);
    total += ms;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => `    ${ms.toFixed(1).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
}

/** Runs fn under the profiler when BENCH_PROFILE=1 and prints the heaviest functions. */
export async function profiled<T>(page: Page, label: string, fn: () => Promise<T>): Promise<T> {
  if (!profiling) return fn();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach();
    process.stderr.write(`  profile of ${label}, self time:\n${heaviest(profile as Profile, 15).join('\n')}\n`);
  }
}
