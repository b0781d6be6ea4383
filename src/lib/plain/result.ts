/**
 * Typed outcomes. Core functions return these for anything a user can get wrong, and keep
 * exceptions for bugs. `code` is stable (tests, CLI JSON); `message` is for people.
 */
export interface Failure<Code extends string = string> {
  ok: false;
  code: Code;
  message: string;
}

export interface Success<T> {
  ok: true;
  value: T;
}

export type Result<T, Code extends string = string> = Success<T> | Failure<Code>;

export const success = <T>(value: T): Success<T> => ({ ok: true, value });

export const failure = <Code extends string>(code: Code, message: string): Failure<Code> => ({
  ok: false,
  code,
  message,
});

/** One problem with one input (a form field, a command option): a failure and the field it belongs to. */
export interface FieldProblem<Code extends string = string, Field extends string = string> {
  field: Field;
  code: Code;
  message: string;
}

/**
 * A failure of several inputs at once, each problem on its own field, so a form can show every one
 * next to its input. `code` is the first problem's and `message` all messages in order, so a caller
 * that shows one line (a banner, a log) treats it as any other failure.
 */
export interface FieldsFailure<Code extends string = string, Field extends string = string> extends Failure<Code> {
  problems: FieldProblem<Code, Field>[];
}

export type FieldsResult<T, Code extends string = string, Field extends string = string> = Success<T> | FieldsFailure<Code, Field>;

/** The failure of these problems; at least one, or it is a bug. */
export function fieldsFailure<Code extends string, Field extends string>(
  problems: FieldProblem<Code, Field>[],
): FieldsFailure<Code, Field> {
  if (problems.length === 0) throw new Error('fieldsFailure needs at least one problem');
  return { ok: false, code: problems[0].code, message: problems.map((p) => p.message).join(' '), problems };
}

/** The message of a failure, or null on success: what a form shows under an input. */
export const failureMessage = (result: Result<unknown>): string | null => (result.ok ? null : result.message);
