import { OID } from './oids';

/** The key types a DSM client certificate can use. RSA-2048 is the default, like the sample in Fortanix's mutual-TLS guide. */
export const KEY_TYPES = {
  'rsa-2048': { label: 'RSA 2048-bit', family: 'RSA', size: 2048, hash: 'SHA-256' },
  'rsa-3072': { label: 'RSA 3072-bit', family: 'RSA', size: 3072, hash: 'SHA-256' },
  'rsa-4096': { label: 'RSA 4096-bit', family: 'RSA', size: 4096, hash: 'SHA-256' },
  'ec-p256': { label: 'ECDSA P-256', family: 'EC', curve: 'P-256', hash: 'SHA-256' },
  'ec-p384': { label: 'ECDSA P-384', family: 'EC', curve: 'P-384', hash: 'SHA-384' },
} as const;

export type KeyType = keyof typeof KEY_TYPES;

/** The named curves appcert reads, by OID, as WebCrypto names them (P-521 only in others' files). */
export const CURVE_BY_OID: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  [OID.secp256r1]: 'P-256',
  [OID.secp384r1]: 'P-384',
  [OID.secp521r1]: 'P-521',
};

/** The key type of a curve appcert makes keys on; null for P-521 and unknown OIDs. */
export function ecKeyType(curveOid: string): KeyType | null {
  const curve = CURVE_BY_OID[curveOid];
  return (Object.keys(KEY_TYPES) as KeyType[]).find((type) => 'curve' in KEY_TYPES[type] && KEY_TYPES[type].curve === curve) ?? null;
}
export const DEFAULT_KEY_TYPE: KeyType = 'rsa-2048';
export const isKeyType = (value: string): value is KeyType => Object.hasOwn(KEY_TYPES, value);

/** The signature hash used with a key type (SHA-384 for P-384, to match its strength). */
export const signatureHash = (type: KeyType): 'SHA-256' | 'SHA-384' => KEY_TYPES[type].hash;

/** WebCrypto parameters to generate or import a key of this type for signing. */
export function keyAlgorithm(type: KeyType): RsaHashedKeyGenParams | EcKeyGenParams {
  const spec = KEY_TYPES[type];
  if (spec.family === 'RSA') {
    return {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: spec.size,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: spec.hash,
    };
  }
  return { name: 'ECDSA', namedCurve: spec.curve };
}

/**
 * A fresh key pair from WebCrypto. The private key is extractable because the user must be able
 * to download it; it is never sent anywhere.
 */
export function generateKeyPair(type: KeyType, crypto: Crypto = globalThis.crypto): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(keyAlgorithm(type), true, ['sign', 'verify']);
}
