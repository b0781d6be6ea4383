import { MAX_INPUT_BYTES } from '../../lib/verify/limits';
import { refuseTooMuchWork, type FileReport } from '../../lib/verify/fileReport';
import { CRASH_TEXT, DEADLINE_MS, deadlineText, realTimers, type Timers } from '../worker/deadline';
import { checkRequest, type CheckRequest, type CheckResponse } from './request';

/** What the queue needs of a Web Worker (a fake one in unit tests). */
export interface CheckWorker {
  postMessage(request: CheckRequest): void;
  terminate(): void;
  onmessage: ((event: { data: CheckResponse }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** One file to check: chosen on disk (read when its turn comes) or pasted. */
export interface CheckJob {
  id: number;
  name: string;
  source: Blob | Uint8Array<ArrayBuffer>;
  password?: string;
}

/** The core the page itself loads only when no worker starts: the checks. */
export type PageCore = Pick<typeof import('../../lib/verify/verify'), 'verifyFile'>;

export interface QueueOptions {
  /** Starts a worker; throwing means workers are unavailable, and files are checked on the page instead. */
  createWorker: () => CheckWorker;
  onReport: (id: number, report: FileReport) => void;
  /** Workers checking files side by side: a file stuck on one leaves the others flowing. */
  workers?: number;
  /** Files handed to each worker ahead of time, so it never idles while the page is busy rendering. */
  perWorker?: number;
  /** How long a worker may spend on one file before it is terminated and the file refused. */
  deadlineMs?: number;
  timers?: Timers;
  core?: () => Promise<PageCore>;
}

/**
 * A file not read yet, or one already read (re-queued from a terminated worker, it is not read
 * again). `alone`: it was in progress when its worker passed a deadline, together with others, so
 * it is checked again on a worker of its own to tell which one was stuck.
 */
type Waiting = CheckJob | { request: CheckRequest; alone?: boolean };

interface Slot {
  worker: CheckWorker;
  /** Requests posted and not answered yet. */
  posted: Map<number, CheckRequest>;
  /** The files the worker has started (it checks several at once, between awaits), with their deadline timers. */
  started: Map<number, unknown>;
  /** Checking one file alone: the worker gets nothing else until it is done. */
  alone: boolean;
  /** Whether the worker ever answered: an error before that means workers cannot run here. */
  answered: boolean;
}

/**
 * Checks files in a small pool of workers. Each file gets a deadline from the moment its worker
 * starts it. Past it, the worker is terminated and replaced, and the files it had not finished go
 * back to the front of the queue. The file is refused as too much work when it was the only one in
 * progress; when several were (a worker interleaves files while it awaits WebCrypto), each is
 * checked again alone, and only the one stuck alone is refused. `clear` stops everything.
 */
export class VerifyQueue {
  readonly #options: Required<Omit<QueueOptions, 'core'>> & Pick<QueueOptions, 'core'>;
  #slots: Slot[] = [];
  #waiting: Waiting[] = [];
  /** Files being read from disk, counted against the pool's capacity. */
  #reading = 0;
  #onPage = 0;
  #fallback = false;
  /** Bumped by `clear`: reads and reports that finish afterwards belong to a cleared batch. */
  #generation = 0;

  constructor(options: QueueOptions) {
    this.#options = { workers: 2, perWorker: 16, deadlineMs: DEADLINE_MS, timers: realTimers, ...options };
  }

  add(job: CheckJob): void {
    this.#waiting.push(job);
    this.#pump();
  }

  /** Files added and not yet reported. */
  get pending(): number {
    const posted = this.#slots.reduce((sum, slot) => sum + slot.posted.size, 0);
    return this.#waiting.length + this.#reading + this.#onPage + posted;
  }

  /** Stops all work: workers are terminated, and nothing is reported for files added before. */
  clear(): void {
    this.#generation += 1;
    for (const slot of this.#slots) this.#stop(slot);
    this.#slots = [];
    this.#waiting = [];
    this.#reading = 0;
    this.#onPage = 0;
  }

  #capacity(): number {
    return this.#fallback ? this.#options.perWorker : this.#options.workers * this.#options.perWorker;
  }

  #pump(): void {
    if (!this.#fallback && this.#slots.length === 0) this.#startWorkers();
    while (this.#waiting.length > 0 && this.pending - this.#waiting.length < this.#capacity()) {
      const next = this.#waiting[0];
      const alone = 'request' in next && next.alone === true;
      // A file to check alone waits (and the files behind it) until a worker has drained.
      if (!this.#fallback && !this.#slots.some((s) => (alone ? s.posted.size === 0 : !s.alone))) break;
      this.#waiting.shift();
      if ('request' in next) this.#send(next.request, alone);
      else void this.#read(next);
    }
  }

  #startWorkers(): void {
    try {
      for (let i = 0; i < this.#options.workers; i++) this.#slots.push(this.#startSlot());
    } catch {
      for (const slot of this.#slots) this.#stop(slot);
      this.#slots = [];
      this.#fallback = true;
    }
  }

  #startSlot(): Slot {
    const slot: Slot = { worker: this.#options.createWorker(), posted: new Map(), started: new Map(), alone: false, answered: false };
    slot.worker.onmessage = ({ data }) => this.#answer(slot, data);
    slot.worker.onerror = () => this.#failed(slot);
    return slot;
  }

  async #read(job: CheckJob): Promise<void> {
    const generation = this.#generation;
    this.#reading += 1;
    // Sizes are read only now: for a file on disk each read is a system call, a noticeable pause for a thousand at once.
    const size = job.source instanceof Blob ? job.source.size : job.source.length;
    const request: CheckRequest = { id: job.id, name: job.name, size, bytes: null, password: job.password };
    // A file over the limit is refused by its size, without reading it.
    if (size <= MAX_INPUT_BYTES) {
      try {
        request.bytes = job.source instanceof Blob ? await job.source.arrayBuffer() : job.source.slice().buffer;
      } catch (error) {
        request.unreadable = error instanceof Error ? error.message : 'unreadable';
      }
    }
    if (generation !== this.#generation) return;
    this.#reading -= 1;
    this.#send(request);
  }

  /** Posts a read file to the least busy worker (or a drained one, alone), or checks it on the page when workers cannot run. */
  #send(request: CheckRequest, alone = false): void {
    if (this.#fallback) {
      void this.#checkOnPage(request);
      return;
    }
    const open = this.#slots.filter((s) => (alone ? s.posted.size === 0 : !s.alone));
    if (open.length === 0) {
      this.#waiting.unshift({ request, alone });
      return;
    }
    const slot = open.reduce((best, s) => (s.posted.size < best.posted.size ? s : best));
    slot.alone = alone;
    slot.posted.set(request.id, request);
    // Copied, not transferred: the page keeps the bytes to send the file again if this worker is replaced.
    slot.worker.postMessage(request);
  }

  #answer(slot: Slot, message: CheckResponse): void {
    slot.answered = true;
    const { timers, deadlineMs } = this.#options;
    if ('started' in message) {
      if (slot.posted.has(message.id))
        slot.started.set(
          message.id,
          timers.set(() => void this.#giveUp(slot, deadlineText(deadlineMs)), deadlineMs),
        );
      return;
    }
    if (!slot.posted.delete(message.id)) return;
    timers.clear(slot.started.get(message.id));
    slot.started.delete(message.id);
    if (slot.posted.size === 0) slot.alone = false;
    this.#options.onReport(message.id, message.report);
    this.#pump();
  }

  /** A worker error: on a file it had started, that file broke it; before any answer, workers cannot run here. */
  #failed(slot: Slot): void {
    if (!this.#slots.includes(slot)) return;
    if (slot.answered && slot.started.size > 0) {
      void this.#giveUp(slot, CRASH_TEXT);
      return;
    }
    this.#fallback = true;
    for (const s of this.#slots) this.#stop(s);
    const posted = this.#slots.flatMap((s) => [...s.posted.values()]);
    this.#slots = [];
    this.#waiting.unshift(...posted.map((request) => ({ request })));
    this.#pump();
  }

  /**
   * Replaces a worker that passed a deadline (or crashed) and re-queues the files it held; refuses
   * the file in progress when it was the only one, else has each in progress checked again alone.
   */
  async #giveUp(slot: Slot, what: string): Promise<void> {
    const index = this.#slots.indexOf(slot);
    if (index < 0 || slot.started.size === 0) return;
    this.#stop(slot);
    const inProgress = [...slot.posted.values()].filter((request) => slot.started.has(request.id));
    const notStarted = [...slot.posted.values()].filter((request) => !slot.started.has(request.id));
    const stuck = inProgress.length === 1 ? inProgress[0] : null;
    const again = stuck ? [] : inProgress.map((request) => ({ request, alone: true }));
    this.#waiting.unshift(...again, ...notStarted.map((request) => ({ request })));
    try {
      this.#slots[index] = this.#startSlot();
    } catch {
      this.#slots.splice(index, 1);
      if (this.#slots.length === 0) this.#fallback = true;
    }
    if (!stuck) {
      this.#pump();
      return;
    }
    this.#options.onReport(stuck.id, refuseTooMuchWork(stuck.name, stuck.size, what));
    this.#pump();
  }

  #stop(slot: Slot): void {
    for (const timer of slot.started.values()) this.#options.timers.clear(timer);
    slot.worker.onmessage = null;
    slot.worker.onerror = null;
    slot.worker.terminate();
  }

  /** The same check on the page, when no worker can start (an old browser, a blocked script). No deadline: nothing could stop it. */
  async #checkOnPage(request: CheckRequest): Promise<void> {
    const generation = this.#generation;
    this.#onPage += 1;
    const report = await checkRequest(await this.#core(), request);
    if (generation !== this.#generation) return;
    this.#onPage -= 1;
    this.#options.onReport(request.id, report);
    this.#pump();
  }

  #core(): Promise<PageCore> {
    return this.#options.core ? this.#options.core() : import('../../lib/verify/verify');
  }
}
