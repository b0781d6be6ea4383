// BENCH_PROFILE=1: Chromium's sampling profiler (over CDP) around a measure, to find where the time goes.
import type { Browser, Page } from '@playwright/test';

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

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
  args?: { name?: string };
}

/**
 * Runs fn under a Chromium timeline trace when BENCH_PROFILE=1 and prints where the page's main
 * thread spent its time by event (Layout, style recalculation, script...). The CPU profiler only
 * calls such native work "(program)". Nested events overlap, so the lines do not add up.
 */
export async function traced<T>(browser: Browser, page: Page, label: string, fn: () => Promise<T>): Promise<T> {
  if (!profiling) return fn();
  await browser.startTracing(page, { categories: ['devtools.timeline'] });
  try {
    return await fn();
  } finally {
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
    const total = new Map<string, { ms: number; count: number }>();
    for (const e of traceEvents) {
      if (e.tid !== main || e.ph !== 'X' || e.dur === undefined) continue;
      const entry = total.get(e.name) ?? { ms: 0, count: 0 };
      entry.ms += e.dur / 1000;
      entry.count += 1;
      total.set(e.name, entry);
    }
    const lines = [...total.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
    process.stderr.write(
      `  main-thread timeline of ${label} (nested events overlap):\n${lines.map(([name, t]) => `    ${t.ms.toFixed(0).padStart(8)} ms  ${String(t.count).padStart(6)} x  ${name}`).join('\n')}\n`,
    );
  }
}
