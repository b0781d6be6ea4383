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
