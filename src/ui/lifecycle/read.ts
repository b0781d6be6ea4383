import type { Bytes } from '../../lib/plain/bytes';
import type { ExistingCertificate, RenewReadError } from '../../lib/renew';
import type { Result } from '../../lib/plain/result';
import { readInWorker, type Outcome } from '../worker/once';

export interface ReadRequest {
  name: string;
  bytes: Bytes;
  password: string;
}

export type ReadOutcome = Outcome<Result<ExistingCertificate, RenewReadError>>;

/** Reads the certificate or .p12 to renew (readExisting) in a worker, with a deadline; the current key comes back as CryptoKeys. */
export function readExistingInWorker(request: ReadRequest, deadlineMs?: number): Promise<ReadOutcome> {
  return readInWorker(request, {
    start: () => new Worker(new URL('./renew.worker.ts', import.meta.url), { type: 'module' }),
    onPage: async (r) => (await import('../../lib/renew')).readExisting(r),
    deadlineMs,
  });
}
