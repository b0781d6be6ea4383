import type { Action, ProblemCode, Problem, Warning, Who, FindingCode } from './findings';

/**
 * The verdict on one file, in three outcomes: it passes; it needs action (nothing is wrong yet,
 * but someone must act before it can be judged or used: a locked PKCS#12 needs its password, a
 * CSR must be signed first); or it fails. A file that holds a private key is also an incident:
 * the key was exposed and must be replaced, whatever else is true of the certificate.
 */

export type Verdict = 'passes' | 'needs-action' | 'fails';

export interface Outcome {
  verdict: Verdict;
  /** The finding the verdict rests on: the first problem, else the first action, else the first warning; null when none. */
  code: FindingCode | null;
  /** One line for a table row: that finding's summary, and how many more of its kind ("and 2 more"). */
  reason: string;
  /** Who acts on a "needs action" file; null otherwise. */
  who: Who | null;
  /** The file held a private key: exposed, to be replaced. */
  incident: boolean;
}

/**
 * The order problems are named in: what makes the file unusable or dangerous first, then the app
 * UUID (which app is this for?), then the certificate's own defects. The first one is the row's reason.
 */
const PROBLEM_ORDER: ProblemCode[] = [
  'private-key',
  'not-a-certificate',
  'file-too-large',
  'too-much-work',
  'unsupported-encryption',
  'key-mismatch',
  'uuid-mismatch',
  'uuid-conflict',
  'no-app-id',
  'uuid-in-wrong-attribute',
  'oid-in-wrong-place',
  'malformed-uuid',
  'bad-signature',
  'expired',
  'not-yet-valid',
  'chain-ca-expired',
  'chain-ca-invalid',
  'weak-key',
  'weak-signature',
  'bad-time',
  'bad-string-encoding',
];

/** Problems in the order they are named (stable for equal codes). */
export const orderProblems = (problems: Problem[]): Problem[] =>
  problems
    .map((p, i) => [p, i] as const)
    .sort(([a, i], [b, j]) => PROBLEM_ORDER.indexOf(a.code) - PROBLEM_ORDER.indexOf(b.code) || i - j)
    .map(([p]) => p);

const WHO_TEXT: Record<Who, string> = { admin: 'you, the DSM admin', 'app-team': 'the app team' };
export const whoText = (who: Who): string => WHO_TEXT[who];

/** The reason as a table row shows it: for a file that needs action, who acts ("— by the app team"); a dash when there is none. */
export const rowReason = (outcome: Outcome): string =>
  outcome.who ? `${outcome.reason} — by ${WHO_TEXT[outcome.who]}` : outcome.reason || '—';

const VERDICT_TEXT: Record<Verdict, string> = { passes: 'passes', 'needs-action': 'needs action', fails: 'fails' };
export const verdictText = (verdict: Verdict): string => VERDICT_TEXT[verdict];

function lead(findings: { code: FindingCode; summary: string }[]): { code: FindingCode; reason: string } {
  const [first] = findings;
  const more = findings.length - 1;
  return { code: first.code, reason: more > 0 ? `${first.summary}, and ${more} more` : first.summary };
}

/** The outcome of a file's findings (problems already in `orderProblems` order). */
export function judgeOutcome(problems: Problem[], actions: Action[], warnings: Warning[]): Outcome {
  const incident = problems.some((p) => p.code === 'private-key');
  if (problems.length > 0) return { verdict: 'fails', ...lead(problems), who: null, incident };
  if (actions.length > 0) return { verdict: 'needs-action', ...lead(actions), who: actions[0].who, incident };
  if (warnings.length > 0) return { verdict: 'passes', ...lead(warnings), who: null, incident };
  return { verdict: 'passes', code: null, reason: '', who: null, incident };
}
