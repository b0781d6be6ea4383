import { MESSAGES } from '../../lib/verify/findings';

/**
 * How long a worker may spend reading one file before the page terminates it. Real files take
 * milliseconds; the core's own work budget stops costly ones well before this. This is the
 * backstop for whatever the budget misses, so the page never waits on a file.
 */
export const DEADLINE_MS = 5_000;

/** What was too much, for the `too-much-work` message. */
export const deadlineText = (ms: number) => `reading it took longer than ${ms / 1000} seconds`;

/** What was too much when reading a file made the worker fail (out of memory, most likely). */
export const CRASH_TEXT = 'reading it stopped the reader (it ran out of memory or crashed)';

/** The `too-much-work` message for a file past its deadline. */
export const deadlineMessage = (ms: number) => MESSAGES.tooMuchWork(deadlineText(ms));

/** setTimeout and clearTimeout, injected so that tests drive deadlines with fake timers. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = { set: (callback, ms) => setTimeout(callback, ms), clear: (handle) => clearTimeout(handle as number) };
