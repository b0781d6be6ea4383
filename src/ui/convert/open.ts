import type { Bytes } from '../../lib/plain/bytes';
import type { OpenedPkcs12, OpenPkcs12Error } from '../../lib/convert';
import type { Result } from '../../lib/plain/result';
import { readInWorker, type Outcome } from '../worker/once';

export interface OpenRequest {
  der: Bytes;
  password: string;
}

export type OpenOutcome = Outcome<Result<OpenedPkcs12, OpenPkcs12Error>>;

/** Opens a PKCS#12 file in a worker, with a deadline (the key comes back as a CryptoKey, cloned). */
export function openInWorker(request: OpenRequest, deadlineMs?: number): Promise<OpenOutcome> {
  return readInWorker(request, {
    start: () => new Worker(new URL('./convert.worker.ts', import.meta.url), { type: 'module' }),
    onPage: async ({ der, password }) => (await import('../../lib/convert')).openPkcs12(der, password),
    deadlineMs,
  });
}
