import { describe, expect, it } from 'vitest';
import { deadlineText, type Timers } from '../../src/ui/worker/deadline';
import { readInWorker } from '../../src/ui/worker/once';

/** A worker the test answers for, and timers the test advances: the read-once path of Convert and Complete. */
class FakeWorker {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { preventDefault(): void }) => void) | null = null;
  sent: unknown[] = [];
  terminated = false;
  postMessage(message: unknown) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  say(data: unknown) {
    this.onmessage?.({ data });
  }
  fail() {
    this.onerror?.({ preventDefault() {} });
  }
}

function setup() {
  const worker = new FakeWorker();
  let due: (() => void) | null = null;
  const timers: Timers = { set: (callback) => (due = callback), clear: () => (due = null) };
  const onPage: string[] = [];
  const read = readInWorker('request', {
    start: () => worker as unknown as Worker,
    onPage: async (request) => (onPage.push(request), 'read on the page'),
    deadlineMs: 5_000,
    timers,
  });
  return { worker, read, onPage, fireDeadline: () => due?.(), armed: () => due !== null };
}

describe('readInWorker', () => {
  it('sends the request and resolves with the answer, then terminates the worker', async () => {
    const { worker, read, armed } = setup();
    expect(worker.sent).toEqual(['request']);
    worker.say({ ready: true });
    worker.say({ value: 'opened' });
    expect(await read).toEqual({ ok: true, value: 'opened' });
    expect(worker.terminated).toBe(true);
    expect(armed()).toBe(false);
  });

  it('stops at the deadline: the worker is terminated and the outcome is too-much-work', async () => {
    const { worker, read, fireDeadline } = setup();
    worker.say({ ready: true });
    fireDeadline();
    const outcome = await read;
    expect(outcome).toMatchObject({ ok: false, code: 'too-much-work' });
    expect(outcome.ok === false && outcome.message).toContain(deadlineText(5_000));
    expect(worker.terminated).toBe(true);
    // A late answer changes nothing.
    worker.say({ value: 'too late' });
    expect(await read).toBe(outcome);
  });

  it('rejects with the message of an error the reader threw', async () => {
    const { worker, read } = setup();
    worker.say({ error: 'bug' });
    await expect(read).rejects.toThrow('bug');
    expect(worker.terminated).toBe(true);
  });

  it('reads on the page when the worker never loads, but never after it crashed on the file', async () => {
    const neverLoaded = setup();
    neverLoaded.worker.fail();
    expect(await neverLoaded.read).toEqual({ ok: true, value: 'read on the page' });
    expect(neverLoaded.onPage).toEqual(['request']);

    const crashed = setup();
    crashed.worker.say({ ready: true });
    crashed.worker.fail();
    expect(await crashed.read).toMatchObject({ ok: false, code: 'too-much-work' });
    expect(crashed.onPage).toEqual([]);
    expect(crashed.worker.terminated).toBe(true);
  });

  it('reads on the page when workers cannot start at all', async () => {
    const read = readInWorker('request', {
      start: () => {
        throw new Error('no workers');
      },
      onPage: async () => 'read on the page',
    });
    expect(await read).toEqual({ ok: true, value: 'read on the page' });
  });
});
