import type { Bytes } from '../../lib/plain/bytes';
import type { DsmRegisterError, DsmRegisterInput, DsmRegistration } from '../../lib/dsmRegister';
import type { ExistingCertificate, KeyReuseError, RenewReadError } from '../../lib/renew';
import type { Result } from '../../lib/plain/result';
import { readInWorker, type Outcome } from '../worker/once';

/** The certificate or .p12 to renew. */
export interface ReadRequest {
  kind: 'existing';
  name: string;
  bytes: Bytes;
  password: string;
}

/** The current key as a key file, for the certificate being renewed (its DER). */
export interface KeyRequest {
  kind: 'key';
  certificateDer: Bytes;
  keyText: string;
  password: string;
}

export type ReadOutcome = Outcome<Result<ExistingCertificate, RenewReadError>>;
export type KeyOutcome = Outcome<Result<CryptoKeyPair, KeyReuseError>>;

const start = () => new Worker(new URL('./renew.worker.ts', import.meta.url), { type: 'module' });

/** Reads the certificate or .p12 to renew (readExisting) in a worker, with a deadline; the current key comes back as CryptoKeys. */
export function readExistingInWorker(request: Omit<ReadRequest, 'kind'>, deadlineMs?: number): Promise<ReadOutcome> {
  return readInWorker({ kind: 'existing', ...request } as ReadRequest, {
    start,
    onPage: async (r) => (await import('../../lib/renew')).readExisting(r),
    deadlineMs,
  });
}

/** Reads the current key file (keyFromFile) in a worker, with a deadline: an encrypted key's iterations are work. */
export function readKeyInWorker(request: Omit<KeyRequest, 'kind'>, deadlineMs?: number): Promise<KeyOutcome> {
  return readInWorker({ kind: 'key', ...request } as KeyRequest, {
    start,
    onPage: async (r) => (await import('../../lib/renew')).keyFromFile({ der: r.certificateDer }, r.keyText, r.password),
    deadlineMs,
  });
}

export type RegistrationOutcome = Outcome<Result<DsmRegistration, DsmRegisterError | 'too-much-work'>>;

/**
 * The registration (dsmRegistration) with a CA file the user dropped, in a worker with the
 * deadline: that file is hostile input like any other, and its reading (certificates, signatures)
 * must not be able to hold the page. A file past the core's work budget is `too-much-work`.
 */
export function registrationInWorker(input: DsmRegisterInput, deadlineMs?: number): Promise<RegistrationOutcome> {
  return readInWorker(input, {
    start: () => new Worker(new URL('./register.worker.ts', import.meta.url), { type: 'module' }),
    onPage: async (request) => (await import('./registration')).registrationWithinBudget(request),
    deadlineMs,
  });
}
