import type { Bytes } from '../plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { WorkBudget } from '../budget';
import { integerValue } from '../der';
import { OID } from '../plain/oids';
import { wrongPassword, type DecryptError } from '../pbes2';
import { failure, success, type Result } from '../plain/result';
import { formatCount } from '../budget';
import type { KdfCharge } from '../pbes2';
import { KDF_PURPOSE, kdfCost, pkcs12Kdf } from './kdf';
import { rc2CbcDecrypt } from './rc2';
import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from './tripleDes';

/**
 * The password-based encryption of RFC 7292 appendix C with the appendix B key derivation over
 * SHA-1: what Windows Server 2016, Java 8/11 and the macOS Keychain are reported to need
 * (docs/pkcs12-clients.md). 3DES is written; 3DES and RC2 are read (RC2-40 is OpenSSL's `-legacy` certificate bag).
 */

interface LegacyCipher {
  name: string;
  keyBytes: number;
  decrypt(key: Bytes, iv: Bytes, ciphertext: Bytes): Bytes | null;
}

const tripleDes =
  (keyBytes: number): LegacyCipher['decrypt'] =>
  (key, iv, ciphertext) =>
    // Two-key 3DES is three-key 3DES with K3 = K1.
    tripleDesCbcDecrypt(keyBytes === 24 ? key : new Uint8Array([...key, ...key.subarray(0, 8)]), iv, ciphertext);

const LEGACY_CIPHERS: Record<string, LegacyCipher> = {
  [OID.pbeWithSHAAnd3KeyTripleDesCbc]: { name: 'pbeWithSHAAnd3-KeyTripleDES-CBC', keyBytes: 24, decrypt: tripleDes(24) },
  [OID.pbeWithSHAAnd2KeyTripleDesCbc]: { name: 'pbeWithSHAAnd2-KeyTripleDES-CBC', keyBytes: 16, decrypt: tripleDes(16) },
  [OID.pbeWithSHAAnd40BitRc2Cbc]: {
    name: 'pbeWithSHAAnd40BitRC2-CBC',
    keyBytes: 5,
    decrypt: (key, iv, ct) => rc2CbcDecrypt(key, 40, iv, ct),
  },
  [OID.pbeWithSHAAnd128BitRc2Cbc]: {
    name: 'pbeWithSHAAnd128BitRC2-CBC',
    keyBytes: 16,
    decrypt: (key, iv, ct) => rc2CbcDecrypt(key, 128, iv, ct),
  },
};

export const isLegacyPbe = (algorithmId: string): boolean => Object.hasOwn(LEGACY_CIPHERS, algorithmId);
export const legacyPbeName = (algorithmId: string): string | null => LEGACY_CIPHERS[algorithmId]?.name ?? null;

/** The pkcs-12PbeParams (salt, iterations) of an algorithm identifier, or null when damaged. */
export function legacyPbeParams(algorithm: pkijs.AlgorithmIdentifier): { salt: Bytes; iterations: number } | null {
  const params = algorithm.algorithmParams;
  if (!(params instanceof asn1js.Sequence) || params.valueBlock.value.length !== 2) return null;
  const [salt, iterations] = params.valueBlock.value;
  if (!(salt instanceof asn1js.OctetString) || !(iterations instanceof asn1js.Integer)) return null;
  const count = integerValue(iterations);
  return count >= 1 ? { salt: new Uint8Array(salt.valueBlock.valueHexView), iterations: count } : null;
}

/** The appendix B cost of decrypting with `algorithm` (key and IV); null when it is not one read here. */
export function legacyPbeCost(algorithm: pkijs.AlgorithmIdentifier): KdfCharge | null {
  const cipher = LEGACY_CIPHERS[algorithm.algorithmId];
  const params = legacyPbeParams(algorithm);
  if (!cipher || !params) return null;
  return {
    units: kdfCost('SHA-1', params.iterations, cipher.keyBytes) + kdfCost('SHA-1', params.iterations, 8),
    asked: `${formatCount(params.iterations)} iterations of the PKCS#12 key derivation (${cipher.name})`,
  };
}

function keyAndIv(bmpPassword: Bytes, salt: Bytes, iterations: number, keyBytes: number, budget?: WorkBudget) {
  const derive = (purpose: 1 | 2, length: number) =>
    pkcs12Kdf({ password: bmpPassword, salt, iterations, purpose, length, hash: 'SHA-1', budget });
  return { key: derive(KDF_PURPOSE.key, keyBytes), iv: derive(KDF_PURPOSE.iv, 8) };
}

export interface LegacyEncryptOptions {
  salt: Bytes;
  iterations: number;
  crypto?: Crypto;
}

/** pbeWithSHAAnd3-KeyTripleDES-CBC. `bmpPassword` is the appendix B.1 encoding (see kdf.ts). */
export async function tripleDesPbeEncrypt(plaintext: Bytes, bmpPassword: Bytes, { salt, iterations }: LegacyEncryptOptions) {
  const { key, iv } = keyAndIv(bmpPassword, salt, iterations, 24);
  const algorithm = new pkijs.AlgorithmIdentifier({
    algorithmId: OID.pbeWithSHAAnd3KeyTripleDesCbc,
    algorithmParams: new asn1js.Sequence({
      value: [new asn1js.OctetString({ valueHex: salt }), new asn1js.Integer({ value: iterations })],
    }),
  });
  return { algorithm, ciphertext: tripleDesCbcEncrypt(key, iv, plaintext) };
}

/** Decrypts any of the legacy PKCS#12 ciphers appcert reads; the key derivation is charged to `budget` (omitted: charged already, see `legacyPbeCost`). */
export async function legacyPbeDecrypt(
  algorithm: pkijs.AlgorithmIdentifier,
  ciphertext: Bytes,
  bmpPassword: Bytes,
  budget?: WorkBudget,
): Promise<Result<Bytes, DecryptError>> {
  const cipher = LEGACY_CIPHERS[algorithm.algorithmId];
  const params = legacyPbeParams(algorithm);
  if (!cipher || !params) {
    return failure(
      'unsupported-encryption',
      `The file is encrypted with ${cipher?.name ?? `algorithm ${algorithm.algorithmId}`} in a form appcert cannot read. Re-export it with OpenSSL 3 defaults (openssl pkcs12 -export).`,
    );
  }
  const { key, iv } = keyAndIv(bmpPassword, params.salt, params.iterations, cipher.keyBytes, budget);
  const plain = cipher.decrypt(key, iv, ciphertext);
  return plain ? success(plain) : wrongPassword();
}
