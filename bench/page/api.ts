import type { KeyType } from '../../src/lib/plain/keys';

/** Milliseconds of each step of the self-signed pipeline, as the Create screen runs it. */
export interface PipelineTimes {
  /** Key pair, certificate and PEM files (createIdentity). */
  create: number;
  /** PKCS#12 export (modern) of the new key and certificate. */
  pkcs12: number;
  total: number;
}

export interface VerifyRun {
  ms: number;
  files: number;
  /** Files read as certificates: proves the work was done. */
  certificates: number;
}

/** What the bench page exposes on `window.appcertBench` for the driver to call. */
export interface BenchApi {
  keygen(type: KeyType): Promise<number>;
  pipeline(type: KeyType, appId: string): Promise<PipelineTimes>;
  /** Milliseconds of one PKCS#12 export of a kept RSA-2048 identity. */
  pkcs12(profile: 'modern' | 'legacy'): Promise<number>;
  /** Hands the page the certificate files to verify (not timed). */
  loadCertificates(files: { name: string; text: string }[]): void;
  /** Runs the verifier's core over every loaded file, one after another, on this page's thread. */
  verifyAll(): Promise<VerifyRun>;
}

declare global {
  interface Window {
    appcertBench?: BenchApi;
  }
}
