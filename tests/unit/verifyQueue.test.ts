import { beforeAll, describe, expect, it } from 'vitest';
import type { FileReport } from '../../src/lib/verify/fileReport';
import { deadlineText, type Timers } from '../../src/ui/worker/deadline';
import { VerifyQueue, type CheckWorker, type QueueOptions } from '../../src/ui/verify/queue';
import type { CheckRequest, CheckResponse } from '../../src/ui/verify/request';

/** A worker that does nothing by itself: the test says when it starts and finishes a file, or crashes. */
class FakeWorker implements CheckWorker {
  onmessage: ((event: { data: CheckResponse }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  posted: CheckRequest[] = [];
  terminated = false;
  postMessage(request: CheckRequest) {
    this.posted.push(request);
  }
  terminate() {
    this.terminated = true;
  }
  start(id: number) {
    this.onmessage?.({ data: { id, started: true } });
  }
  finish(id: number) {
    this.onmessage?.({ data: { id, report: { file: `report ${id}`, ok: true, problems: [] } as unknown as FileReport } });
  }
  names() {
    return this.posted.map((r) => r.name);
  }
}

/** Timers that run only when the test advances them. */
class FakeTimers implements Timers {
  now = 0;
  #due = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  set(callback: () => void, ms: number) {
    this.#due.set(this.#next, { at: this.now + ms, callback });
    return this.#next++;
  }
  clear(handle: unknown) {
    this.#due.delete(handle as number);
  }
  get armed() {
    return this.#due.size;
  }
  advance(ms: number) {
    this.now += ms;
    for (const [handle, { at, callback }] of [...this.#due]) {
      if (at > this.now || !this.#due.has(handle)) continue;
      this.#due.delete(handle);
      callback();
    }
  }
}

/**
 * Runs the queue's pending continuations. With fake workers and timers every step is synchronous
 * or a few awaits of settled promises, so a fixed number of microtask turns finishes them: how
 * loaded the machine is does not matter. (The page's own checks run real crypto: see reportsReach.)
 */
async function flush(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
}

/** A file on disk whose read finishes when the test says so. */
class HeldBlob extends Blob {
  #release!: (buffer: ArrayBuffer) => void;
  readonly #read = new Promise<ArrayBuffer>((resolve) => (this.#release = resolve));
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#read;
  }
  async release(): Promise<void> {
    this.#release(await new Blob([this]).arrayBuffer());
  }
}

type Core = typeof import('../../src/lib/verify/verify');
let core: Core;
beforeAll(async () => {
  core = await import('../../src/lib/verify/verify');
});

function setup(options: Partial<QueueOptions> = {}) {
  const workers: FakeWorker[] = [];
  const timers = new FakeTimers();
  const reports: { id: number; report: FileReport }[] = [];
  let reported: (() => void)[] = [];
  const queue = new VerifyQueue({
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    onReport: (id, report) => {
      reports.push({ id, report });
      for (const wake of reported) wake();
      reported = [];
    },
    workers: 2,
    perWorker: 4,
    deadlineMs: 5_000,
    timers,
    core: async () => core,
    ...options,
  });
  const add = (...ids: number[]) =>
    ids.forEach((id) => queue.add({ id, name: `f${id}.pem`, source: new TextEncoder().encode(`file ${id}`) }));
  const codes = (id: number) => reports.filter((r) => r.id === id).map((r) => r.report.problems.map((p) => p.code));
  /** Waits for the report event until `count` have arrived (checks on the page take turns of the event loop, not only microtasks). */
  const reportsReach = async (count: number) => {
    while (reports.length < count) await new Promise<void>((wake) => reported.push(wake));
  };
  return { queue, workers, timers, reports, add, codes, reportsReach };
}

describe('VerifyQueue', () => {
  it('spreads files over the pool, hands each worker a few ahead and refills as reports arrive', async () => {
    const { queue, workers, reports, add } = setup();
    add(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    await flush();
    expect(workers).toHaveLength(2);
    // 2 workers × 4 ahead: the rest waits on the page, unread.
    expect(workers.map((w) => w.posted.length)).toEqual([4, 4]);
    expect(queue.pending).toBe(10);
    const [first] = workers;
    first.start(first.posted[0].id);
    first.finish(first.posted[0].id);
    await flush();
    expect(reports.map((r) => r.id)).toEqual([first.posted[0].id]);
    expect(workers[0].posted.length + workers[1].posted.length).toBe(9);
    expect(queue.pending).toBe(9);
  });

  it('refuses a file past its deadline, replaces its worker and re-queues the files it held', async () => {
    const { queue, workers, timers, reports, add, codes } = setup();
    add(1, 2, 3, 4);
    await flush();
    const [stuck, healthy] = workers;
    expect(stuck.names()).toEqual(['f1.pem', 'f3.pem']);
    stuck.start(1);
    healthy.start(2);
    healthy.finish(2);
    timers.advance(4_999);
    expect(stuck.terminated).toBe(false);
    timers.advance(1);
    await flush();

    expect(stuck.terminated).toBe(true);
    expect(workers).toHaveLength(3);
    expect(codes(1)).toEqual([['too-much-work']]);
    expect(reports.find((r) => r.id === 1)?.report.problems[0].message).toContain(deadlineText(5_000));
    // File 3 was waiting behind the stuck one: sent again, with the bytes already read, not reported.
    expect(codes(3)).toEqual([]);
    const replacement = workers[2];
    const resent = [...healthy.posted, ...replacement.posted].find((r) => r.id === 3);
    expect(new TextDecoder().decode(resent?.bytes ?? new ArrayBuffer(0))).toBe('file 3');
    const holder = healthy.posted.includes(resent as CheckRequest) ? healthy : replacement;
    holder.start(3);
    holder.finish(3);
    healthy.start(4);
    healthy.finish(4);
    await flush();
    expect(codes(3)).toEqual([[]]);
    expect(reports.map((r) => r.id).sort()).toEqual([1, 2, 3, 4]);
    expect(queue.pending).toBe(0);
    expect(timers.armed).toBe(0);
  });

  it('gives each file its own deadline from its start', async () => {
    const { workers, timers, codes, add } = setup({ workers: 1 });
    add(1, 2);
    await flush();
    const [worker] = workers;
    worker.start(1);
    timers.advance(4_000);
    worker.finish(1);
    worker.start(2);
    timers.advance(4_000);
    expect(worker.terminated).toBe(false);
    timers.advance(1_000);
    await flush();
    expect(worker.terminated).toBe(true);
    expect(codes(1)).toEqual([[]]);
    expect(codes(2)).toEqual([['too-much-work']]);
  });

  it('checks again alone each file that was in progress with others at a deadline, and refuses only the one stuck alone', async () => {
    const { workers, timers, add, codes } = setup({ workers: 1 });
    add(1, 2, 3);
    await flush();
    workers[0].start(1);
    workers[0].start(2);
    timers.advance(5_000);
    await flush();
    expect(workers[0].terminated).toBe(true);
    expect(codes(1)).toEqual([]);
    expect(codes(2)).toEqual([]);
    // One suspect at a time, on a worker of its own; the rest waits.
    const [, first] = workers;
    expect(first.names()).toEqual(['f1.pem']);
    first.start(1);
    first.finish(1);
    expect(first.names()).toEqual(['f1.pem', 'f2.pem']);
    first.start(2);
    timers.advance(5_000);
    await flush();
    expect(codes(1)).toEqual([[]]);
    expect(codes(2)).toEqual([['too-much-work']]);
    expect(workers[2].names()).toEqual(['f3.pem']);
  });

  it('reports a worker that crashes on a file, and carries on with a new one', async () => {
    const { workers, add, codes } = setup({ workers: 1 });
    add(1, 2);
    await flush();
    workers[0].start(1);
    workers[0].onerror?.(new Event('error'));
    await flush();
    expect(workers[0].terminated).toBe(true);
    expect(codes(1)).toEqual([['too-much-work']]);
    expect(workers[1].names()).toEqual(['f2.pem']);
  });

  it('clear stops the work in flight: workers terminated, nothing reported afterwards', async () => {
    const { queue, workers, timers, reports, add } = setup();
    add(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    await flush();
    workers[0].start(1);
    queue.clear();
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(queue.pending).toBe(0);
    expect(timers.armed).toBe(0);
    // A late answer from a terminated worker, or the deadline, changes nothing.
    workers[0].finish(1);
    timers.advance(10_000);
    await flush();
    expect(reports).toEqual([]);
    // The next file starts fresh workers.
    add(11);
    await flush();
    expect(workers).toHaveLength(4);
    expect(workers[2].names()).toEqual(['f11.pem']);
  });

  it('drops reads that finish after clear', async () => {
    const { queue, workers } = setup();
    const file = new HeldBlob(['file 1']);
    queue.add({ id: 1, name: 'f1.pem', source: file });
    queue.clear();
    await file.release();
    await flush();
    expect(workers.flatMap((w) => w.posted)).toEqual([]);
    // The same read without clear is posted once it finishes.
    const other = new HeldBlob(['file 2']);
    queue.add({ id: 2, name: 'f2.pem', source: other });
    await flush();
    expect(workers.flatMap((w) => w.names())).toEqual([]);
    await other.release();
    await flush();
    expect(workers.flatMap((w) => w.names())).toEqual(['f2.pem']);
  });

  it('checks on the page when workers cannot start, and when a worker fails before it answers', async () => {
    const none = setup({
      createWorker: () => {
        throw new Error('no workers');
      },
    });
    none.add(1);
    await none.reportsReach(1);
    expect(none.codes(1)).toEqual([['not-a-certificate']]);

    const broken = setup();
    broken.add(1, 2);
    await flush();
    broken.workers[0].onerror?.(new Event('error'));
    await broken.reportsReach(2);
    expect(broken.workers.every((w) => w.terminated)).toBe(true);
    expect(broken.codes(1)).toEqual([['not-a-certificate']]);
    expect(broken.codes(2)).toEqual([['not-a-certificate']]);
    expect(broken.queue.pending).toBe(0);
  });
});
