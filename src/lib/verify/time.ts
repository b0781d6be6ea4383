import type { Bytes } from '../plain/bytes';

/**
 * A certificate's validity times read from their raw encoding, because asn1js reads them leniently
 * (a UTCTime with too few digits becomes a plausible but invented date) or throws (a damaged
 * GeneralizedTime makes the whole certificate unreadable).
 *
 * Two readings, as OpenSSL 3.0 has them:
 * - `date`: what `openssl x509 -dates` prints (its ASN1_TIME_to_tm, which also takes a missing
 *   seconds field, a +hhmm offset and GeneralizedTime fractions); null where it prints
 *   "Bad time value".
 * - `strict`: the RFC 5280 form (UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ), the only
 *   one `openssl verify` (X509_cmp_time: "format error in certificate's notAfter field") and
 *   Python `cryptography` accept.
 */

export interface RawTime {
  type: 'UTCTime' | 'GeneralizedTime' | 'other';
  /** The content bytes as Latin-1 text, for messages (escape before printing). */
  text: string;
  date: Date | null;
  strict: boolean;
}

/** A TLV of DER: tag byte, where its content starts and ends. */
interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(der: Uint8Array, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null;
  const tag = der[at];
  if ((tag & 0x1f) === 0x1f) return null; // high tag numbers never occur where we look
  let length = der[at + 1];
  let contentStart = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || contentStart + count > limit) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[contentStart + i];
    contentStart += count;
  }
  const end = contentStart + length;
  return end > limit ? null : { tag, start: at, contentStart, end };
}

function children(der: Uint8Array, parent: Tlv, count: number): Tlv[] | null {
  const out: Tlv[] = [];
  let at = parent.contentStart;
  while (out.length < count && at < parent.end) {
    const tlv = readTlv(der, at, parent.end);
    if (!tlv) return null;
    out.push(tlv);
    at = tlv.end;
  }
  return out;
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** Where the notBefore and notAfter TLVs of a certificate are, or null when its outline is not X.509. */
export function locateValidity(der: Uint8Array): { validity: Tlv; notBefore: Tlv; notAfter: Tlv; path: Tlv[] } | null {
  const certificate = readTlv(der, 0, der.length);
  if (!certificate || certificate.tag !== 0x30) return null;
  const [tbs] = children(der, certificate, 1) ?? [];
  if (!tbs || tbs.tag !== 0x30) return null;
  const fields = children(der, tbs, 5);
  if (!fields) return null;
  const skip = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version
  const validity = fields[skip + 3];
  if (!validity || validity.tag !== 0x30) return null;
  const times = children(der, validity, 2);
  if (!times || times.length !== 2) return null;
  return { validity, notBefore: times[0], notAfter: times[1], path: [certificate, tbs] };
}

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const leapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The date OpenSSL 3.0's ASN1_TIME_to_tm reads from a UTCTime or GeneralizedTime, or null where it
 * fails. The same steps (two-digit fields with ranges, optional seconds, optional fraction for
 * GeneralizedTime, then Z or a +/-hhmm offset ending the string), not its code.
 */
export function opensslDate(type: 'UTCTime' | 'GeneralizedTime', text: string): Date | null {
  const utc = type === 'UTCTime';
  if (text.length < (utc ? 11 : 13)) return null;
  // Field ranges: century, year, month, day, hour, minute, second (offset hours/minutes reuse them).
  const min = [0, 0, 1, 1, 0, 0, 0];
  const max = [99, 99, 12, 31, 23, 59, 59];
  const fields = utc ? 6 : 7;
  const zoneAllowedAt = fields - 1; // the seconds are optional
  const v: number[] = [];
  let o = 0;
  for (let i = 0; i < fields; i++) {
    if (i === zoneAllowedAt && 'Z+-'.includes(text[o])) break;
    if (!isDigit(text[o]) || !isDigit(text[o + 1])) return null;
    const n = Number(text.slice(o, o + 2));
    o += 2;
    if (o >= text.length) return null;
    const f = utc ? i + 1 : i;
    if (n < min[f] || n > max[f]) return null;
    v.push(n);
  }
  if (utc) v.unshift(-1);
  const year = utc ? (v[1] < 50 ? 2000 + v[1] : 1900 + v[1]) : v[0] * 100 + v[1];
  const [month, day, hour, minute, second = 0] = v.slice(2);
  const monthDays = month === 2 && leapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > monthDays) return null;
  if (!utc && text[o] === '.') {
    const digits = o + 1;
    o = digits;
    while (isDigit(text[o])) o++;
    if (o === digits || o >= text.length) return null;
  }
  let offsetMinutes = 0;
  if (text[o] === 'Z') {
    o++;
  } else if (text[o] === '+' || text[o] === '-') {
    const sign = text[o] === '-' ? 1 : -1;
    o++;
    if (o + 4 !== text.length || ![0, 1, 2, 3].every((k) => isDigit(text[o + k]))) return null;
    const hours = Number(text.slice(o, o + 2));
    const minutes = Number(text.slice(o + 2, o + 4));
    if (hours > 12 || minutes > 59) return null;
    offsetMinutes = sign * (hours * 60 + minutes);
    o += 4;
  } else {
    return null;
  }
  if (o !== text.length) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute + offsetMinutes, second, 0);
  return date;
}

/** RFC 5280 section 4.1.2.5: UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ, both in range. */
function isStrict(type: RawTime['type'], text: string): boolean {
  const digits = type === 'UTCTime' ? 12 : type === 'GeneralizedTime' ? 14 : -1;
  return digits > 0 && text.length === digits + 1 && /^[0-9]+Z$/.test(text);
}

export function readTime(der: Uint8Array, tlv: Tlv): RawTime {
  const type = tlv.tag === UTC_TIME ? 'UTCTime' : tlv.tag === GENERALIZED_TIME ? 'GeneralizedTime' : 'other';
  const text = latin1(der.subarray(tlv.contentStart, tlv.end));
  const date = type === 'other' ? null : opensslDate(type, text);
  return { type, text, date, strict: date !== null && isStrict(type, text) };
}

/** Both validity times of a certificate, or null when its outline is not X.509. */
export function readValidity(der: Uint8Array): { notBefore: RawTime; notAfter: RawTime } | null {
  const found = locateValidity(der);
  return found ? { notBefore: readTime(der, found.notBefore), notAfter: readTime(der, found.notAfter) } : null;
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 | bytes.length, ...bytes];
}

/**
 * The certificate with both validity times replaced by a valid placeholder, so that a parser that
 * throws on a damaged time can still read every other field. Only the outer lengths change; the
 * caller keeps the original bytes for the fingerprint and the original TBS for the signature.
 */
export function withPlaceholderTimes(der: Uint8Array): Bytes | null {
  const found = locateValidity(der);
  if (!found) return null;
  const placeholder = [UTC_TIME, 13, ...Array.from('700101000000Z', (c) => c.charCodeAt(0))];
  const validityContent = [...placeholder, ...placeholder];
  // Rebuild from the inside out: validity, then the TBS and the certificate around it.
  let inner = [0x30, ...encodeLength(validityContent.length), ...validityContent];
  let replacedStart = found.validity.start;
  let replacedEnd = found.validity.end;
  for (const outer of [...found.path].reverse()) {
    const content = [...der.subarray(outer.contentStart, replacedStart), ...inner, ...der.subarray(replacedEnd, outer.end)];
    inner = [outer.tag, ...encodeLength(content.length), ...content];
    replacedStart = outer.start;
    replacedEnd = outer.end;
  }
  return new Uint8Array([...inner, ...der.subarray(found.path[0].end)]);
}

/** The TBSCertificate bytes as signed, from the original encoding. */
export function tbsBytes(der: Uint8Array): Bytes | null {
  const found = locateValidity(der);
  return found ? new Uint8Array(der.subarray(found.path[1].start, found.path[1].end)) : null;
}
