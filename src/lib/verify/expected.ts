import { parseAppId } from '../plain/uuid';
import { MESSAGES, problem, type Problem } from './findings';
import type { FileReport } from './fileReport';

/**
 * The expected app UUID, apart from the parsers: the page applies it to finished reports as the
 * admin types, without checking the files again.
 */

/** The expected UUID (lower case), or the problem every file gets when it is not a UUID; null/'' means "any". */
export function parseExpected(expected: string | null | undefined): { appId: string | null; problem: Problem | null } {
  if (expected === null || expected === undefined || expected.trim() === '') return { appId: null, problem: null };
  const parsed = parseAppId(expected);
  return parsed.ok
    ? { appId: parsed.value.appId, problem: null }
    : { appId: null, problem: problem('invalid-expected-uuid', MESSAGES.invalidExpected(parsed.message)) };
}

const EXPECTATION_CODES = new Set(['uuid-mismatch', 'invalid-expected-uuid']);

/** The report judged against `expected` (replacing any earlier expectation). */
export function applyExpected(report: FileReport, expected: string | null | undefined): FileReport {
  const parsed = parseExpected(expected);
  const problems = report.problems.filter((p) => !EXPECTATION_CODES.has(p.code));
  if (parsed.problem) problems.unshift(parsed.problem);
  const matches = parsed.appId === null ? null : report.appId === parsed.appId;
  if (parsed.appId !== null && report.appId !== null && !matches)
    problems.push(problem('uuid-mismatch', MESSAGES.mismatch(report.appId, parsed.appId)));
  return { ...report, problems, expectedAppId: parsed.appId, matchesExpected: matches, ok: problems.length === 0 };
}
