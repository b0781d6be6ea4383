import { summaryCounts } from '../../lib/verify/report';
import { applyExpected } from '../../lib/verify/expected';
import type { FileReport } from '../../lib/verify/fileReport';
import { VerifyQueue, type CheckWorker } from './queue';

/** One input: a chosen file (read when its turn comes) or pasted text. */
export interface Entry {
  id: number;
  name: string;
  source: File | Uint8Array<ArrayBuffer>;
  report: FileReport | null;
  checking: boolean;
}

const ADD_SLICE = 25;
/** Reports are shown in groups this often, so a thousand arriving cost dozens of renders, not a thousand. */
const APPLY_EVERY_MS = 50;

const startWorker = (): CheckWorker =>
  new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' }) as unknown as CheckWorker;

/** The files of the Verify screen and their reports, checked by a VerifyQueue. */
export class VerifyBatch {
  entries = $state<Entry[]>([]);
  /** Counted as reports arrive, so each one costs the page O(1), not a pass over the batch. */
  done = $state(0);
  announcement = $state('');

  #nextId = 1;
  /** The reactive entries by id, for O(1) updates. */
  // An index into the reactive entries, not state itself: it never drives the view.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #byId = new Map<number, Entry>();
  #arrived: { id: number; report: FileReport }[] = [];
  #applyTimer: ReturnType<typeof setTimeout> | null = null;
  #queue: VerifyQueue | null = null;
  /** The expected app UUID, which the closing announcement counts with. */
  readonly #expected: () => string;

  constructor(expected: () => string) {
    this.#expected = expected;
  }

  /** Memoized, so the controls that read it re-render once when the batch finishes, not at every report. */
  readonly busy = $derived(this.done < this.entries.length);

  /**
   * Adds inputs a slice at a time, yielding to the browser between slices: a batch of hundreds
   * then renders in short tasks, and typing stays responsive meanwhile.
   */
  async add(items: { name: string; source: Entry['source'] }[]): Promise<void> {
    for (let start = 0; start < items.length; start += ADD_SLICE) {
      if (start > 0) await new Promise((resolve) => setTimeout(resolve));
      for (const item of items.slice(start, start + ADD_SLICE)) {
        const id = this.#nextId++;
        this.entries.push({ id, ...item, report: null, checking: true });
        this.#byId.set(id, this.entries[this.entries.length - 1]);
        this.#check({ id, ...item });
      }
      const left = this.entries.length - this.done;
      this.announcement = `Checking ${left} file${left === 1 ? '' : 's'}…`;
    }
  }

  retry(id: number, password: string): void {
    const entry = this.#byId.get(id);
    if (!entry) return;
    entry.checking = true;
    this.done -= 1;
    this.#check({ id, name: entry.name, source: entry.source, password });
  }

  /** Drops every file and stops the work in flight: nothing arrives afterwards. */
  clear(): void {
    this.#queue?.clear();
    this.#arrived.length = 0;
    this.entries = [];
    this.#byId.clear();
    this.done = 0;
    this.announcement = 'Results cleared.';
  }

  dispose(): void {
    this.#queue?.clear();
    if (this.#applyTimer !== null) clearTimeout(this.#applyTimer);
  }

  #check(job: { id: number; name: string; source: Entry['source']; password?: string }): void {
    this.#queue ??= new VerifyQueue({ createWorker: startWorker, onReport: (id, report) => this.#arrive(id, report) });
    this.#queue.add(job);
  }

  #arrive(id: number, report: FileReport): void {
    this.#arrived.push({ id, report });
    this.#applyTimer ??= setTimeout(() => this.#applyArrived(), APPLY_EVERY_MS);
  }

  /** Shows the reports that arrived since the last call, all in one render. */
  #applyArrived(): void {
    this.#applyTimer = null;
    for (const { id, report } of this.#arrived.splice(0)) {
      const entry = this.#byId.get(id);
      if (!entry?.checking) continue;
      entry.report = report;
      entry.checking = false;
      this.done += 1;
    }
    if (this.#queue?.pending === 0 && this.entries.length > 0) {
      const counts = summaryCounts(this.entries.flatMap((e) => (e.report ? [applyExpected(e.report, this.#expected())] : [])));
      this.announcement = `Checked ${counts.total} file${counts.total === 1 ? '' : 's'}: ${counts.passed} pass${counts.passed === 1 ? 'es' : ''}, ${counts.failed} fail${counts.failed === 1 ? 's' : ''}.`;
    }
  }
}
