import { appIdCleaningNote, readAppId } from '../plain/uuid';
import { MESSAGES, problem } from './findings';
import { finish, type FileReport } from './fileReport';

/**
 * The expected app UUID, apart from the parsers: the page applies it to finished reports as the
 * admin types, without checking the files again.
 */

export interface Expected {
  /** The UUID files are checked against (lower case); null when none was given or it is not valid. */
  appId: string | null;
  /** Why the typed text is not a UUID (stable code `invalid-expected-uuid`); shown at the field, never charged to a file. */
  error: { code: 'invalid-expected-uuid'; message: string } | null;
  /** What cleaning did ("the same UUID without the curly braces."); null when used as typed. */
  note: string | null;
}

/**
 * Reads the expected UUID as the Create field reads an app UUID (`readAppId`): braces, a
 * `urn:uuid:` prefix, surrounding spaces and upper case are obviously not meant and are left out.
 * Empty means "any UUID".
 */
export function parseExpected(expected: string | null | undefined): Expected {
  if (expected === null || expected === undefined || expected.trim() === '') return { appId: null, error: null, note: null };
  const parsed = readAppId(expected);
  return parsed.ok
    ? // The note without its "Using <uuid>: ", which the page and the CLI say themselves.
      { appId: parsed.value.appId, error: null, note: appIdCleaningNote(parsed.value)?.replace(/^Using \S+: /, '') ?? null }
    : { appId: null, error: { code: 'invalid-expected-uuid', message: MESSAGES.invalidExpected(parsed.message) }, note: null };
}

/**
 * The report judged against `expected` (replacing any earlier expectation). An expected UUID that
 * is not valid judges nothing: the field says what is wrong, the files keep their own verdicts.
 */
export function applyExpected(report: FileReport, expected: string | null | undefined): FileReport {
  const { appId } = parseExpected(expected);
  const problems = report.problems.filter((p) => p.code !== 'uuid-mismatch');
  const matches = appId === null ? null : report.appId === appId;
  if (appId !== null && report.appId !== null && !matches)
    problems.push(problem('uuid-mismatch', MESSAGES.mismatch(report.appId, appId), `for app ${report.appId}, not the expected one`));
  return finish({ ...report, problems, expectedAppId: appId, matchesExpected: matches });
}
