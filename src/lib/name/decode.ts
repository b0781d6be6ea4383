import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { formatSubject } from '../plain/subject';
import { OPENSSL_SHORT_NAMES } from './shortNames';

/** One attribute of a decoded distinguished name, as OpenSSL would show it. */
export interface NameAttribute {
  oid: string;
  /** OpenSSL's short name (CN, O, emailAddress...), or the dotted OID when it has none. */
  shortName: string;
  value: string;
  /** The ASN.1 type of the value: UTF8String, PrintableString, IA5String, BMPString... */
  stringType: string;
  /** Position of the RDN it belongs to: equal for the parts of a multi-valued RDN. */
  rdn: number;
  /**
   * How `value` is written: `text` (decoded, escaped when printed), `hex` (not a string type:
   * "#" and the hex of its DER, as OpenSSL dumps it, never quoted), or `invalid` (a string whose
   * bytes are not valid for its type: printable ASCII kept, every other byte as \XX; OpenSSL and
   * Python refuse such a certificate).
   */
  encoding: 'text' | 'hex' | 'invalid';
}

/** OpenSSL's short names, plus the DSM app-id attribute, which OpenSSL prints as its dotted OID. */
const shortName = (oid: string): string => OPENSSL_SHORT_NAMES[oid] ?? oid;

/**
 * Universal tag numbers of the types OpenSSL prints as text, with how their bytes become text or
 * null when the bytes are not valid for the type. Any other type (VideotexString, GraphicString,
 * GeneralString, INTEGER, BIT STRING...) OpenSSL dumps as #hex, and so do we.
 */
const STRING_TYPES: Record<number, { name: string; decode: (bytes: Uint8Array) => string | null }> = {
  12: { name: 'UTF8String', decode: utf8 },
  18: { name: 'NumericString', decode: latin1 },
  19: { name: 'PrintableString', decode: latin1 },
  20: { name: 'TeletexString', decode: latin1 },
  22: { name: 'IA5String', decode: latin1 },
  23: { name: 'UTCTime', decode: latin1 },
  24: { name: 'GeneralizedTime', decode: latin1 },
  26: { name: 'VisibleString', decode: latin1 },
  28: { name: 'UniversalString', decode: utf32be },
  30: { name: 'BMPString', decode: utf16be },
};

// OpenSSL reads T61String bytes as Latin-1 before converting to UTF-8; so do we.
function latin1(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function utf16be(bytes: Uint8Array): string | null {
  if (bytes.length % 2 !== 0) return null;
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) out += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
  return out;
}

function utf32be(bytes: Uint8Array): string | null {
  if (bytes.length % 4 !== 0) return null;
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const code = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
    if (code > 0x10ffff) return null;
    out += String.fromCodePoint(code);
  }
  return out;
}

/** Raw bytes for people: printable ASCII as it is (a backslash doubled), every other byte as \XX. */
export function escapeBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) =>
    b === 0x5c ? '\\\\' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');

function decodeValue(value: asn1js.BaseBlock): Pick<NameAttribute, 'value' | 'stringType' | 'encoding'> {
  const type = value.idBlock.tagClass === 1 && !value.idBlock.isConstructed ? STRING_TYPES[value.idBlock.tagNumber] : undefined;
  const content = (value.valueBlock as { valueHexView?: Uint8Array }).valueHexView;
  if (type && content) {
    const text = type.decode(content);
    return text === null
      ? { value: escapeBytes(content), stringType: type.name, encoding: 'invalid' }
      : { value: text, stringType: type.name, encoding: 'text' };
  }
  // Not a string: OpenSSL prints "#" and the hex of its encoding as the file has it (asn1js's
  // re-encoding would differ for a damaged value, e.g. a NULL with content).
  const raw = value.valueBeforeDecodeView;
  return {
    value: `#${hex(raw.byteLength > 0 ? new Uint8Array(raw) : new Uint8Array(value.toBER(false)))}`,
    stringType: (value.constructor as { NAME?: string }).NAME ?? 'unknown',
    encoding: 'hex',
  };
}

/** The attributes of a pkijs Name, in order. */
export function decodeName(name: pkijs.RelativeDistinguishedNames): NameAttribute[] {
  const attributes: NameAttribute[] = [];
  // pkijs flattens the RDNs; the raw SEQUENCE OF SET tells which attributes share an RDN.
  const sets = name.valueBeforeDecode.byteLength > 0 ? rdnSizes(name) : null;
  let index = 0;
  name.typesAndValues.forEach((tv, i) => {
    if (sets) {
      while (index < sets.length - 1 && i >= sets[index]) index++;
    }
    const decoded = decodeValue(tv.value);
    attributes.push({ oid: tv.type, shortName: shortName(tv.type), rdn: sets ? index : i, ...decoded });
  });
  return attributes;
}

/** Cumulative attribute counts per RDN, e.g. [1, 3, 4] for RDNs of 1, 2 and 1 attributes. */
function rdnSizes(name: pkijs.RelativeDistinguishedNames): number[] | null {
  const parsed = asn1js.fromBER(name.valueBeforeDecode);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return null;
  let total = 0;
  return parsed.result.valueBlock.value.map((set) => (total += (set as asn1js.Set).valueBlock.value.length));
}

/** A name as `openssl x509 -noout -subject` prints it: RDNs joined by ", ", multi-valued ones by " + ". */
export function formatName(attributes: NameAttribute[]): string {
  const groups: NameAttribute[][] = [];
  for (const a of attributes) {
    if (groups.length > 0 && groups[groups.length - 1][0].rdn === a.rdn) groups[groups.length - 1].push(a);
    else groups.push([a]);
  }
  // Hex dumps and already escaped invalid strings are printed as they are, never quoted.
  const one = (a: NameAttribute) => (a.encoding === 'text' ? formatSubject([a]) : `${a.shortName} = ${a.value}`);
  return groups.map((group) => group.map(one).join(' + ')).join(', ');
}
