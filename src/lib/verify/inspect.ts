import type { Bytes } from '../bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toHex } from '../certificate';
import { cryptoEngine } from '../engine';
import { OID } from '../oids';
import { decodeName, type NameAttribute } from './names';
import { CURVE_BY_OID } from '../keys';

/** The facts Verify reports about a certificate or CSR, read with pkijs. */

export interface KeyInfo {
  /** RSA, EC, Ed25519, Ed448, DSA, or the dotted OID of another algorithm. */
  algorithm: string;
  bits: number | null;
  curve: string | null;
  /** For people: "RSA 2048-bit", "EC P-256". */
  description: string;
}

export interface Facts {
  der: Bytes;
  subject: NameAttribute[];
  key: KeyInfo;
  signatureAlgorithm: { oid: string; name: string; weak: boolean };
  /** Against its own key (CSR, self-issued certificate) or an issuer given with it; null when not checked. */
  signatureValid: boolean | null;
  /** The extended key usages (dotted OIDs), or null when the extension is absent (any use allowed). */
  extendedKeyUsage: string[] | null;
  /** basicConstraints cA; false when the extension is absent. */
  ca: boolean;
  /** True when OID 1.3.6.1.4.1.49690.1.2.1 appears as an extension instead of a subject attribute. */
  appIdExtension: boolean;
  /** SHA-256 of the DER, as `openssl x509 -fingerprint -sha256` prints it (AB:CD:...). */
  sha256: string;
}

export interface CertificateFacts extends Facts {
  certificate: pkijs.Certificate;
  issuer: NameAttribute[];
  notBefore: Date;
  notAfter: Date;
  serialNumber: string;
  selfIssued: boolean;
}

const SIGNATURE_NAMES: Record<string, { name: string; weak?: true }> = {
  [OID.md2WithRSAEncryption]: { name: 'md2WithRSAEncryption', weak: true },
  [OID.md5WithRSAEncryption]: { name: 'md5WithRSAEncryption', weak: true },
  [OID.sha1WithRSAEncryption]: { name: 'sha1WithRSAEncryption', weak: true },
  [OID.sha224WithRSAEncryption]: { name: 'sha224WithRSAEncryption' },
  [OID.sha256WithRSAEncryption]: { name: 'sha256WithRSAEncryption' },
  [OID.sha384WithRSAEncryption]: { name: 'sha384WithRSAEncryption' },
  [OID.sha512WithRSAEncryption]: { name: 'sha512WithRSAEncryption' },
  [OID.rsassaPss]: { name: 'rsassaPss' },
  [OID.ecdsaWithSHA1]: { name: 'ecdsa-with-SHA1', weak: true },
  [OID.ecdsaWithSHA224]: { name: 'ecdsa-with-SHA224' },
  [OID.ecdsaWithSHA256]: { name: 'ecdsa-with-SHA256' },
  [OID.ecdsaWithSHA384]: { name: 'ecdsa-with-SHA384' },
  [OID.ecdsaWithSHA512]: { name: 'ecdsa-with-SHA512' },
  [OID.dsaWithSHA1]: { name: 'dsaWithSHA1', weak: true },
  [OID.ed25519]: { name: 'ED25519' },
  [OID.ed448]: { name: 'ED448' },
};

/** What pkijs verifies through WebCrypto; Ed25519 is done directly, anything else is not checked. */
const PKIJS_VERIFIES = new Set<string>([
  OID.sha1WithRSAEncryption,
  OID.sha256WithRSAEncryption,
  OID.sha384WithRSAEncryption,
  OID.sha512WithRSAEncryption,
  OID.rsassaPss,
  OID.ecdsaWithSHA1,
  OID.ecdsaWithSHA256,
  OID.ecdsaWithSHA384,
  OID.ecdsaWithSHA512,
]);

export function describeSignature(oid: string): Facts['signatureAlgorithm'] {
  const known = SIGNATURE_NAMES[oid];
  return { oid, name: known?.name ?? oid, weak: known?.weak === true };
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
    const name = known ?? curveOid ?? 'unknown curve';
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

interface Signed {
  signatureAlgorithm: pkijs.AlgorithmIdentifier;
  signatureValue: asn1js.BitString;
  tbsView: Uint8Array;
}

/**
 * Checks a signature with `spki`. null when this WebCrypto cannot check the algorithm (MD5, DSA...).
 * Once the algorithm is one it can check, any failure (a damaged signature, a key of the wrong
 * kind) means "does not verify", as OpenSSL reports it.
 */
async function checkSignature(signed: Signed, spki: pkijs.PublicKeyInfo, verifyWithPkijs: () => Promise<boolean>, crypto: Crypto): Promise<boolean | null> {
  const oid = signed.signatureAlgorithm.algorithmId;
  if (oid === OID.ed25519) {
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey('spki', new Uint8Array(spki.toSchema().toBER(false)), { name: 'Ed25519' }, false, ['verify']);
    } catch {
      return null;
    }
    try {
      return await crypto.subtle.verify({ name: 'Ed25519' }, key, new Uint8Array(signed.signatureValue.valueBlock.valueHexView), new Uint8Array(signed.tbsView));
    } catch {
      return false;
    }
  }
  if (!PKIJS_VERIFIES.has(oid)) return null;
  try {
    return await verifyWithPkijs();
  } catch {
    return false;
  }
}

function extensionFacts(extensions: pkijs.Extension[] | undefined) {
  const find = (oid: string) => extensions?.find((e) => e.extnID === oid)?.parsedValue;
  const eku = find(OID.extKeyUsage);
  const constraints = find(OID.basicConstraints);
  return {
    extendedKeyUsage: eku instanceof pkijs.ExtKeyUsage ? eku.keyPurposes : null,
    ca: constraints instanceof pkijs.BasicConstraints && constraints.cA === true,
    appIdExtension: extensions?.some((e) => e.extnID === OID.dsmAppId) ?? false,
  };
}

const sameBytes = (a: ArrayBuffer, b: ArrayBuffer) => {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.every((v, i) => v === y[i]);
};

/** A certificate's facts, or null when the bytes are not an X.509 certificate. */
export async function inspectCertificate(der: Bytes, crypto: Crypto = globalThis.crypto, issuer?: pkijs.Certificate): Promise<CertificateFacts | null> {
  let certificate: pkijs.Certificate;
  try {
    certificate = pkijs.Certificate.fromBER(der);
  } catch {
    return null;
  }
  const selfIssued = sameBytes(certificate.subject.valueBeforeDecode, certificate.issuer.valueBeforeDecode);
  const signer = selfIssued ? certificate : issuer;
  const engine = cryptoEngine(crypto);
  const signatureValid = signer
    ? await checkSignature(certificate, signer.subjectPublicKeyInfo, () => certificate.verify(selfIssued ? undefined : signer, engine), crypto)
    : null;
  return {
    der,
    certificate,
    subject: decodeName(certificate.subject),
    issuer: decodeName(certificate.issuer),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    serialNumber: toHex(new Uint8Array(certificate.serialNumber.valueBlock.valueHexView)),
    key: describeKey(certificate.subjectPublicKeyInfo),
    signatureAlgorithm: describeSignature(certificate.signatureAlgorithm.algorithmId),
    selfIssued,
    signatureValid,
    ...extensionFacts(certificate.extensions),
    sha256: await sha256Fingerprint(der, crypto),
  };
}

/** A PKCS#10 request's facts (its requested extensions included), or null when the bytes are not one. */
export async function inspectCsr(der: Bytes, crypto: Crypto = globalThis.crypto): Promise<Facts | null> {
  let request: pkijs.CertificationRequest;
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
  const engine = cryptoEngine(crypto);
  return {
    der,
    subject: decodeName(request.subject),
    key: describeKey(request.subjectPublicKeyInfo),
    signatureAlgorithm: describeSignature(request.signatureAlgorithm.algorithmId),
    signatureValid: await checkSignature(request, request.subjectPublicKeyInfo, () => request.verify(engine), crypto),
    ...extensionFacts(extensions),
    sha256: await sha256Fingerprint(der, crypto),
  };
}
