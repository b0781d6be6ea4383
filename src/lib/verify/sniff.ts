import type { Bytes } from '../plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { WorkBudget } from '../budget';
import { parses } from '../der';
import { scanDer } from '../derScan';
import { OID } from '../plain/oids';
import { withPlaceholderTimes } from './time';
import { fromBase64, looksLikePem, parsePem } from '../pem';
import { failure, success, type Result } from '../plain/result';

/** What a file holds, found from its bytes alone (no password, no crypto). */

export type InputFormat = 'pem' | 'der' | 'base64';

export interface Sniffed {
  format: InputFormat;
  /** DER of each certificate, in file order. */
  certificates: Bytes[];
  csrs: Bytes[];
  pkcs12: Bytes | null;
  /** How many private keys (plain or encrypted) the file holds. */
  privateKeys: number;
  /** PEM labels of blocks that are none of the above (PUBLIC KEY, PKCS7...). */
  others: string[];
}

type DerKind = 'certificate' | 'csr' | 'pkcs12' | 'private-key' | NotCertificate;

/** Structures people mistake for certificates: said by name instead of "not valid DER". */
type NotCertificate = 'crl' | 'ocsp-response' | 'certificate-pair' | 'pkcs7-without-certificates';

const NOT_CERTIFICATE: Record<NotCertificate, string> = {
  crl: 'a certificate revocation list (CRL)',
  'ocsp-response': 'an OCSP response',
  'certificate-pair': 'a certificate pair (an LDAP crossCertificatePair)',
  'pkcs7-without-certificates': 'a PKCS#7 / CMS structure that holds no certificate',
};

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

function parseDer(der: Bytes): asn1js.AsnType | null {
  try {
    // asn1js reports most damage as offset -1, but throws on some (e.g. a malformed time).
    const parsed = asn1js.fromBER(der);
    return parsed.offset === -1 ? null : parsed.result;
  } catch {
    return null;
  }
}

/** The certificates of a PKCS#7 SignedData (a .p7b), or null when the schema is not one. */
function pkcs7Certificates(schema: asn1js.AsnType): Bytes[] | null {
  try {
    const info = new pkijs.ContentInfo({ schema });
    if (info.contentType !== OID.pkcs7SignedData) return null;
    const signed = new pkijs.SignedData({ schema: info.content });
    return (signed.certificates ?? []).filter((c) => c instanceof pkijs.Certificate).map((c) => new Uint8Array(c.toSchema().toBER(false)));
  } catch {
    return null;
  }
}

/** SEQUENCE { forward [0] Certificate OPTIONAL, reverse [1] Certificate OPTIONAL } (X.509 CertificatePair). */
function isCertificatePair(schema: asn1js.AsnType): boolean {
  if (!(schema instanceof asn1js.Sequence)) return false;
  const parts = schema.valueBlock.value;
  return (
    parts.length > 0 &&
    parts.length <= 2 &&
    parts.every(
      (part) =>
        part.idBlock.tagClass === 3 &&
        part.idBlock.tagNumber <= 1 &&
        part.idBlock.isConstructed &&
        parses(() => new pkijs.Certificate({ schema: (part as asn1js.Constructed).valueBlock.value[0] })),
    )
  );
}

/** The kind of a DER structure, tried from the most to the least likely. */
export function classifyDer(der: Bytes): DerKind | null {
  if (der.length < 2 || der[0] !== 0x30) return null;
  let schema = parseDer(der);
  if (!schema) {
    // A certificate whose validity time asn1js cannot read is still a certificate (judged bad-time).
    const patched = withPlaceholderTimes(der);
    schema = patched && parseDer(patched);
    return schema && parses(() => new pkijs.Certificate({ schema })) ? 'certificate' : null;
  }
  if (parses(() => new pkijs.Certificate({ schema }))) return 'certificate';
  if (parses(() => new pkijs.CertificationRequest({ schema }))) return 'csr';
  if (parses(() => new pkijs.PFX({ schema }))) return 'pkcs12';
  if (
    parses(() => new pkijs.PrivateKeyInfo({ schema })) ||
    parses(() => new pkijs.PKCS8ShroudedKeyBag({ schema })) ||
    parses(() => new pkijs.RSAPrivateKey({ schema })) ||
    parses(() => new pkijs.ECPrivateKey({ schema }))
  ) {
    return 'private-key';
  }
  if (parses(() => new pkijs.CertificateRevocationList({ schema }))) return 'crl';
  if (parses(() => new pkijs.OCSPResponse({ schema }))) return 'ocsp-response';
  if (pkcs7Certificates(schema)?.length === 0) return 'pkcs7-without-certificates';
  if (isCertificatePair(schema)) return 'certificate-pair';
  return null;
}

const NOT_DER =
  'This file is not a certificate, CSR or PKCS#12 file: its bytes are not valid DER (it may be cut short, damaged or of another kind). Ask the app team to send the certificate file (.pem, .crt, .cer or .der) again.';

function fromDer(der: Bytes, format: InputFormat, budget: WorkBudget): Result<Sniffed, 'not-a-certificate'> {
  scanDer(der, budget);
  const kind = classifyDer(der);
  if (kind === 'certificate') budget.spend('certificates', 1, () => 'one certificate');
  if (kind === null) return failure('not-a-certificate', NOT_DER);
  if (kind in NOT_CERTIFICATE) {
    return failure(
      'not-a-certificate',
      `This file is ${NOT_CERTIFICATE[kind as NotCertificate]}, not a certificate. Ask the app team for the certificate file itself (.pem, .crt, .cer or .der).`,
    );
  }
  return success({
    format,
    certificates: kind === 'certificate' ? [der] : [],
    csrs: kind === 'csr' ? [der] : [],
    pkcs12: kind === 'pkcs12' ? der : null,
    privateKeys: kind === 'private-key' ? 1 : 0,
    others: [],
  });
}

function fromPemText(text: string, budget: WorkBudget): Result<Sniffed, 'not-a-certificate'> {
  const blocks = parsePem(text);
  if (!blocks.ok) return failure('not-a-certificate', blocks.message);
  const sniffed: Sniffed = { format: 'pem', certificates: [], csrs: [], pkcs12: null, privateKeys: 0, others: [] };
  const certificateBlocks = blocks.value.filter((block) => CERTIFICATE_LABELS.has(block.label)).length;
  budget.spend('certificates', certificateBlocks, () => `${certificateBlocks.toLocaleString('en-US')} certificates`);
  for (const { label, der } of blocks.value) {
    // Every block a parser reads later is counted first (the others are only named).
    if (CERTIFICATE_LABELS.has(label) || CSR_LABELS.has(label) || label === 'PKCS12') scanDer(der, budget);
    if (CERTIFICATE_LABELS.has(label)) sniffed.certificates.push(der);
    else if (CSR_LABELS.has(label)) sniffed.csrs.push(der);
    else if (label.endsWith('PRIVATE KEY')) sniffed.privateKeys += 1;
    else if (label === 'PKCS12') sniffed.pkcs12 = der;
    else sniffed.others.push(label);
  }
  return success(sniffed);
}

/**
 * Reads what the bytes hold: PEM text (any number of blocks), bare base64, or binary DER. Every
 * DER is pre-scanned (derScan.ts) and certificates counted against `budget`, which throws
 * `TooMuchWork` when the file asks for too much.
 */
export function sniff(bytes: Bytes, budget: WorkBudget = new WorkBudget()): Result<Sniffed, 'not-a-certificate'> {
  if (bytes.length === 0) {
    return failure('not-a-certificate', 'The file is empty. Choose the certificate file the app team sent (.pem, .crt, .cer or .der).');
  }
  if (bytes[0] === 0x30) {
    const der = fromDer(bytes, 'der', budget);
    if (der.ok || der.message !== NOT_DER) return der;
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  if (looksLikePem(text)) return fromPemText(text, budget);
  const compact = text.trim();
  if (compact.length >= 64 && /^[A-Za-z0-9+/=\s]+$/.test(compact)) {
    const der = fromBase64(compact);
    if (der !== null) return fromDer(der, 'base64', budget);
  }
  if (bytes[0] === 0x30) return failure('not-a-certificate', NOT_DER);
  return failure(
    'not-a-certificate',
    /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(text.slice(0, 4096)) && !text.includes('\ufffd')
      ? 'This is text without a "-----BEGIN CERTIFICATE-----" block, not a certificate. Ask the app team for the certificate file itself (PEM or DER).'
      : NOT_DER,
  );
}
