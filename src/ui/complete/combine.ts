import type { CompletedIdentity, CompleteError, CompleteRequest } from '../../lib/complete';
import type { Result } from '../../lib/plain/result';
import { readInWorker, type Outcome } from '../worker/once';

export type CombineOutcome = Outcome<Result<CompletedIdentity, CompleteError>>;

/** Joins key and certificates (completeCsr) in a worker, with a deadline. */
export function combineInWorker(request: CompleteRequest, deadlineMs?: number): Promise<CombineOutcome> {
  return readInWorker(request, {
    start: () => new Worker(new URL('./complete.worker.ts', import.meta.url), { type: 'module' }),
    onPage: async (r) => (await import('../../lib/complete')).completeCsr(r),
    deadlineMs,
  });
}
