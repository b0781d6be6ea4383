/**
 * One work budget per file. Every reader of files from other people (Verify, Convert, Complete,
 * encrypted key files) charges what costs time or memory to the budget of the file it reads, and
 * stops with the stable code `too-much-work` when the file asks for more than any real file does.
 * Charges are made before the work starts, so a refused file costs nothing more.
 *
 * Inside the core the budget throws `TooMuchWork`; each reader catches it at its boundary
 * (`verifyFile`, `readPkcs12`, `decryptPkcs8`, `openPkcs12`, `completeCsr`) and returns it as a
 * typed failure. `catch` blocks in between pass it on with `rethrowTooMuchWork`.
 *
 * The caps come from what real writers produce (README, Security): the largest real key
 * derivation is NSS's PKCS#12 (an HMAC-SHA-256 MAC and two PBES2 containers at 600,000 iterations
 * each: 2,100,000 units below); the other caps are far above real certificate files.
 */

export type WorkKind = 'key-derivation' | 'signatures' | 'key-matches' | 'certificates' | 'chain-steps' | 'der-nodes' | 'oid-arcs';

/** The caps per file. Key derivation is in SHA-256-iteration equivalents (see `KDF_COST`). */
export const WORK_LIMITS: Readonly<Record<WorkKind, number>> = {
  // NSS needs 2,100,000 (see above); OpenSSL 3 about 7,000; Java 8 keytool 350,000; Java 17 30,000.
  'key-derivation': 2_400_000,
  // Each certificate's own signature (self-issued) and its issuer's: two per certificate at most.
  signatures: 600,
  'key-matches': 300,
  // A full CA bundle (Mozilla's has about 150 roots) still fits.
  certificates: 300,
  // Ordering with an index touches each certificate and each same-named candidate once.
  'chain-steps': 20_000,
  // A certificate has 100–300 DER nodes and 20–40 OIDs; each parse is counted (README, Security).
  'der-nodes': 300_000,
  'oid-arcs': 100_000,
};

/**
 * The relative cost of one iteration of each key derivation, measured on this project's 2-core
 * machine in Node 20 (CPU time): appcert's own synchronous digests for the appendix B KDF (SHA-1
 * 0.5 µs, SHA-256 0.9 µs, SHA-512 2.5 µs), WebCrypto's native PBKDF2 (SHA-256 0.65 µs, SHA-1 and
 * SHA-512 about 2.7 µs) per output block of the hash. One unit is a PBKDF2-HMAC-SHA-256 iteration.
 */
export const KDF_COST = {
  appendixB: { 'SHA-1': 1, 'SHA-256': 1.5, 'SHA-384': 4, 'SHA-512': 4 },
  pbkdf2: { 'SHA-1': 4, 'SHA-256': 1, 'SHA-384': 4, 'SHA-512': 4 },
} as const satisfies Record<string, Record<'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512', number>>;

/** Thrown by `WorkBudget.spend` when a file asks for more than its budget; `what` is for people. */
export class TooMuchWork extends Error {
  constructor(
    readonly kind: WorkKind,
    readonly what: string,
  ) {
    super(what);
    this.name = 'TooMuchWork';
  }
}

export const isTooMuchWork = (error: unknown): error is TooMuchWork => error instanceof TooMuchWork;

/** For `catch` blocks that turn parser errors into results: the budget's stop must go on up. */
export function rethrowTooMuchWork(error: unknown): void {
  if (error instanceof TooMuchWork) throw error;
}

const count = (n: number) => n.toLocaleString('en-US');

export class WorkBudget {
  /** What was charged so far, by kind (tests read it to count work). */
  readonly used: Record<WorkKind, number> = {
    'key-derivation': 0,
    signatures: 0,
    'key-matches': 0,
    certificates: 0,
    'chain-steps': 0,
    'der-nodes': 0,
    'oid-arcs': 0,
  };

  constructor(readonly limits: Readonly<Record<WorkKind, number>> = WORK_LIMITS) {}

  /** Whether `amount` more of `kind` still fits. */
  affords(kind: WorkKind, amount: number): boolean {
    return this.used[kind] + amount <= this.limits[kind];
  }

  /**
   * Charges `amount` of `kind`, or throws `TooMuchWork` without charging when it does not fit.
   * `asked` says what the file asks for, for the message ("8,388,607 PBKDF2-HMAC-SHA-512 iterations").
   */
  spend(kind: WorkKind, amount: number, asked: () => string): void {
    if (!Number.isFinite(amount) || amount < 0 || !this.affords(kind, amount)) throw new TooMuchWork(kind, this.describe(kind, asked()));
    this.used[kind] += amount;
  }

  /** Stops at once for a structure no real file has (e.g. DER nested 65 deep); `what` is for people. */
  refuse(kind: WorkKind, what: string): never {
    throw new TooMuchWork(kind, what);
  }

  private describe(kind: WorkKind, asked: string): string {
    const limit = count(this.limits[kind]);
    if (kind === 'key-derivation') {
      return `it asks for ${asked}, more key-derivation work than appcert does for one file (the equivalent of ${limit} SHA-256 iterations; a file from NSS, the most demanding real writer, needs 2,100,000)`;
    }
    if (kind === 'certificates') return `it holds ${asked}; appcert reads at most ${limit} certificates per file`;
    return `it needs ${asked}, which takes it past the ${limit} ${NOUNS[kind]} appcert allows per file`;
  }
}

const NOUNS: Record<WorkKind, string> = {
  'key-derivation': 'key-derivation iterations',
  signatures: 'signature checks',
  'key-matches': 'key comparisons',
  certificates: 'certificates',
  'chain-steps': 'chain-ordering steps',
  'der-nodes': 'decoded DER elements',
  'oid-arcs': 'decoded OID components',
};

export { count as formatCount };
