import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { cryptoEngine } from '../engine';
import { CURVE_BY_OID } from '../plain/keys';
import { OID } from '../plain/oids';

/**
 * Signature algorithms as Verify judges them: which are weak (every identifier of MD2, MD4, MD5,
 * SHA-0 and SHA-1, whether or not the signature can be checked), which WebCrypto can check, and the
 * check itself. A signature this browser cannot check is "not checked, because ...", never "altered".
 */

type Family = 'rsa' | 'pss' | 'ecdsa' | 'dsa' | 'ed25519' | 'ed448' | 'other';
type Hash = 'MD2' | 'MD4' | 'MD5' | 'SHA-0' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'other' | null;

interface Known {
  /** OpenSSL's long name where it has one (what `openssl x509 -text` prints). */
  name: string;
  family: Family;
  hash: Hash;
}

const ALGORITHMS: Record<string, Known> = {
  [OID.md2WithRSAEncryption]: { name: 'md2WithRSAEncryption', family: 'rsa', hash: 'MD2' },
  [OID.md4WithRSAEncryption]: { name: 'md4WithRSAEncryption', family: 'rsa', hash: 'MD4' },
  [OID.md5WithRSAEncryption]: { name: 'md5WithRSAEncryption', family: 'rsa', hash: 'MD5' },
  [OID.sha1WithRSAEncryption]: { name: 'sha1WithRSAEncryption', family: 'rsa', hash: 'SHA-1' },
  [OID.sha224WithRSAEncryption]: { name: 'sha224WithRSAEncryption', family: 'rsa', hash: 'SHA-224' },
  [OID.sha256WithRSAEncryption]: { name: 'sha256WithRSAEncryption', family: 'rsa', hash: 'SHA-256' },
  [OID.sha384WithRSAEncryption]: { name: 'sha384WithRSAEncryption', family: 'rsa', hash: 'SHA-384' },
  [OID.sha512WithRSAEncryption]: { name: 'sha512WithRSAEncryption', family: 'rsa', hash: 'SHA-512' },
  [OID.rsaWithSHA3_256]: { name: 'RSA-SHA3-256', family: 'rsa', hash: 'other' },
  [OID.ripemd160WithRSA]: { name: 'ripemd160WithRSA', family: 'rsa', hash: 'other' },
  [OID.oiwMd4WithRSA]: { name: 'md4WithRSA (OIW)', family: 'rsa', hash: 'MD4' },
  [OID.oiwMd4WithRSASignature]: { name: 'md4WithRSASignature (OIW)', family: 'rsa', hash: 'MD4' },
  [OID.oiwMd5WithRSA]: { name: 'md5WithRSA', family: 'rsa', hash: 'MD5' },
  [OID.oiwMd5WithRSASignature]: { name: 'md5WithRSASignature (OIW)', family: 'rsa', hash: 'MD5' },
  [OID.oiwMd2WithRSASignature]: { name: 'md2WithRSASignature (OIW)', family: 'rsa', hash: 'MD2' },
  [OID.oiwShaWithRSASignature]: { name: 'shaWithRSAEncryption', family: 'rsa', hash: 'SHA-0' },
  [OID.oiwSha1WithRSASignature]: { name: 'sha1WithRSA', family: 'rsa', hash: 'SHA-1' },
  [OID.oiwDsaWithSHA]: { name: 'dsaWithSHA', family: 'dsa', hash: 'SHA-0' },
  [OID.oiwDsaWithSHA1]: { name: 'dsaWithSHA1-old', family: 'dsa', hash: 'SHA-1' },
  [OID.dsaWithSHA1]: { name: 'dsaWithSHA1', family: 'dsa', hash: 'SHA-1' },
  [OID.dsaWithSHA224]: { name: 'dsa_with_SHA224', family: 'dsa', hash: 'SHA-224' },
  [OID.dsaWithSHA256]: { name: 'dsa_with_SHA256', family: 'dsa', hash: 'SHA-256' },
  [OID.rsassaPss]: { name: 'rsassaPss', family: 'pss', hash: null },
  [OID.ecdsaWithSHA1]: { name: 'ecdsa-with-SHA1', family: 'ecdsa', hash: 'SHA-1' },
  [OID.ecdsaWithSHA224]: { name: 'ecdsa-with-SHA224', family: 'ecdsa', hash: 'SHA-224' },
  [OID.ecdsaWithSHA256]: { name: 'ecdsa-with-SHA256', family: 'ecdsa', hash: 'SHA-256' },
  [OID.ecdsaWithSHA384]: { name: 'ecdsa-with-SHA384', family: 'ecdsa', hash: 'SHA-384' },
  [OID.ecdsaWithSHA512]: { name: 'ecdsa-with-SHA512', family: 'ecdsa', hash: 'SHA-512' },
  [OID.ecdsaWithRecommended]: { name: 'ecdsa-with-Recommended', family: 'ecdsa', hash: 'other' },
  [OID.ecdsaWithSpecified]: { name: 'ecdsa-with-Specified', family: 'ecdsa', hash: 'other' },
  [OID.sm2WithSM3]: { name: 'SM2-with-SM3', family: 'other', hash: 'other' },
  [OID.ed25519]: { name: 'ED25519', family: 'ed25519', hash: null },
  [OID.ed448]: { name: 'ED448', family: 'ed448', hash: null },
};

const WEAK_HASHES = new Set<Hash>(['MD2', 'MD4', 'MD5', 'SHA-0', 'SHA-1']);
/** The hashes WebCrypto has. */
const WEBCRYPTO_HASHES = new Set<Hash>(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

const RSA_BY_HASH: Record<string, string> = {
  'SHA-1': OID.sha1WithRSAEncryption,
  'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption,
  'SHA-512': OID.sha512WithRSAEncryption,
};

const HASH_BY_OID: Record<string, Hash> = {
  [OID.md2]: 'MD2',
  [OID.md4]: 'MD4',
  [OID.md5]: 'MD5',
  [OID.sha1]: 'SHA-1',
  [OID.sha224]: 'SHA-224',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

export interface SignatureAlgorithm {
  oid: string;
  /** For people: OpenSSL's name, with the hash for RSASSA-PSS; the dotted OID when unknown. */
  name: string;
  weak: boolean;
  /** False for an identifier appcert does not know at all (a warning names its OID). */
  known: boolean;
  family: Family;
  hash: Hash;
}

/** RSASSA-PSS names its hash in parameters; absent means SHA-1 (RFC 4055 section 3.1). */
function pssHash(params: unknown): Hash {
  if (params === undefined || params instanceof asn1js.Null) return 'SHA-1';
  try {
    const pss = new pkijs.RSASSAPSSParams({ schema: params });
    const hash = HASH_BY_OID[pss.hashAlgorithm.algorithmId] ?? 'other';
    const mgfHashParams = pss.maskGenAlgorithm.algorithmParams;
    const mgfHash = mgfHashParams ? HASH_BY_OID[new pkijs.AlgorithmIdentifier({ schema: mgfHashParams }).algorithmId] : 'SHA-1';
    // A PSS signature whose message or mask hash is weak is as weak as that hash.
    return WEAK_HASHES.has(mgfHash ?? null) && !WEAK_HASHES.has(hash) ? (mgfHash ?? hash) : hash;
  } catch {
    return 'other';
  }
}

export function describeSignature(algorithm: pkijs.AlgorithmIdentifier): SignatureAlgorithm {
  const oid = algorithm.algorithmId;
  const known = ALGORITHMS[oid];
  if (!known) return { oid, name: oid, weak: false, known: false, family: 'other', hash: null };
  const hash = known.family === 'pss' ? pssHash(algorithm.algorithmParams) : known.hash;
  const name = known.family === 'pss' ? `rsassaPss (${hash === 'other' ? 'unknown hash' : hash})` : known.name;
  return { oid, name, weak: WEAK_HASHES.has(hash), known: true, family: known.family, hash };
}

/** Which key algorithm each signature family needs; a key of another kind cannot have made it. */
function keyFits(family: Family, spki: pkijs.PublicKeyInfo): boolean {
  const key = spki.algorithm.algorithmId;
  switch (family) {
    case 'rsa':
    case 'pss':
      return key === OID.rsaEncryption || key === OID.rsassaPss;
    case 'ecdsa':
      return key === OID.ecPublicKey;
    case 'dsa':
      return key === OID.dsa;
    case 'ed25519':
      return key === OID.ed25519;
    case 'ed448':
      return key === OID.ed448;
    default:
      return true;
  }
}

/** Whether `spki` could have made a signature of this algorithm at all (OpenSSL's "likely issued" test). */
export const couldHaveSigned = (algorithm: SignatureAlgorithm, spki: pkijs.PublicKeyInfo): boolean => keyFits(algorithm.family, spki);

export interface Signed {
  signatureAlgorithm: pkijs.AlgorithmIdentifier;
  signatureValue: asn1js.BitString;
  tbsView: Uint8Array;
}

export interface SignatureCheck {
  /** true or false once checked; null when not checked, and then `reason` says why. */
  valid: boolean | null;
  reason: string | null;
}

const notChecked = (reason: string): SignatureCheck => ({ valid: null, reason });

/** The reason in a "not checked" finding when WebCrypto cannot use this key, or null when it may (the import still decides). */
function unusableKeyText(algorithm: SignatureAlgorithm, spki: pkijs.PublicKeyInfo): string | null {
  if (algorithm.family === 'dsa') return "browsers' WebCrypto has no DSA";
  if (algorithm.family === 'ecdsa') {
    const params = spki.algorithm.algorithmParams;
    if (!(params instanceof asn1js.ObjectIdentifier))
      return 'the EC key has explicit curve parameters instead of a named curve, which WebCrypto cannot use';
    const curve = params.valueBlock.toString();
    if (!CURVE_BY_OID[curve]) return `WebCrypto has no EC curve ${curve} (only P-256, P-384 and P-521)`;
  }
  return null;
}

/**
 * Checks a signature with `spki`. A signature of a kind the key cannot make does not verify (as in
 * OpenSSL); one this WebCrypto cannot check (MD5, DSA, SHA-224, explicit or unusual curves, a key
 * it cannot import) is not checked, with the reason.
 */
export async function checkSignature(signed: Signed, spki: pkijs.PublicKeyInfo, crypto: Crypto): Promise<SignatureCheck> {
  const algorithm = describeSignature(signed.signatureAlgorithm);
  if (!algorithm.known) return notChecked(`appcert does not know the signature algorithm ${algorithm.oid}`);
  if (!keyFits(algorithm.family, spki)) return { valid: false, reason: null };
  const unusable = unusableKeyText(algorithm, spki);
  if (unusable) return notChecked(unusable);
  const signature = new Uint8Array(signed.signatureValue.valueBlock.valueHexView);
  const data = new Uint8Array(signed.tbsView);
  if (algorithm.family === 'ed25519' || algorithm.family === 'ed448') {
    const name = algorithm.family === 'ed25519' ? 'Ed25519' : 'Ed448';
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey('spki', new Uint8Array(spki.toSchema().toBER(false)), { name }, false, ['verify']);
    } catch {
      return notChecked(`this browser's WebCrypto cannot use ${name} keys`);
    }
    try {
      return { valid: await crypto.subtle.verify({ name }, key, signature, data), reason: null };
    } catch {
      return { valid: false, reason: null };
    }
  }
  if (algorithm.family === 'other' || !WEBCRYPTO_HASHES.has(algorithm.hash)) {
    return notChecked(`WebCrypto has no ${algorithm.hash && algorithm.hash !== 'other' ? algorithm.hash : algorithm.name}`);
  }
  const engine = cryptoEngine(crypto);
  // pkijs knows RSA signatures by their PKCS#1 identifiers only; OIW's are the same algorithms.
  const standard = algorithm.family === 'rsa' ? RSA_BY_HASH[algorithm.hash as string] : undefined;
  const signatureAlgorithm =
    standard && standard !== algorithm.oid
      ? new pkijs.AlgorithmIdentifier({ algorithmId: standard, algorithmParams: new asn1js.Null() })
      : signed.signatureAlgorithm;
  try {
    await engine.getPublicKey(spki, signatureAlgorithm);
  } catch {
    return notChecked('WebCrypto could not import the key');
  }
  try {
    return { valid: await engine.verifyWithPublicKey(data, signed.signatureValue, spki, signatureAlgorithm), reason: null };
  } catch {
    return { valid: false, reason: null };
  }
}
