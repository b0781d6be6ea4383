import { failure, success, type Result } from '../../lib/plain/result';
import { MESSAGES } from '../../lib/verify/findings';
import { CRASH_TEXT, DEADLINE_MS, deadlineMessage, realTimers, type Timers } from './deadline';
import type { WorkerAnswer } from './serve';

/** How a read in a worker ended: its answer, or stopped at the deadline (the worker is terminated). */
export type Outcome<T> = Result<T, 'too-much-work'>;

export interface OnceOptions<Request, Answer> {
  /** Starts the worker; throwing means workers cannot run here, and `onPage` reads instead. */
  start: () => Worker;
  /** The same read on the page, without a deadline (nothing could stop it there). */
  onPage: (request: Request) => Promise<Answer>;
  deadlineMs?: number;
  timers?: Timers;
}

/**
 * Sends one request to a fresh worker and waits for its answer, at most `deadlineMs`: past that
 * the worker is terminated and the outcome says it was too much work. The page stays responsive
 * meanwhile, and a stopped read leaves nothing running. An error thrown by the reader rejects.
 */
export function readInWorker<Request, Answer>(request: Request, options: OnceOptions<Request, Answer>): Promise<Outcome<Answer>> {
  const { deadlineMs = DEADLINE_MS, timers = realTimers } = options;
  let worker: Worker;
  try {
    worker = options.start();
  } catch {
    return options.onPage(request).then(success);
  }
  return new Promise((resolve, reject) => {
    let loaded = false;
    const finish = () => {
      timers.clear(timer);
      worker.terminate();
    };
    const tooMuch = (message: string) => {
      finish();
      resolve(failure('too-much-work', message));
    };
    const timer = timers.set(() => tooMuch(deadlineMessage(deadlineMs)), deadlineMs);
    worker.onmessage = ({ data }: MessageEvent<WorkerAnswer<Answer>>) => {
      if ('ready' in data) {
        loaded = true;
        return;
      }
      finish();
      if ('error' in data) reject(new Error(data.error));
      else resolve(success(data.value));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      // A worker that loaded and then failed was broken by the file (out of memory): never read that on the page.
      if (loaded) return tooMuch(MESSAGES.tooMuchWork(CRASH_TEXT));
      // It never loaded (no module workers in this browser): read on the page instead.
      finish();
      options.onPage(request).then((value) => resolve(success(value)), reject);
    };
    worker.postMessage(request);
  });
}
