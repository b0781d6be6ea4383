import type { FileReport } from '../../lib/verify/fileReport';
import type { BatchChains } from '../../lib/verify/group';
import { announcementText } from '../../lib/verify/summary';
import { VerifyQueue, type CheckWorker } from './queue';
import type { Entry } from './entry';
import { batchView } from './view';

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
  /** The expected app UUID (already cleaned; null for none), which the closing announcement counts with. */
  readonly #expected: () => string | null;
  /** Which file issued which: loaded with pkijs only once a certificate arrives. */
  #chains: Promise<BatchChains> | null = null;
  /** Bumped when a link between files changes, so the views that group the batch update. */
  links = $state(0);
  /** Linking stopped at its work budget (a batch of many same-named certificates): later chains are not grouped. */
  linkingStopped = $state(false);
  #issuerOf: (id: number) => number | null = () => null;
  /** Links being made: the batch is done, and announced, once they are. */
  // Bookkeeping, not state: linksPending is what the view reads.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #linking = new Set<Promise<void>>();
  linksPending = $state(0);

  constructor(expected: () => string | null) {
    this.#expected = expected;
  }

  /** The file of the batch whose certificate issued this file's (it is then this file's chain); reactive. */
  issuerOf(id: number): number | null {
    void this.links;
    return this.#issuerOf(id);
  }

  /** Memoized, so the controls that read it re-render once when the batch finishes, not at every report. */
  readonly busy = $derived(this.done < this.entries.length || this.linksPending > 0);

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
    this.#chains = null;
    this.#issuerOf = () => null;
    this.links += 1;
    this.linkingStopped = false;
    this.#linking.clear();
    this.linksPending = 0;
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
      if (report.chainDer.length > 0 || this.#chains) this.#track(this.#link(id, report));
    }
    this.#announceWhenDone();
  }

  #track(link: Promise<void>): void {
    this.#linking.add(link);
    this.linksPending = this.#linking.size;
    void link.finally(() => {
      if (this.#linking.delete(link)) this.linksPending = this.#linking.size;
    });
  }

  /**
   * Once every file is checked and linked: "Checked 3 files: 1 passes, 0 fail (2 are the chain of
   * another file)." — the counts the page shows, once per batch, not per file or per link.
   */
  #announceWhenDone(): void {
    const idle = () => this.#queue?.pending === 0 && this.#arrived.length === 0 && this.entries.length > 0;
    if (!idle()) return;
    const linking = [...this.#linking];
    if (linking.length > 0) {
      void Promise.allSettled(linking).then(() => this.#announceWhenDone());
      return;
    }
    const counts = batchView(this.entries, this.#expected(), this.#issuerOf, 'verdict', false).counts;
    this.announcement = announcementText(counts);
  }

  /** Links a file to the others of the batch (chains dropped as separate files); a cleared batch ignores late answers. */
  async #link(id: number, report: FileReport): Promise<void> {
    const pending = (this.#chains ??= import('../../lib/verify/group').then(({ BatchChains }) => new BatchChains()));
    const chains = await pending;
    if (this.#chains !== pending) return;
    this.#issuerOf = chains.issuerOf;
    const changed = await chains.add(id, report);
    if (this.#chains !== pending) return;
    if (changed) this.links += 1;
    if (chains.stopped) this.linkingStopped = true;
  }
}
