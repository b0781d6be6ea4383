import type { Bytes } from './plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { WorkBudget, rethrowTooMuchWork } from './budget';
import { fromBase64 } from './pem';
import { CURVE_BY_OID } from './plain/keys';
import { OID } from './plain/oids';

/**
 * Whether a private key belongs to a certificate, decided by comparing public keys: the public
 * key is derived from the PKCS#8 once (RSA n and e; the EC point stored with the key or computed
 * by WebCrypto; Ed25519/Ed448 through WebCrypto; DSA y = g^x mod p) and compared with each
 * certificate's, which costs a byte comparison per certificate instead of a signature. Only the
 * one certificate that matches gets a signature made and checked (RSA and named-curve EC), which
 * proves that the private half is sound too. A key whose public half cannot be derived here gives
 * 'unknown', never 'mismatch': appcert claims a mismatch only with evidence.
 */

export type KeyMatch = 'match' | 'mismatch' | 'unknown';

/** A public key in a form that compares across encodings: unsigned integers as hex without leading zeros. */
type PublicKey =
  | { kind: 'rsa'; n: string; e: string }
  | { kind: 'ec'; curve: string | null; x: string; y: string | null; yOdd: boolean | null }
  | { kind: 'raw'; algorithm: string; key: string }
  | { kind: 'dsa'; y: string };

const hex = (bytes: ArrayLike<number>): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .replace(/^0+/, '');
const integerHex = (value: asn1js.Integer): string => hex(value.valueBlock.valueHexView);
const bigint = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${hex(bytes) || '0'}`));
const curveOf = (params: unknown): string | null => (params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : null);

/** An EC point (SEC 1 encoding): uncompressed 04||x||y or compressed 02/03||x. */
function ecPoint(curve: string | null, point: Uint8Array): PublicKey | null {
  if (point.length < 3) return null;
  if (point[0] === 4 && point.length % 2 === 1) {
    const half = (point.length - 1) / 2;
    const y = point.subarray(1 + half);
    return { kind: 'ec', curve, x: hex(point.subarray(1, 1 + half)), y: hex(y), yOdd: (y[y.length - 1] & 1) === 1 };
  }
  if (point[0] === 2 || point[0] === 3) return { kind: 'ec', curve, x: hex(point.subarray(1)), y: null, yOdd: point[0] === 3 };
  return null;
}

/** The certificate's public key, or null for a kind appcert does not compare. */
function certificateKey(spki: pkijs.PublicKeyInfo): PublicKey | null {
  const oid = spki.algorithm.algorithmId;
  const bits = new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView);
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const rsa = pkijs.RSAPublicKey.fromBER(bits);
    return { kind: 'rsa', n: integerHex(rsa.modulus), e: integerHex(rsa.publicExponent) };
  }
  if (oid === OID.ecPublicKey) return ecPoint(curveOf(spki.algorithm.algorithmParams), bits);
  if (oid === OID.ed25519 || oid === OID.ed448) return { kind: 'raw', algorithm: oid, key: hex(bits) };
  if (oid === OID.dsa) {
    const y = asn1js.fromBER(bits).result;
    return y instanceof asn1js.Integer ? { kind: 'dsa', y: integerHex(y) } : null;
  }
  return null;
}

/** base64url (JWK) to bytes. */
const fromBase64Url = (text: string): Uint8Array | null =>
  fromBase64(
    text
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );

async function publicFromJwk(pkcs8: Bytes, algorithm: EcKeyImportParams | Algorithm, crypto: Crypto): Promise<JsonWebKey | null> {
  try {
    const key = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
    return await crypto.subtle.exportKey('jwk', key);
  } catch {
    return null;
  }
}

/** DSA keys larger than this are not worth a modular exponentiation (real ones have 3072 bits at most). */
const MAX_DSA_BITS = 8192;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
  }
  return result;
}

/** The public key of a PKCS#8 private key, or null when it cannot be derived here. */
async function privateKeyPublic(info: pkijs.PrivateKeyInfo, pkcs8: Bytes, crypto: Crypto): Promise<PublicKey | null> {
  const oid = info.privateKeyAlgorithm.algorithmId;
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const rsa =
      info.parsedKey instanceof pkijs.RSAPrivateKey
        ? info.parsedKey
        : pkijs.RSAPrivateKey.fromBER(new Uint8Array(info.privateKey.valueBlock.valueHexView));
    return { kind: 'rsa', n: integerHex(rsa.modulus), e: integerHex(rsa.publicExponent) };
  }
  if (oid === OID.ecPublicKey) {
    const curve = curveOf(info.privateKeyAlgorithm.algorithmParams);
    // ECPrivateKey: version, privateKey, [0] parameters OPTIONAL, [1] publicKey BIT STRING OPTIONAL.
    const ecKey = asn1js.fromBER(info.privateKey.valueBlock.valueHexView).result;
    const stored =
      ecKey instanceof asn1js.Sequence
        ? ecKey.valueBlock.value.find((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 1)
        : undefined;
    const bits = stored instanceof asn1js.Constructed ? stored.valueBlock.value[0] : undefined;
    if (bits instanceof asn1js.BitString) return ecPoint(curve, new Uint8Array(bits.valueBlock.valueHexView));
    const namedCurve = curve ? CURVE_BY_OID[curve] : undefined;
    const jwk = namedCurve ? await publicFromJwk(pkcs8, { name: 'ECDSA', namedCurve }, crypto) : null;
    const x = jwk?.x ? fromBase64Url(jwk.x) : null;
    const y = jwk?.y ? fromBase64Url(jwk.y) : null;
    return x && y ? { kind: 'ec', curve, x: hex(x), y: hex(y), yOdd: (y[y.length - 1] & 1) === 1 } : null;
  }
  if (oid === OID.ed25519 || oid === OID.ed448) {
    const jwk = await publicFromJwk(pkcs8, { name: oid === OID.ed25519 ? 'Ed25519' : 'Ed448' }, crypto);
    const x = jwk?.x ? fromBase64Url(jwk.x) : null;
    return x ? { kind: 'raw', algorithm: oid, key: hex(x) } : null;
  }
  if (oid === OID.dsa) {
    // Dss-Parms ::= SEQUENCE { p, q, g }; the private key is the INTEGER x.
    const params = info.privateKeyAlgorithm.algorithmParams;
    const x = asn1js.fromBER(info.privateKey.valueBlock.valueHexView).result;
    if (!(params instanceof asn1js.Sequence) || !(x instanceof asn1js.Integer)) return null;
    const [p, , g] = params.valueBlock.value;
    if (!(p instanceof asn1js.Integer) || !(g instanceof asn1js.Integer)) return null;
    const pBytes = new Uint8Array(p.valueBlock.valueHexView);
    const xBytes = new Uint8Array(x.valueBlock.valueHexView);
    if (pBytes.length * 8 > MAX_DSA_BITS + 8 || xBytes.length > pBytes.length) return null;
    const modulus = bigint(pBytes);
    if (modulus < 3n) return null;
    return { kind: 'dsa', y: modPow(bigint(new Uint8Array(g.valueBlock.valueHexView)), bigint(xBytes), modulus).toString(16) };
  }
  return null;
}

function compare(key: PublicKey, certificate: PublicKey | null): KeyMatch {
  if (certificate === null) return 'unknown';
  if (key.kind !== certificate.kind) return 'mismatch';
  switch (key.kind) {
    case 'rsa':
      return certificate.kind === 'rsa' && key.n === certificate.n && key.e === certificate.e ? 'match' : 'mismatch';
    case 'dsa':
      return certificate.kind === 'dsa' && key.y === certificate.y ? 'match' : 'mismatch';
    case 'raw':
      return certificate.kind === 'raw' && key.algorithm === certificate.algorithm && key.key === certificate.key ? 'match' : 'mismatch';
    case 'ec': {
      if (certificate.kind !== 'ec') return 'mismatch';
      if (key.curve !== null && certificate.curve !== null && key.curve !== certificate.curve) return 'mismatch';
      if (key.x !== certificate.x) return 'mismatch';
      if (key.y !== null && certificate.y !== null) return key.y === certificate.y ? 'match' : 'mismatch';
      return key.yOdd === certificate.yOdd ? 'match' : 'mismatch';
    }
  }
}

/** WebCrypto signing parameters for the proof, or null for kinds not proven by signing. */
function signingAlgorithm(algorithm: pkijs.AlgorithmIdentifier): RsaHashedImportParams | EcKeyImportParams | null {
  if (algorithm.algorithmId === OID.rsaEncryption) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const namedCurve = algorithm.algorithmId === OID.ecPublicKey ? CURVE_BY_OID[curveOf(algorithm.algorithmParams) ?? ''] : undefined;
  return namedCurve ? { name: 'ECDSA', namedCurve } : null;
}

/** Signs a random challenge with the private key and checks it with the certificate's key. */
async function provenBySignature(
  info: pkijs.PrivateKeyInfo,
  pkcs8: Bytes,
  spki: pkijs.PublicKeyInfo,
  crypto: Crypto,
  budget: WorkBudget,
): Promise<KeyMatch> {
  const algorithm = signingAlgorithm(info.privateKeyAlgorithm);
  if (!algorithm) return 'match';
  budget.spend('signatures', 2, () => 'a signature made and checked to prove the private key');
  try {
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
    const publicKey = await crypto.subtle.importKey('spki', new Uint8Array(spki.toSchema().toBER(false)), algorithm, false, ['verify']);
    const signParams = algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm;
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    const signature = await crypto.subtle.sign(signParams, privateKey, challenge);
    return (await crypto.subtle.verify(signParams, publicKey, signature, challenge)) ? 'match' : 'mismatch';
  } catch {
    // The public halves are equal, so a key WebCrypto refuses is damaged or of a form it lacks.
    return 'unknown';
  }
}

export interface KeyMatchResult {
  /** The index of the first certificate the key belongs to, or -1. */
  index: number;
  /** 'match' when found; otherwise 'mismatch' only when every certificate was shown to differ. */
  verdict: KeyMatch;
}

/**
 * Finds which of `certificates` (DER) the PKCS#8 key belongs to, trying them in the order given.
 * Each comparison is charged to `budget` ('key-matches'). Never throws, except `TooMuchWork`.
 */
export async function matchKey(
  pkcs8: Bytes,
  certificates: Bytes[],
  crypto: Crypto = globalThis.crypto,
  budget: WorkBudget = new WorkBudget(),
): Promise<KeyMatchResult> {
  let info: pkijs.PrivateKeyInfo;
  let key: PublicKey | null;
  try {
    info = pkijs.PrivateKeyInfo.fromBER(pkcs8);
    key = await privateKeyPublic(info, pkcs8, crypto);
  } catch (error) {
    rethrowTooMuchWork(error);
    return { index: -1, verdict: certificates.length > 0 ? 'unknown' : 'mismatch' };
  }
  let unknown = key === null;
  for (const [index, der] of certificates.entries()) {
    budget.spend('key-matches', 1, () => `${certificates.length.toLocaleString('en-US')} certificates compared with the key`);
    let spki: pkijs.PublicKeyInfo;
    let verdict: KeyMatch;
    try {
      spki = pkijs.Certificate.fromBER(der).subjectPublicKeyInfo;
      verdict = key === null ? 'unknown' : compare(key, certificateKey(spki));
    } catch (error) {
      rethrowTooMuchWork(error);
      continue; // not a certificate: it cannot be the key's
    }
    if (verdict === 'match') verdict = await provenBySignature(info, pkcs8, spki, crypto, budget);
    if (verdict === 'match') return { index, verdict };
    if (verdict === 'unknown') unknown = true;
  }
  return { index: -1, verdict: unknown ? 'unknown' : 'mismatch' };
}

/** True when the PKCS#8 private key belongs to the certificate (see `matchKey`); anything unreadable is "no". */
export async function keyMatchesCertificate(pkcs8: Bytes, certificateDer: Bytes, crypto: Crypto = globalThis.crypto): Promise<boolean> {
  return (await matchKey(pkcs8, [certificateDer], crypto)).verdict === 'match';
}
