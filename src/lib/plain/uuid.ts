import { failure, success, type Result } from './result';

/** A DSM app UUID in its canonical form: 36 lower-case characters, groups 8-4-4-4-12. */
export type AppId = string & { readonly brand: 'AppId' };

export interface ParsedAppId {
  appId: AppId;
  /** True when the input had upper-case hex digits: the UUID used is the lower-case one. */
  wasUpperCase: boolean;
  /** What was around the UUID and is left out: `{...}` braces, a `urn:uuid:` prefix (RFC 9562 section 4). */
  unwrapped: ('braces' | 'urn-prefix')[];
}

export type AppIdError = 'empty-uuid' | 'malformed-uuid';

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXAMPLE = 'da7f2800-4122-4681-aebf-90beb779b73f';

/**
 * Reads an app UUID as it must appear (e.g. the expected UUID of a check). Surrounding white space
 * and upper case are forgiven; anything else that is not the canonical form is refused with the
 * reason, because a "fixed" UUID silently embedded in a certificate is worse than a clear question.
 */
export function parseAppId(input: string): Result<ParsedAppId, AppIdError> {
  const text = input.trim();
  if (text === '') {
    return failure(
      'empty-uuid',
      'Enter the app UUID: open the app in DSM (Apps → your app) and copy the UUID shown at the top of its page.',
    );
  }
  if (!CANONICAL.test(text)) return failure('malformed-uuid', malformedUuidText(text));
  return success({ appId: text.toLowerCase() as AppId, wasUpperCase: text !== text.toLowerCase(), unwrapped: [] });
}

/**
 * Reads an app UUID as a person pastes it into a form that makes something for it (Create, the
 * CLI's --app-id): like parseAppId, and one pair of `{...}` braces and a `urn:uuid:` prefix
 * (RFC 9562 section 4) are obviously not meant as part of it, so they are left out and reported
 * back (see appIdCleaningNote). Anything else still gets its question.
 */
export function readAppId(input: string): Result<ParsedAppId, AppIdError> {
  const unwrapped: ParsedAppId['unwrapped'] = [];
  let text = input.trim();
  if (/^urn:uuid:/i.test(text)) {
    text = text.slice('urn:uuid:'.length).trim();
    unwrapped.push('urn-prefix');
  }
  if (/^\{.*\}$/s.test(text)) {
    text = text.slice(1, -1).trim();
    unwrapped.push('braces');
  }
  const parsed = parseAppId(text);
  return parsed.ok ? success({ ...parsed.value, unwrapped }) : parsed;
}

/** What readAppId did to the typed text, as a sentence that names the UUID it will use; null when it used the text as typed. */
export function appIdCleaningNote(parsed: ParsedAppId): string | null {
  const changes = [
    ...parsed.unwrapped.map((part) => (part === 'braces' ? 'without the curly braces' : 'without the "urn:uuid:" prefix')),
    ...(parsed.wasUpperCase ? ['in lower case, as DSM shows it'] : []),
  ];
  return changes.length === 0 ? null : `Using ${parsed.appId}: the same UUID ${changes.join(' and ')}.`;
}

/** True when the text is a canonical UUID (either case). */
export const isUuid = (text: string): boolean => CANONICAL.test(text);

/**
 * True when the text looks like an attempt at a UUID (so a verifier can call it malformed rather
 * than "some other name"): braces, urn prefix, or mostly hex digits and hyphens of about the length.
 */
export function looksLikeUuidAttempt(text: string): boolean {
  const t = text.trim();
  if (isUuid(t)) return true;
  if (/^\{.*\}$/.test(t) || /^urn:uuid:/i.test(t)) return true;
  const hexish = t.replace(/[^0-9a-fA-F-]/g, '');
  return t.length >= 24 && t.length <= 48 && hexish.length >= t.length * 0.8 && /[0-9]/.test(t) && !t.includes('.');
}

/** The message of parseAppId's `malformed-uuid`: why a trimmed, non-empty, non-canonical text is not a UUID and what to write instead. */
function malformedUuidText(text: string): string {
  if (/^\{.*\}$/.test(text)) {
    return `Remove the curly braces: DSM writes the UUID without them, e.g. ${EXAMPLE}.`;
  }
  if (/^urn:uuid:/i.test(text)) {
    return `Remove the "urn:uuid:" prefix and keep only the 36-character UUID, e.g. ${EXAMPLE}.`;
  }
  if (/\s/.test(text)) {
    return 'The UUID contains a space or line break inside it; paste it again as one unbroken value.';
  }
  const bad = [...text].findIndex((c) => !/[0-9a-fA-F-]/.test(c));
  if (bad >= 0) {
    return `"${text[bad]}" (character ${bad + 1}) is not allowed: a UUID has only hexadecimal digits 0-9, a-f and hyphens.`;
  }
  if (!text.includes('-') && text.length === 32) {
    return `The hyphens are missing: write the UUID in groups of 8-4-4-4-12 characters, e.g. ${EXAMPLE}.`;
  }
  const groups = text.split('-').map((g) => g.length);
  const digits = text.replaceAll('-', '').length;
  if (digits !== 32) {
    return `A UUID has 32 hexadecimal digits (36 characters with hyphens); this one has ${digits} digits. Copy it again from the DSM app page.`;
  }
  return `The hyphens are in the wrong places: groups must be 8-4-4-4-12 characters, this one has ${groups.join('-')}.`;
}
