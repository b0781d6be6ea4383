import { describe, expect, it } from 'vitest';
import { appIdCleaningNote, looksLikeUuidAttempt, parseAppId, readAppId } from '../../src/lib/plain/uuid';

const CANONICAL = 'da7f2800-4122-4681-aebf-90beb779b73f';

describe('parseAppId', () => {
  it('accepts the canonical form unchanged', () => {
    expect(parseAppId(CANONICAL)).toEqual({ ok: true, value: { appId: CANONICAL, wasUpperCase: false, unwrapped: [] } });
  });

  it('trims surrounding white space', () => {
    expect(parseAppId(`  ${CANONICAL}\n`)).toEqual({ ok: true, value: { appId: CANONICAL, wasUpperCase: false, unwrapped: [] } });
  });

  it('writes upper case in lower case and says so', () => {
    expect(parseAppId(CANONICAL.toUpperCase())).toEqual({ ok: true, value: { appId: CANONICAL, wasUpperCase: true, unwrapped: [] } });
  });

  it.each([
    ['', 'empty-uuid', /Enter the app UUID/],
    ['   ', 'empty-uuid', /Enter the app UUID/],
    [`{${CANONICAL}}`, 'malformed-uuid', /Remove the curly braces/],
    [`urn:uuid:${CANONICAL}`, 'malformed-uuid', /Remove the "urn:uuid:" prefix/],
    [CANONICAL.replaceAll('-', ''), 'malformed-uuid', /hyphens are missing/],
    [CANONICAL.slice(0, 35), 'malformed-uuid', /32 hexadecimal digits .* this one has 31 digits/],
    [`${CANONICAL}0`, 'malformed-uuid', /this one has 33 digits/],
    ['da7f2800-4122-4681-aebf-90beb779b7zz', 'malformed-uuid', /"z" \(character 35\) is not allowed/],
    ['da7f280-04122-4681-aebf-90beb779b73f', 'malformed-uuid', /groups must be 8-4-4-4-12 characters, this one has 7-5-4-4-12/],
    ['da7f2800-4122 -4681-aebf-90beb779b73f', 'malformed-uuid', /space or line break inside/],
    ['test.kmip.fortanix.com', 'malformed-uuid', /"t" \(character 1\) is not allowed/],
    [`URN:UUID:${CANONICAL}`, 'malformed-uuid', /Remove the "urn:uuid:" prefix/],
    [`{${CANONICAL.toUpperCase()}}`, 'malformed-uuid', /Remove the curly braces/],
    ['da7f2800\t4122-4681-aebf-90beb779b73f', 'malformed-uuid', /space or line break inside/],
    // An en dash, as word processors and chat tools turn a hyphen into.
    ['da7f2800\u20134122-4681-aebf-90beb779b73f', 'malformed-uuid', /"\u2013" \(character 9\) is not allowed/],
    // A Cyrillic "а" that looks like the Latin one.
    ['d\u04307f2800-4122-4681-aebf-90beb779b73f', 'malformed-uuid', /"\u0430" \(character 2\) is not allowed/],
    ['da7f2800-4122-4681-aebf-90beb779b73f-', 'malformed-uuid', /groups must be 8-4-4-4-12 characters, this one has 8-4-4-4-12-0/],
  ])('rejects %j with %s', (input, code, message) => {
    const result = parseAppId(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message).toMatch(message);
    }
  });
});

describe('readAppId (what a person pastes into Create)', () => {
  it.each([
    [`{${CANONICAL}}`, ['braces'], false],
    [` { ${CANONICAL} } `, ['braces'], false],
    [`urn:uuid:${CANONICAL}`, ['urn-prefix'], false],
    [`URN:UUID:${CANONICAL.toUpperCase()}`, ['urn-prefix'], true],
    [`urn:uuid:{${CANONICAL}}`, ['urn-prefix', 'braces'], false],
    [`{${CANONICAL.toUpperCase()}}`, ['braces'], true],
  ])('cleans %j to the canonical UUID and says what it removed', (input, unwrapped, wasUpperCase) => {
    expect(readAppId(input)).toEqual({ ok: true, value: { appId: CANONICAL, wasUpperCase, unwrapped } });
  });

  it.each([
    ['{}', 'empty-uuid', /Enter the app UUID/],
    ['urn:uuid:', 'empty-uuid', /Enter the app UUID/],
    [`{${CANONICAL.slice(0, 35)}}`, 'malformed-uuid', /this one has 31 digits/],
    [`{{${CANONICAL}}}`, 'malformed-uuid', /Remove the curly braces/],
    [`urn:uuid:urn:uuid:${CANONICAL}`, 'malformed-uuid', /Remove the "urn:uuid:" prefix/],
    [`{urn:uuid:${CANONICAL}}`, 'malformed-uuid', /Remove the "urn:uuid:" prefix/],
  ])('still asks about %j with %s', (input, code, message) => {
    const result = readAppId(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message).toMatch(message);
    }
  });
});

describe('appIdCleaningNote', () => {
  const note = (input: string) => {
    const parsed = readAppId(input);
    return parsed.ok ? appIdCleaningNote(parsed.value) : parsed.message;
  };
  it('says nothing when the UUID is used as typed', () => expect(note(` ${CANONICAL} `)).toBeNull());
  it('names the UUID it will use and what it left out', () => {
    expect(note(`{${CANONICAL}}`)).toBe(`Using ${CANONICAL}: the same UUID without the curly braces.`);
    expect(note(CANONICAL.toUpperCase())).toBe(`Using ${CANONICAL}: the same UUID in lower case, as DSM shows it.`);
    expect(note(`urn:uuid:${CANONICAL.toUpperCase()}`)).toBe(
      `Using ${CANONICAL}: the same UUID without the "urn:uuid:" prefix and in lower case, as DSM shows it.`,
    );
  });
});

describe('looksLikeUuidAttempt', () => {
  it.each([CANONICAL, `{${CANONICAL}}`, `urn:uuid:${CANONICAL}`, CANONICAL.replaceAll('-', ''), CANONICAL.slice(0, 30)])(
    'treats %j as an attempt',
    (text) => {
      expect(looksLikeUuidAttempt(text)).toBe(true);
    },
  );

  it.each(['test.kmip.fortanix.com', 'payments-service', 'Fortanix Inc', ''])('treats %j as some other name', (text) => {
    expect(looksLikeUuidAttempt(text)).toBe(false);
  });
});
