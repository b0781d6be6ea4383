/**
 * The DER rules OpenSSL's decoder enforces and asn1js/pkijs do not, checked on the raw bytes of a
 * certificate or CSR before Verify believes pkijs's reading. Differential fuzzing against OpenSSL 3
 * found each one (tests/interop/differential.test.ts): an INTEGER with no bytes or needless
 * leading bytes, a version other than 1 to 3, a field too many or out of place, a name value of a
 * type X.509 does not allow. OpenSSL and Python refuse such files; so does Verify, saying why.
 * The private checks below return the reason as a phrase (null when fine) so they compose with `??`;
 * the exported ones turn it into a Result.
 */

import { failure, success, type Result } from '../plain/result';

interface Tlv {
  tag: number;
  /** Content bytes (also for constructed TLVs). */
  content: Uint8Array;
  constructed: boolean;
  end: number;
}

function readTlv(der: Uint8Array, at: number, limit: number): Tlv | string {
  if (at + 2 > limit) return 'a field is cut short';
  const tag = der[at];
  if ((tag & 0x1f) === 0x1f) return 'a field has a tag number beyond 30';
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) return 'a field has an indefinite length (BER, not DER)';
    if (count > 4 || start + count > limit) return 'a field has an impossible length';
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i];
    start += count;
  }
  if (start + length > limit) return 'a field is longer than what holds it';
  return { tag, content: der.subarray(start, start + length), constructed: (tag & 0x20) !== 0, end: start + length };
}

function children(tlv: Tlv): Tlv[] | string {
  const out: Tlv[] = [];
  let at = 0;
  while (at < tlv.content.length) {
    const child = readTlv(tlv.content, at, tlv.content.length);
    if (typeof child === 'string') return child;
    out.push(child);
    at = child.end;
  }
  return out;
}

const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;
const SEQUENCE = 0x30;
const SET = 0x31;

/** The primitive encodings OpenSSL's decoder checks wherever they occur. */
function primitiveReason(tlv: Tlv): string | null {
  const c = tlv.content;
  switch (tlv.tag) {
    case 0x01:
      return c.length === 1 ? null : 'a BOOLEAN is not one byte long';
    case INTEGER:
      if (c.length === 0) return 'an INTEGER has no bytes';
      if (c.length > 1 && ((c[0] === 0 && c[1] < 0x80) || (c[0] === 0xff && c[1] >= 0x80))) return 'an INTEGER has needless leading bytes';
      return null;
    case BIT_STRING:
      if (c.length === 0 || c[0] > 7 || (c.length === 1 && c[0] !== 0)) return 'a BIT STRING has an invalid unused-bits count';
      return null;
    case 0x05:
      return c.length === 0 ? null : 'a NULL has content';
    case OID:
      if (c.length === 0 || (c[c.length - 1] & 0x80) !== 0) return 'an OBJECT IDENTIFIER is cut short';
      for (let i = 0; i < c.length; i++)
        if (c[i] === 0x80 && (i === 0 || (c[i - 1] & 0x80) === 0)) return 'an OBJECT IDENTIFIER has a needless leading byte';
      return null;
    default:
      return null;
  }
}

/**
 * Checks the lengths of every TLV below `tlv` (not inside OCTET and BIT STRING contents, which
 * OpenSSL reads later if at all) and, where `primitives`, their encodings. A constructed value of
 * type ANY (algorithm parameters, name values) OpenSSL keeps as raw bytes: its insides are only
 * length-checked.
 */
function walk(tlv: Tlv, primitives = true): string | null {
  if (!tlv.constructed) return primitives ? primitiveReason(tlv) : null;
  const parts = children(tlv);
  if (typeof parts === 'string') return parts;
  for (const part of parts) {
    const reason = walk(part, primitives);
    if (reason) return reason;
  }
  return null;
}

/** Primitive checks for the fields OpenSSL's templates type, lengths only inside ANY values. */
function walkTyped(tlv: Tlv): string | null {
  return walk(tlv, false) ?? typedPrimitives(tlv);
}

function typedPrimitives(tlv: Tlv): string | null {
  if (!tlv.constructed) return primitiveReason(tlv);
  const parts = children(tlv) as Tlv[];
  // An AlgorithmIdentifier or a name attribute: an OID, then one ANY value (checked only when primitive).
  if (tlv.tag === SEQUENCE && parts.length === 2 && parts[0].tag === OID && !parts[1].constructed)
    return primitiveReason(parts[0]) ?? primitiveReason(parts[1]);
  if (tlv.tag === SEQUENCE && parts.length >= 1 && parts.length <= 2 && parts[0].tag === OID) return primitiveReason(parts[0]);
  for (const part of parts) {
    const reason = typedPrimitives(part);
    if (reason) return reason;
  }
  return null;
}

const expectTag = (tlv: Tlv | undefined, tag: number, what: string): string | null =>
  tlv === undefined ? `${what} is missing` : tlv.tag === tag ? null : `${what} has the wrong type`;

/**
 * Universal tag numbers OpenSSL 3 allows as a name attribute value: its string mask (UTF8String,
 * NumericString, PrintableString, T61String, IA5String, UniversalString, BMPString, SEQUENCE) and
 * the types it has no flag for at all (7, 8, 9, 11, 13, 14, 15, 29, 31), which it dumps as #hex.
 * Found by differential fuzzing: Videotex, Graphic, Visible and General strings are refused.
 */
const NAME_VALUE_TAGS = new Set([0x0c, 0x12, 0x13, 0x14, 0x16, 0x1c, 0x1e, 7, 8, 9, 11, 13, 14, 15, 29, 31]);

function nameReason(name: Tlv | undefined, what: string): string | null {
  const wrong = expectTag(name, SEQUENCE, what);
  if (wrong || !name) return wrong;
  const rdns = children(name);
  if (typeof rdns === 'string') return rdns;
  for (const rdn of rdns) {
    if (rdn.tag !== SET) return `the ${what} has a part that is not a SET`;
    const attributes = children(rdn);
    if (typeof attributes === 'string') return attributes;
    for (const attribute of attributes) {
      const pair = attribute.tag === SEQUENCE ? children(attribute) : [];
      if (typeof pair === 'string' || pair.length !== 2 || pair[0].tag !== OID)
        return `the ${what} has an attribute that is not an OID and a value`;
      const value = pair[1];
      const allowed = value.tag === SEQUENCE || ((value.tag & 0xc0) === 0 && NAME_VALUE_TAGS.has(value.tag & 0x1f));
      if (!allowed) return `the ${what} has a value of a type X.509 names do not allow`;
    }
  }
  return null;
}

function algorithmReason(algorithm: Tlv | undefined, what: string): string | null {
  const wrong = expectTag(algorithm, SEQUENCE, what);
  if (wrong || !algorithm) return wrong;
  const parts = children(algorithm);
  if (typeof parts === 'string') return parts;
  if (parts.length < 1 || parts.length > 2 || parts[0].tag !== OID) return `${what} is not an OID with optional parameters`;
  return null;
}

/** The outer SEQUENCE { body, algorithm, BIT STRING } shared by certificates and CSRs (trailing bytes are ignored, as OpenSSL does). */
function signedParts(der: Uint8Array): Tlv[] | string {
  const outer = readTlv(der, 0, der.length);
  if (typeof outer === 'string') return outer;
  if (outer.tag !== SEQUENCE) return 'it is not a SEQUENCE';
  const reason = walkTyped(outer);
  if (reason) return reason;
  const parts = children(outer) as Tlv[];
  if (parts.length !== 3) return 'it does not have exactly a body, an algorithm and a signature';
  return (
    expectTag(parts[0], SEQUENCE, 'the signed body') ??
    algorithmReason(parts[1], 'the signature algorithm') ??
    expectTag(parts[2], BIT_STRING, 'the signature') ??
    parts
  );
}

/** Why OpenSSL would refuse this certificate's encoding (a phrase), or null when it would read it. */
function certificateReason(der: Uint8Array): string | null {
  const parts = signedParts(der);
  if (typeof parts === 'string') return parts;
  const fields = children(parts[0]) as Tlv[];
  let i = 0;
  if (fields[i]?.tag === 0xa0) {
    const version = children(fields[i]) as Tlv[];
    if (version.length !== 1 || version[0].tag !== INTEGER) return 'the version is not one INTEGER';
    i++;
  }
  const reason =
    expectTag(fields[i], INTEGER, 'the serial number') ??
    algorithmReason(fields[i + 1], 'the inner signature algorithm') ??
    nameReason(fields[i + 2], 'issuer name') ??
    expectTag(fields[i + 3], SEQUENCE, 'the validity') ??
    nameReason(fields[i + 4], 'subject name') ??
    expectTag(fields[i + 5], SEQUENCE, 'the public key');
  if (reason) return reason;
  const validity = children(fields[i + 3]) as Tlv[];
  if (validity.length !== 2 || validity.some((t) => t.tag !== 0x17 && t.tag !== 0x18)) return 'the validity is not two times';
  const key = children(fields[i + 5]) as Tlv[];
  if (key.length !== 2 || algorithmReason(key[0], 'the key algorithm') || key[1].tag !== BIT_STRING)
    return 'the public key is not an algorithm and a BIT STRING';
  // Then optional issuerUniqueID [1], subjectUniqueID [2], extensions [3], each at most once, in order.
  let last = 0;
  for (const field of fields.slice(i + 6)) {
    const number = field.tag === 0x81 || field.tag === 0xa1 ? 1 : field.tag === 0x82 || field.tag === 0xa2 ? 2 : field.tag === 0xa3 ? 3 : 0;
    if (number <= last) return 'the certificate body has a field too many or out of place';
    last = number;
    if (number === 3) {
      const list = children(field) as Tlv[];
      if (list.length !== 1 || list[0].tag !== SEQUENCE) return 'the extensions are not one list';
      for (const extension of children(list[0]) as Tlv[]) {
        const e = extension.tag === SEQUENCE ? (children(extension) as Tlv[]) : [];
        const valid =
          e.length >= 2 &&
          e.length <= 3 &&
          e[0].tag === OID &&
          e[e.length - 1].tag === OCTET_STRING &&
          (e.length === 2 || e[1].tag === 0x01);
        if (!valid) return 'an extension is not an OID, a criticality and an OCTET STRING';
      }
    }
  }
  return null;
}

/** Why OpenSSL would refuse this CSR's encoding (a phrase), or null when it would read it. */
function csrReason(der: Uint8Array): string | null {
  const parts = signedParts(der);
  if (typeof parts === 'string') return parts;
  const fields = children(parts[0]) as Tlv[];
  // OpenSSL also reads a request without its attributes field (which PKCS#10 requires).
  if (fields.length < 3 || fields.length > 4) return 'the request body does not have a version, a subject, a key and attributes';
  if (fields[0].tag !== INTEGER) return 'the request version is not an INTEGER';
  const reason =
    nameReason(fields[1], 'subject name') ??
    expectTag(fields[2], SEQUENCE, 'the public key') ??
    (fields[3] ? expectTag(fields[3], 0xa0, 'the attributes') : null);
  if (reason) return reason;
  const key = children(fields[2]) as Tlv[];
  if (key.length !== 2 || algorithmReason(key[0], 'the key algorithm') || key[1].tag !== BIT_STRING)
    return 'the public key is not an algorithm and a BIT STRING';
  return null;
}

/** The code of an encoding OpenSSL's decoder refuses (Verify then reports the file as one it cannot read). */
export type OutlineError = 'encoding-refused';

const outcome = (reason: string | null): Result<void, OutlineError> =>
  reason === null ? success(undefined) : failure('encoding-refused', `OpenSSL would refuse this encoding: ${reason}.`);

/** Whether OpenSSL would read this certificate's encoding; if not, the failure says what it would refuse. */
export const checkCertificateOutline = (der: Uint8Array): Result<void, OutlineError> => outcome(certificateReason(der));

/** Whether OpenSSL would read this CSR's encoding; if not, the failure says what it would refuse. */
export const checkCsrOutline = (der: Uint8Array): Result<void, OutlineError> => outcome(csrReason(der));

/** The bytes of the outer TLV, without anything after it (OpenSSL ignores trailing bytes and so does its fingerprint). */
export function outerTlv(der: Uint8Array): Uint8Array {
  const outer = readTlv(der, 0, der.length);
  return typeof outer === 'string' ? der : der.subarray(0, outer.end);
}
