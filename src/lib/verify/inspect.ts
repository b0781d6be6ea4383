import type { Bytes } from '../plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sameBytes } from '../plain/bytes';
import { toHex } from '../plain/bytes';
import { OID } from '../plain/oids';
import { decodeName, type NameAttribute } from '../name/decode';
import { CURVE_BY_OID } from '../plain/keys';
import { checkSignature, couldHaveSigned, describeSignature, type SignatureAlgorithm, type SignatureCheck } from './signature';
import { readValidity, tbsBytes, withPlaceholderTimes, type RawTime } from './time';
import { checkCertificateOutline, checkCsrOutline, outerTlv } from './outline';

/** The facts Verify reports about a certificate or CSR, read with pkijs. */

export interface KeyInfo {
  /** RSA, EC, Ed25519, Ed448, DSA, or the dotted OID of another algorithm. */
  algorithm: string;
  bits: number | null;
  curve: string | null;
  /** For people: "RSA 2048-bit", "EC P-256". */
  description: string;
}

export interface SignedObjectFacts {
  der: Bytes;
  subject: NameAttribute[];
  key: KeyInfo;
  signatureAlgorithm: SignatureAlgorithm;
  /** Against its own key (CSR, self-signed certificate) or an issuer given with it; null when not checked. */
  signatureValid: boolean | null;
  /** Why a signature whose signer is known was not checked (no DSA in WebCrypto, explicit curve...). */
  signatureNotChecked: string | null;
  /** The extended key usages (dotted OIDs), or null when the extension is absent (any use allowed). */
  extendedKeyUsage: string[] | null;
  /** basicConstraints cA; false when the extension is absent. */
  ca: boolean;
  /** The key usage allows signing certificates (keyCertSign): what makes a CA:TRUE certificate a real CA. */
  keyCertSign: boolean;
  /** The subject alternative names that are text (DNS, e-mail, URI), to find a UUID put there. */
  altNames: { type: 'DNS' | 'email' | 'URI'; value: string }[];
  /** True when OID 1.3.6.1.4.1.49690.1.2.1 appears as an extension instead of a subject attribute. */
  appIdExtension: boolean;
  /** SHA-256 of the DER, as `openssl x509 -fingerprint -sha256` prints it (AB:CD:...). */
  sha256: string;
}

export interface CertificateFacts extends SignedObjectFacts {
  certificate: pkijs.Certificate;
  issuer: NameAttribute[];
  /** The validity dates as OpenSSL prints them; null where it prints "Bad time value". */
  notBefore: Date | null;
  notAfter: Date | null;
  /** The raw validity times, with whether each has the RFC 5280 form. */
  times: { notBefore: RawTime; notAfter: RawTime };
  serialNumber: string;
  /** Subject and issuer names are the same bytes. */
  selfIssued: boolean;
  /**
   * Signed by its own key, as OpenSSL's X509_self_signed decides: self-issued, its authority key
   * identifier (if any) equal to its subject key identifier, and its own key verifies the signature
   * (or cannot be checked here). Also true when the key identifiers say "own key" but the signature
   * fails: then it was altered.
   */
  selfSigned: boolean;
  /** Whose key the signature was checked with; null when neither its own nor an issuer's was at hand. */
  signedBy: 'self' | 'issuer' | null;
}

/** Bit length of a big-endian unsigned integer. */
function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

export function describeKey(spki: pkijs.PublicKeyInfo): KeyInfo {
  const oid = spki.algorithm.algorithmId;
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const rsa = spki.parsedKey instanceof pkijs.RSAPublicKey ? spki.parsedKey : null;
    const bits = rsa ? bitLength(rsa.modulus.valueBlock.valueHexView) : null;
    return { algorithm: 'RSA', bits, curve: null, description: bits ? `RSA ${bits}-bit` : 'RSA (unreadable modulus)' };
  }
  if (oid === OID.ecPublicKey) {
    const params = spki.algorithm.algorithmParams;
    const curveOid = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : null;
    const known = curveOid ? CURVE_BY_OID[curveOid] : undefined;
    const name = known ?? curveOid ?? 'with explicit curve parameters';
    // P-256 → 256 bits: WebCrypto's curve names carry the size.
    return { algorithm: 'EC', bits: known ? Number(known.slice(2)) : null, curve: name, description: `EC ${name}` };
  }
  const fixed: Record<string, KeyInfo> = {
    [OID.ed25519]: { algorithm: 'Ed25519', bits: 256, curve: null, description: 'Ed25519' },
    [OID.ed448]: { algorithm: 'Ed448', bits: 456, curve: null, description: 'Ed448' },
    [OID.dsa]: { algorithm: 'DSA', bits: null, curve: null, description: 'DSA' },
  };
  return fixed[oid] ?? { algorithm: oid, bits: null, curve: null, description: `algorithm ${oid}` };
}

export async function sha256Fingerprint(der: Bytes, crypto: Crypto): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  return Array.from(digest, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/** GeneralName tags whose value is text: rfc822Name, dNSName, uniformResourceIdentifier. */
const TEXT_ALT_NAMES: Record<number, 'DNS' | 'email' | 'URI'> = { 1: 'email', 2: 'DNS', 6: 'URI' };
/** keyCertSign is bit 5 of the KeyUsage BIT STRING (RFC 5280, section 4.2.1.3). */
const KEY_CERT_SIGN = 0x04;

function extensionFacts(extensions: pkijs.Extension[] | undefined) {
  const find = (oid: string) => extensions?.find((e) => e.extnID === oid)?.parsedValue;
  const eku = find(OID.extKeyUsage);
  const constraints = find(OID.basicConstraints);
  const usage = find(OID.keyUsage);
  const alt = find(OID.subjectAltName);
  const usageBits = usage instanceof asn1js.BitString ? new Uint8Array(usage.valueBlock.valueHexView) : new Uint8Array(0);
  return {
    extendedKeyUsage: eku instanceof pkijs.ExtKeyUsage ? eku.keyPurposes : null,
    ca: constraints instanceof pkijs.BasicConstraints && constraints.cA === true,
    keyCertSign: usageBits.length > 0 && (usageBits[0] & KEY_CERT_SIGN) !== 0,
    altNames:
      alt instanceof pkijs.AltName
        ? alt.altNames.flatMap((n) =>
            TEXT_ALT_NAMES[n.type] && typeof n.value === 'string' ? [{ type: TEXT_ALT_NAMES[n.type], value: n.value }] : [],
          )
        : [],
    appIdExtension: extensions?.some((e) => e.extnID === OID.dsmAppId) ?? false,
  };
}

/** Whether the authority key identifier names the certificate's own subject key identifier. */
function keyIdentifiers(certificate: pkijs.Certificate): 'same' | 'differ' | 'unknown' {
  const find = (oid: string) => certificate.extensions?.find((e) => e.extnID === oid)?.parsedValue;
  const ski = find(OID.subjectKeyIdentifier);
  const aki = find(OID.authorityKeyIdentifier);
  const akid = aki instanceof pkijs.AuthorityKeyIdentifier ? aki.keyIdentifier : undefined;
  if (!(ski instanceof asn1js.OctetString) || !akid) return 'unknown';
  return sameBytes(new Uint8Array(ski.valueBlock.valueHexView), new Uint8Array(akid.valueBlock.valueHexView)) ? 'same' : 'differ';
}

/**
 * Parses a certificate. asn1js throws on some damaged validity times; then the rest is read with
 * placeholder times (the real ones are judged from their raw bytes) and the TBS as signed is kept.
 */
function parseCertificate(der: Bytes): { certificate: pkijs.Certificate; times: CertificateFacts['times'] } | null {
  if (!checkCertificateOutline(der).ok) return null;
  const raw = readValidity(der);
  let certificate: pkijs.Certificate;
  try {
    certificate = pkijs.Certificate.fromBER(der);
  } catch {
    const patched = raw && !(raw.notBefore.strict && raw.notAfter.strict) ? withPlaceholderTimes(der) : null;
    const tbs = tbsBytes(der);
    if (!patched || !tbs) return null;
    try {
      certificate = pkijs.Certificate.fromBER(patched);
    } catch {
      return null;
    }
    certificate.tbsView = tbs;
  }
  // An outline this reader does not follow (BER lengths): keep pkijs's reading.
  const fromPkijs = (time: pkijs.Time): RawTime => ({
    type: time.type === 0 ? 'UTCTime' : 'GeneralizedTime',
    text: '',
    date: time.value,
    strict: true,
  });
  return { certificate, times: raw ?? { notBefore: fromPkijs(certificate.notBefore), notAfter: fromPkijs(certificate.notAfter) } };
}

/** Checks the signature against its own key when it may be self-signed, else against `issuer`. */
async function certificateSignature(
  certificate: pkijs.Certificate,
  algorithm: SignatureAlgorithm,
  selfIssued: boolean,
  issuer: pkijs.Certificate | undefined,
  crypto: Crypto,
) {
  const ids = keyIdentifiers(certificate);
  if (selfIssued && ids !== 'differ' && couldHaveSigned(algorithm, certificate.subjectPublicKeyInfo)) {
    const own = await checkSignature(certificate, certificate.subjectPublicKeyInfo, crypto);
    if (own.valid !== false || ids === 'same') return { selfSigned: true, signedBy: 'self' as const, check: own };
  }
  if (!issuer) return { selfSigned: false, signedBy: null, check: { valid: null, reason: null } satisfies SignatureCheck };
  return { selfSigned: false, signedBy: 'issuer' as const, check: await checkSignature(certificate, issuer.subjectPublicKeyInfo, crypto) };
}

/** A certificate's facts, or null when the bytes are not an X.509 certificate. */
export async function inspectCertificate(
  der: Bytes,
  crypto: Crypto = globalThis.crypto,
  issuer?: pkijs.Certificate,
): Promise<CertificateFacts | null> {
  const parsed = parseCertificate(der);
  if (!parsed) return null;
  const { certificate, times } = parsed;
  const selfIssued = sameBytes(new Uint8Array(certificate.subject.valueBeforeDecode), new Uint8Array(certificate.issuer.valueBeforeDecode));
  const signatureAlgorithm = describeSignature(certificate.signatureAlgorithm);
  const { selfSigned, signedBy, check } = await certificateSignature(certificate, signatureAlgorithm, selfIssued, issuer, crypto);
  return {
    der,
    certificate,
    subject: decodeName(certificate.subject),
    issuer: decodeName(certificate.issuer),
    notBefore: times.notBefore.date,
    notAfter: times.notAfter.date,
    times,
    serialNumber: toHex(new Uint8Array(certificate.serialNumber.valueBlock.valueHexView)),
    key: describeKey(certificate.subjectPublicKeyInfo),
    signatureAlgorithm,
    selfIssued,
    selfSigned,
    signedBy,
    signatureValid: check.valid,
    signatureNotChecked: check.reason,
    ...extensionFacts(certificate.extensions),
    sha256: await sha256Fingerprint(new Uint8Array(outerTlv(der)), crypto),
  };
}

/** A PKCS#10 request's facts (its requested extensions included), or null when the bytes are not one. */
export async function inspectCsr(der: Bytes, crypto: Crypto = globalThis.crypto): Promise<SignedObjectFacts | null> {
  let request: pkijs.CertificationRequest;
  if (!checkCsrOutline(der).ok) return null;
  try {
    request = pkijs.CertificationRequest.fromBER(der);
  } catch {
    return null;
  }
  let extensions: pkijs.Extension[] | undefined;
  const requested = request.attributes?.find((a) => a.type === OID.extensionRequest)?.values[0];
  try {
    extensions = requested ? new pkijs.Extensions({ schema: requested }).extensions : undefined;
  } catch {
    extensions = undefined;
  }
  const check = await checkSignature(request, request.subjectPublicKeyInfo, crypto);
  return {
    der,
    subject: decodeName(request.subject),
    key: describeKey(request.subjectPublicKeyInfo),
    signatureAlgorithm: describeSignature(request.signatureAlgorithm),
    signatureValid: check.valid,
    signatureNotChecked: check.reason,
    ...extensionFacts(extensions),
    sha256: await sha256Fingerprint(new Uint8Array(outerTlv(der)), crypto),
  };
}
