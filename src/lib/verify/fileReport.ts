import { MESSAGES, problem, type Action, type Problem, type Warning } from './findings';
import { judgeOutcome, orderProblems, type Outcome } from './outcome';
import type { KeyInfo } from './inspect';
import { MAX_INPUT_BYTES } from './limits';
import type { AppIdLocation } from './appId';
import type { ChainOrder } from './chainOrder';
import type { NameAttribute } from '../name/decode';
import type { InputFormat } from './sniff';

/** One file's verdict with everything the screen, the CLI and the exported report show. */

export type InputKind = 'certificate' | 'csr' | 'pkcs12' | 'unknown';
export type { ChainOrder } from './chainOrder';

export interface ReportAttribute extends NameAttribute {
  isAppId: boolean;
}

export interface ChainEntry {
  subject: string;
  issuer: string;
  sha256: string;
  ca: boolean;
}

export interface FileReport {
  file: string;
  kind: InputKind;
  /** The verdict is "passes" (outcome.verdict). */
  ok: boolean;
  outcome: Outcome;
  appId: string | null;
  appIdLocation: AppIdLocation;
  /** A UUID found where DSM does not read it (OU, O, a subject alternative name...); the location is then 'misplaced'. */
  appIdElsewhere: { where: string; value: string } | null;
  /** Problems fail the file, most important first; actions leave it at "needs action". */
  problems: Problem[];
  actions: Action[];
  warnings: Warning[];
  /** The expected app UUID (lower case) and whether the file's equals it; null when none was given. */
  expectedAppId: string | null;
  matchesExpected: boolean | null;
  size: number;
  format: InputFormat | null;
  /** As `openssl x509 -noout -subject` prints it, without "subject=". */
  subject: string | null;
  subjectAttributes: ReportAttribute[];
  issuer: string | null;
  /** ISO 8601. */
  notBefore: string | null;
  notAfter: string | null;
  daysLeft: number | null;
  key: KeyInfo | null;
  signatureAlgorithm: string | null;
  selfSigned: boolean | null;
  /** Whether the signature verifies (own key if self-signed or a CSR, else an issuer in the file); null if not checked. */
  signatureValid: boolean | null;
  /** clientAuth in the extended key usage; null when the certificate has no such extension (any use). */
  clientAuth: boolean | null;
  extendedKeyUsage: string[] | null;
  ca: boolean | null;
  /** SHA-256 fingerprint as OpenSSL prints it (AB:CD:...). */
  sha256: string | null;
  serialNumber: string | null;
  chain: { order: ChainOrder; leafIndex: number; certificates: ChainEntry[] } | null;
  pkcs12: { legacy: boolean; friendlyName: string | null; hasPrivateKey: boolean } | null;
  /**
   * Base64 DER of the judged certificate, then each issuer of it found in the same file, in chain
   * order: what DSM's Certificate method takes (the first), and what links separate files of a
   * batch into one chain (group.ts). Empty for anything but certificates.
   */
  chainDer: string[];
}

export const sizeText = (bytes: number) => `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KiB`;

export function emptyReport(file: string, size: number): FileReport {
  return {
    file,
    kind: 'unknown',
    ok: false,
    outcome: judgeOutcome([], [], []),
    appId: null,
    appIdLocation: 'none',
    appIdElsewhere: null,
    problems: [],
    actions: [],
    warnings: [],
    expectedAppId: null,
    matchesExpected: null,
    size,
    format: null,
    subject: null,
    subjectAttributes: [],
    issuer: null,
    notBefore: null,
    notAfter: null,
    daysLeft: null,
    key: null,
    signatureAlgorithm: null,
    selfSigned: null,
    signatureValid: null,
    clientAuth: null,
    extendedKeyUsage: null,
    ca: null,
    sha256: null,
    serialNumber: null,
    chain: null,
    pkcs12: null,
    chainDer: [],
  };
}

/** The report with its problems in order and its outcome judged from its findings. */
export function finish(report: FileReport): FileReport {
  const problems = orderProblems(report.problems);
  const outcome = judgeOutcome(problems, report.actions, report.warnings);
  return { ...report, problems, outcome, ok: outcome.verdict === 'passes' };
}

/** The report for a file over the size limit, made before reading it; null when the size is fine. */
export function refuseLargeFile(file: string, size: number): FileReport | null {
  if (size <= MAX_INPUT_BYTES) return null;
  const report = emptyReport(file, size);
  report.problems.push(problem('file-too-large', MESSAGES.tooLarge(sizeText(size), sizeText(MAX_INPUT_BYTES))));
  return finish(report);
}

/**
 * The report for a file that needed more work than any real file does (`what` says which kind),
 * whether the core's work budget stopped it or the page's deadline did.
 */
export function refuseTooMuchWork(file: string, size: number, what: string): FileReport {
  const report = emptyReport(file, size);
  report.problems.push(problem('too-much-work', MESSAGES.tooMuchWork(what)));
  return finish(report);
}

/** The report for a file that could not be opened at all (a wrong path, a folder). */
export function unopenedFile(file: string, reason: string): FileReport {
  const report = emptyReport(file, 0);
  report.problems.push(problem('not-a-certificate', `The file could not be opened (${reason}): check its name and that it is a file.`));
  return finish(report);
}
