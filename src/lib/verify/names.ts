import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from '../oids';
import { formatSubject } from '../subject';

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
}

const SHORT_NAMES: Record<string, string> = {
  [OID.countryName]: 'C',
  [OID.stateOrProvinceName]: 'ST',
  [OID.localityName]: 'L',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.commonName]: 'CN',
  [OID.emailAddress]: 'emailAddress',
  [OID.serialNumber]: 'serialNumber',
  [OID.surname]: 'SN',
  [OID.givenName]: 'GN',
  [OID.title]: 'title',
  [OID.streetAddress]: 'street',
  [OID.postalCode]: 'postalCode',
  [OID.initials]: 'initials',
  [OID.pseudonym]: 'pseudonym',
  [OID.generationQualifier]: 'generationQualifier',
  [OID.dnQualifier]: 'dnQualifier',
  [OID.description]: 'description',
  [OID.name]: 'name',
  [OID.businessCategory]: 'businessCategory',
  [OID.domainComponent]: 'DC',
  [OID.userId]: 'UID',
  [OID.unstructuredName]: 'unstructuredName',
};

/** Universal tag numbers of the ASN.1 string types, with how their bytes become text. */
const STRING_TYPES: Record<number, { name: string; decode: (bytes: Uint8Array) => string }> = {
  12: { name: 'UTF8String', decode: (b) => new TextDecoder().decode(b) },
  18: { name: 'NumericString', decode: latin1 },
  19: { name: 'PrintableString', decode: latin1 },
  20: { name: 'TeletexString', decode: latin1 },
  21: { name: 'VideotexString', decode: latin1 },
  22: { name: 'IA5String', decode: latin1 },
  25: { name: 'GraphicString', decode: latin1 },
  26: { name: 'VisibleString', decode: latin1 },
  27: { name: 'GeneralString', decode: latin1 },
  28: { name: 'UniversalString', decode: utf32be },
  30: { name: 'BMPString', decode: (b) => new TextDecoder('utf-16be').decode(b) },
};

// OpenSSL reads T61String bytes as Latin-1 before converting to UTF-8; so do we.
function latin1(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
}

function utf32be(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const code = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
    out += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  }
  return out;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');

function decodeValue(value: asn1js.BaseBlock): { value: string; stringType: string } {
  const type = value.idBlock.tagClass === 1 && !value.idBlock.isConstructed ? STRING_TYPES[value.idBlock.tagNumber] : undefined;
  const content = (value.valueBlock as { valueHexView?: Uint8Array }).valueHexView;
  if (type && content) return { value: type.decode(content), stringType: type.name };
  // Not a string: OpenSSL prints "#" and the hex of its DER encoding.
  return { value: `#${hex(new Uint8Array(value.toBER(false)))}`, stringType: (value.constructor as { NAME?: string }).NAME ?? 'unknown' };
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
    attributes.push({ oid: tv.type, shortName: SHORT_NAMES[tv.type] ?? tv.type, rdn: sets ? index : i, ...decoded });
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
  return groups.map((group) => group.map((a) => formatSubject([a])).join(' + ')).join(', ');
}
