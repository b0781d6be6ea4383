import { describe, expect, it } from 'vitest';
import { failure, failureMessage, fieldsFailure, success } from '../../src/lib/plain/result';

describe('fieldsFailure', () => {
  it("is a failure with the first problem's code and every message in order, keeping each problem on its field", () => {
    const problems = [
      { field: 'appId', code: 'empty-uuid', message: 'Enter the app UUID.' },
      { field: 'days', code: 'days-out-of-range', message: 'Use 1 to 3650 days.' },
    ];
    expect(fieldsFailure(problems)).toEqual({
      ok: false,
      code: 'empty-uuid',
      message: 'Enter the app UUID. Use 1 to 3650 days.',
      problems,
    });
  });
  it('refuses an empty list, which would be a failure without a reason (a bug)', () => {
    expect(() => fieldsFailure([])).toThrow(/at least one problem/);
  });
});

describe('failureMessage', () => {
  it('gives the message of a failure and null on success, for a form to show under an input', () => {
    expect(failureMessage(failure('passwords-differ', 'Type the same password twice.'))).toBe('Type the same password twice.');
    expect(failureMessage(success('pw'))).toBeNull();
  });
});
