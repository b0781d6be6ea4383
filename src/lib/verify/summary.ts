import { finish, type FileReport } from './fileReport';
import { MESSAGES, problem, type Problem } from './findings';
import type { Verdict } from './outcome';

/**
 * A batch as the summary shows it, on the screen and in the reports: one row per submission (a
 * file, with the files of the batch that make its chain), failures first or sorted as asked.
 */

/** Longer chains than any real PKI are cut here (a chain of linked files costs a signature check per link anyway). */
const MAX_CHAIN = 16;

/** A submission: a file in the order given, and the files of the batch that make its chain, its issuer first. */
export interface Submission {
  id: number;
  chain: number[];
}

/**
 * The submissions of a batch in the order of `ids`: every file that issued no other file, with
 * its chain; and every file that is only on chains that reach no submission (a loop of cross-signed
 * CAs), so that each file is shown somewhere.
 */
export function submissions(
  ids: number[],
  issuerOf: (id: number) => number | null,
  copyOf: (id: number) => number | null = () => null,
): Submission[] {
  const issuers = new Set(ids.map(issuerOf).filter((id) => id !== null));
  // Files with the same certificate (root.pem and ca.pem) go together: when one of them issued a
  // file, the others are on the chain too, next to it, whichever of them the link went to.
  const canonical = (id: number) => copyOf(id) ?? id;
  const same = new Map<number, number[]>();
  for (const id of ids) same.set(canonical(id), [...(same.get(canonical(id)) ?? []), id]);
  const issuing = new Set([...issuers].map(canonical));
  const inChains = new Set(ids.filter((id) => issuing.has(canonical(id))));
  const shown = new Set<number>();
  const chainOf = (id: number): number[] => {
    const chain: number[] = [];
    for (let at = issuerOf(id); at !== null && at !== id && chain.length < MAX_CHAIN && !chain.includes(at); at = issuerOf(at))
      chain.push(at, ...same.get(canonical(at))!.filter((copy) => copy !== at && !chain.includes(copy)));
    chain.forEach((member) => shown.add(member));
    return chain;
  };
  const leaves = ids.filter((id) => !inChains.has(id)).map((id) => ({ id, chain: chainOf(id) }));
  const position = new Map(ids.map((id, i) => [id, i]));
  const orphans = ids.filter((id) => inChains.has(id) && !shown.has(id)).map((id) => ({ id, chain: [] }));
  return [...leaves, ...orphans].sort((a, b) => position.get(a.id)! - position.get(b.id)!);
}

/** For each report with a certificate, the first earlier report of the very same certificate (by fingerprint), or null. */
export function sameCertificates(reports: FileReport[]): (index: number) => number | null {
  const first = new Map<string, number>();
  const copyOf = reports.map((r, i) => {
    const key = r.chainDer[0];
    if (key === undefined) return null;
    const original = first.get(key);
    if (original === undefined) first.set(key, i);
    return original ?? null;
  });
  return (index) => copyOf[index] ?? null;
}

/**
 * A submission's report once its chain is known from the batch. Its issuer's key checked the
 * leaf's signature, so "issuer not in the file, signature not checked" no longer applies. A CA of
 * the chain that is itself expired or defective fails the leaf (`chain-ca-expired`,
 * `chain-ca-invalid`): `openssl verify -untrusted` refuses such a chain, and DSM's Trusted CA method
 * checks the chain, so the app could not log in with it. `chain` holds the chain's files, issuer
 * first, without second copies of one certificate.
 */
export function withBatchChain(report: FileReport, chain: FileReport[]): FileReport {
  if (chain.length === 0) return report;
  const single = report.chainDer.length === 1;
  const warnings = single ? report.warnings.filter((w) => w.code !== 'issuer-not-in-file') : report.warnings;
  const problems = [...report.problems, ...chain.flatMap(chainCaProblem)];
  return finish({ ...report, warnings, problems, signatureValid: single ? true : report.signatureValid });
}

/**
 * The problem a chain file's own problems give the leaf it issued (none when it has none). A
 * root's signature on itself is not relied on (OpenSSL checks it only with -check_ss_sig), so a weak
 * hash there does not count; an altered root does.
 */
function chainCaProblem(ca: FileReport): Problem[] {
  const own = chainProblems(ca).filter((p) => !(ca.selfSigned && p.code === 'weak-signature'));
  if (own.length === 0) return [];
  const what = own.map((p) => p.summary).join('; ');
  const summary = `its CA ${ca.file}: ${what}`;
  return [
    own.some((p) => p.code === 'expired')
      ? problem('chain-ca-expired', MESSAGES.chainCaExpired(ca.file, what), summary)
      : problem('chain-ca-invalid', MESSAGES.chainCaInvalid(ca.file, what), summary),
  ];
}

export interface Row {
  /** The file's position in the batch. */
  index: number;
  /** Its report, with the batch's issuer taken into account. */
  report: FileReport;
  /** Positions of the files that make its chain, its issuer first (a copy of a chain file right after it). */
  chain: number[];
  /** For a chain file with the same certificate as a file before it on the chain: that file's position. */
  copyOf: (index: number) => number | null;
}

/** Problems that concern an app's own certificate only, not the CA certificates of its chain. */
const APP_ONLY = new Set([
  'no-app-id',
  'uuid-mismatch',
  'uuid-conflict',
  'malformed-uuid',
  'uuid-in-wrong-attribute',
  'oid-in-wrong-place',
]);

/** A chain file's own problems (an expired or weak CA certificate), leaving out the app UUID ones. */
export const chainProblems = (report: FileReport) => report.problems.filter((p) => !APP_ONLY.has(p.code));

export type SortKey = 'verdict' | 'file' | 'expiry';

/** Failures first, then files that need action, then passes (incidents before all). */
const VERDICT_RANK: Record<Verdict, number> = { fails: 0, 'needs-action': 1, passes: 2 };

/** The rows of a batch: each submission with its chain (positions in `reports`). */
export function batchRows(reports: FileReport[], issuerOf: (index: number) => number | null = () => null): Row[] {
  const copyOf = sameCertificates(reports);
  const canonical = (i: number) => copyOf(i) ?? i;
  return submissions(
    reports.map((_, i) => i),
    issuerOf,
    copyOf,
  ).map(({ id, chain }) => ({
    index: id,
    // Second copies of one CA certificate are judged once.
    report: withBatchChain(
      reports[id],
      chain.filter((m, at) => !chain.slice(0, at).some((before) => canonical(before) === canonical(m))).map((m) => reports[m]),
    ),
    chain,
    copyOf: (i: number) => {
      const first = chain.find((m) => canonical(m) === canonical(i));
      return first === undefined || first === i ? null : first;
    },
  }));
}

/** Incidents (a private key was sent) before the other failures: they call for action today. */
const rank = (row: Row) => (row.report.outcome.incident ? -1 : VERDICT_RANK[row.report.outcome.verdict]);
const byVerdict = (a: Row, b: Row) => rank(a) - rank(b);
/** Days left, expired first; files without dates last. */
const byExpiry = (a: Row, b: Row) => (a.report.daysLeft ?? Infinity) - (b.report.daysLeft ?? Infinity);
const byFile = (a: Row, b: Row) => a.report.file.localeCompare(b.report.file, 'en', { numeric: true });

/** The rows sorted by `key` (ties keep the batch's order); `onlyFailures` keeps the rows that do not pass. */
export function sortRows(rows: Row[], key: SortKey = 'verdict', onlyFailures = false): Row[] {
  const compare = key === 'file' ? byFile : key === 'expiry' ? byExpiry : byVerdict;
  return rows.filter((r) => !onlyFailures || r.report.outcome.verdict !== 'passes').sort((a, b) => compare(a, b) || a.index - b.index);
}

export interface Counts {
  files: number;
  passed: number;
  needsAction: number;
  failed: number;
  /** Files shown as another file's chain, not judged on their own. */
  inChains: number;
}

export function countRows(rows: Row[], files: number): Counts {
  const count = (verdict: Verdict) => rows.filter((r) => r.report.outcome.verdict === verdict).length;
  return { files, passed: count('passes'), needsAction: count('needs-action'), failed: count('fails'), inChains: files - rows.length };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const chainsText = (counts: Counts) =>
  counts.inChains > 0 ? ` (${plural(counts.inChains, 'is the chain', 'are the chain')} of another file)` : '';

/** "31 files: 9 pass, 2 need action, 20 fail (2 are the chain of another file)." */
export function countsText(counts: Counts): string {
  const parts = [`${counts.passed} pass`, counts.needsAction > 0 ? `${counts.needsAction} need action` : null, `${counts.failed} fail`];
  return `${plural(counts.files, 'file', 'files')}: ${parts.filter(Boolean).join(', ')}${chainsText(counts)}.`;
}

/** The same counts as a screen reader hears them once a batch is done: "Checked 3 files: 1 passes, 1 needs action, 1 fails." */
export function announcementText(counts: Counts): string {
  const parts = [
    plural(counts.passed, 'passes', 'pass'),
    counts.needsAction > 0 ? plural(counts.needsAction, 'needs action', 'need action') : null,
    plural(counts.failed, 'fails', 'fail'),
  ];
  return `Checked ${plural(counts.files, 'file', 'files')}: ${parts.filter(Boolean).join(', ')}${chainsText(counts)}.`;
}

/** When the certificate stops (or starts) being valid, in words: never a bare negative number. */
export function validityText(report: FileReport): string {
  const { daysLeft, notBefore } = report;
  if (daysLeft === null) return '—';
  if (report.problems.some((p) => p.code === 'not-yet-valid') && notBefore) return `not valid until ${notBefore.slice(0, 10)}`;
  if (daysLeft < 0) return `expired ${plural(-daysLeft, 'day', 'days')} ago`;
  return `${plural(daysLeft, 'day', 'days')} left`;
}
