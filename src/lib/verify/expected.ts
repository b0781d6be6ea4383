import { appIdCleaningNote, readAppId, type AppId } from '../plain/uuid';
import { failure, success, type Result } from '../plain/result';
import { MESSAGES, problem } from './findings';
import { finish, type FileReport } from './fileReport';

/**
 * The expected app UUID, apart from the parsers: the page applies it to finished reports as the
 * admin types, without checking the files again.
 */

/** The expected UUID as read, when one was given. */
export interface Expected {
  /** The UUID files are checked against (lower case). */
  appId: AppId;
  /** What cleaning did ("the same UUID without the curly braces."); null when used as typed. */
  note: string | null;
}

/** The code of an expected UUID that is not valid: shown at the field (the CLI exits 2), never charged to a file. */
export type ExpectedError = 'invalid-expected-uuid';

/**
 * Reads the expected UUID as the Create field reads an app UUID (`readAppId`): braces, a
 * `urn:uuid:` prefix, surrounding spaces and upper case are obviously not meant and are left out.
 * Empty means "any UUID": success with null.
 */
export function parseExpected(expected: string | null | undefined): Result<Expected | null, ExpectedError> {
  if (expected === null || expected === undefined || expected.trim() === '') return success(null);
  const parsed = readAppId(expected);
  if (!parsed.ok) return failure('invalid-expected-uuid', MESSAGES.invalidExpected(parsed.message));
  // The note without its "Using <uuid>: ", which the page and the CLI say themselves.
  return success({ appId: parsed.value.appId, note: appIdCleaningNote(parsed.value)?.replace(/^Using \S+: /, '') ?? null });
}

/** The UUID files are checked against: null while none is given or the typed one is not valid. */
export const expectedAppId = (expected: Result<Expected | null>): AppId | null => (expected.ok ? (expected.value?.appId ?? null) : null);

/**
 * The report judged against `expected` (replacing any earlier expectation). An expected UUID that
 * is not valid judges nothing: the field says what is wrong, the files keep their own verdicts.
 */
export function applyExpected(report: FileReport, expected: string | null | undefined): FileReport {
  const appId = expectedAppId(parseExpected(expected));
  const problems = report.problems.filter((p) => p.code !== 'uuid-mismatch');
  const matches = appId === null ? null : report.appId === appId;
  if (appId !== null && report.appId !== null && !matches)
    problems.push(problem('uuid-mismatch', MESSAGES.mismatch(report.appId, appId), `for app ${report.appId}, not the expected one`));
  return finish({ ...report, problems, expectedAppId: appId, matchesExpected: matches });
}
