import type { Bytes } from './plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KDF_COST, WorkBudget, formatCount } from './budget';
import { integerValue } from './der';
import { OID } from './plain/oids';
import { DIGEST_BYTES, type DigestName } from './pkcs12/digest';
import { failure, success, type Result } from './plain/result';

/**
 * PBES2 (RFC 8018): PBKDF2 then AES-CBC, all in WebCrypto. This is what OpenSSL 3 writes for
 * `openssl pkcs8 -topk8` and inside modern PKCS#12 files, so the same code serves both.
 */

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; far above OpenSSL's 2048 default, still well under a second. */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000;

export interface Pbes2Options {
  iterations?: number;
  salt?: Bytes;
  iv?: Bytes;
  crypto?: Crypto;
}

export interface Encrypted {
  algorithm: pkijs.AlgorithmIdentifier;
  ciphertext: Bytes;
}

export type DecryptError = 'wrong-password' | 'unsupported-encryption';

export const PRF_HASH: Record<string, DigestName> = {
  [OID.hmacWithSHA1]: 'SHA-1',
  [OID.hmacWithSHA256]: 'SHA-256',
  [OID.hmacWithSHA384]: 'SHA-384',
  [OID.hmacWithSHA512]: 'SHA-512',
};
export const AES_KEY_BITS: Record<string, number> = { [OID.aes128Cbc]: 128, [OID.aes192Cbc]: 192, [OID.aes256Cbc]: 256 };

/** PKCS#5 leaves the encoding to the application; UTF-8 is what OpenSSL and Java use. */
export const passwordBytes = (password: string): Bytes => new TextEncoder().encode(password);

async function aesKey(password: string, salt: Bytes, iterations: number, hash: string, bits: number, crypto: Crypto, usage: KeyUsage) {
  const base = await crypto.subtle.importKey('raw', passwordBytes(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', salt, iterations, hash }, base, { name: 'AES-CBC', length: bits }, false, [usage]);
}

/** Encrypts with PBKDF2-HMAC-SHA256 and AES-256-CBC. */
export async function pbes2Encrypt(plaintext: Bytes, password: string, options: Pbes2Options = {}): Promise<Encrypted> {
  const crypto = options.crypto ?? globalThis.crypto;
  const iterations = options.iterations ?? DEFAULT_PBKDF2_ITERATIONS;
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const iv = options.iv ?? crypto.getRandomValues(new Uint8Array(16));
  const key = await aesKey(password, salt, iterations, 'SHA-256', 256, crypto, 'encrypt');
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, plaintext));
  const params = new pkijs.PBES2Params({
    keyDerivationFunc: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.pbkdf2,
      algorithmParams: new pkijs.PBKDF2Params({
        salt: new asn1js.OctetString({ valueHex: salt }),
        iterationCount: iterations,
        prf: new pkijs.AlgorithmIdentifier({ algorithmId: OID.hmacWithSHA256, algorithmParams: new asn1js.Null() }),
      }).toSchema(),
    }),
    encryptionScheme: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.aes256Cbc,
      algorithmParams: new asn1js.OctetString({ valueHex: iv }),
    }),
  });
  return { algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbes2, algorithmParams: params.toSchema() }), ciphertext };
}

const wrongPassword = () =>
  failure(
    'wrong-password' as const,
    'The password is wrong: the file could not be decrypted with it. Check for typing mistakes, caps lock and keyboard layout.',
  );

/**
 * The iteration count as the file states it: pkijs reads 2^23 and more as 0 (see `integerValue`).
 * The PBKDF2-params SEQUENCE is salt, iterationCount, keyLength?, prf?.
 */
function statedIterations(kdfParams: unknown, parsed: number): number {
  const count = kdfParams instanceof asn1js.Sequence ? kdfParams.valueBlock.value[1] : undefined;
  return count instanceof asn1js.Integer ? integerValue(count) : parsed;
}

/** What a key derivation will cost, in budget units (budget.ts), and what it is for people. */
export interface KdfCharge {
  units: number;
  asked: string;
}

/** The PBKDF2 cost of decrypting with `algorithm`; null when it is not PBES2 this module reads. */
export function pbes2Cost(algorithm: pkijs.AlgorithmIdentifier): KdfCharge | null {
  try {
    const params = new pkijs.PBES2Params({ schema: algorithm.algorithmParams });
    const kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
    const iterations = statedIterations(params.keyDerivationFunc.algorithmParams, kdf.iterationCount);
    const hash = PRF_HASH[kdf.prf?.algorithmId ?? OID.hmacWithSHA1];
    const bits = AES_KEY_BITS[params.encryptionScheme.algorithmId];
    if (algorithm.algorithmId !== OID.pbes2 || iterations < 1 || !hash || !bits) return null;
    const blocks = Math.ceil(bits / 8 / DIGEST_BYTES[hash]);
    return { units: iterations * blocks * KDF_COST.pbkdf2[hash], asked: `${formatCount(iterations)} PBKDF2-HMAC-${hash} iterations` };
  } catch {
    return null;
  }
}

/**
 * Decrypts PBES2 with any PBKDF2 PRF from SHA-1 to SHA-512 and AES-128/192/256-CBC. The PBKDF2
 * iterations are charged to `budget` before WebCrypto starts them (it cannot be stopped once
 * started); null means the caller has charged them already (see `pbes2Cost`).
 */
export async function pbes2Decrypt(
  algorithm: pkijs.AlgorithmIdentifier,
  ciphertext: Bytes,
  password: string,
  crypto: Crypto = globalThis.crypto,
  budget: WorkBudget | null = new WorkBudget(),
): Promise<Result<Bytes, DecryptError>> {
  if (algorithm.algorithmId !== OID.pbes2) {
    return failure(
      'unsupported-encryption',
      `This file is encrypted with algorithm ${algorithm.algorithmId}, which appcert does not read.`,
    );
  }
  let params: pkijs.PBES2Params;
  let kdf: pkijs.PBKDF2Params;
  try {
    params = new pkijs.PBES2Params({ schema: algorithm.algorithmParams });
    kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
  } catch {
    return failure('unsupported-encryption', 'The encryption parameters in this file are damaged or of an unknown kind.');
  }
  const iterations = statedIterations(params.keyDerivationFunc.algorithmParams, kdf.iterationCount);
  if (iterations < 1) {
    return failure(
      'unsupported-encryption',
      'The file asks for a key-derivation iteration count of 0 or less, which is damaged. Re-encrypt it with OpenSSL 3 defaults.',
    );
  }
  const hash = PRF_HASH[kdf.prf?.algorithmId ?? OID.hmacWithSHA1];
  const bits = AES_KEY_BITS[params.encryptionScheme.algorithmId];
  if (!hash || !bits || !(params.encryptionScheme.algorithmParams instanceof asn1js.OctetString)) {
    return failure(
      'unsupported-encryption',
      'The file uses a PBES2 cipher or hash other than AES-CBC with HMAC-SHA; appcert cannot decrypt it.',
    );
  }
  const charge = pbes2Cost(algorithm);
  if (budget && charge) budget.spend('key-derivation', charge.units, () => charge.asked);
  const iv = new Uint8Array(params.encryptionScheme.algorithmParams.valueBlock.valueHexView);
  const salt = new Uint8Array((kdf.salt as asn1js.OctetString).valueBlock.valueHexView);
  try {
    const key = await aesKey(password, salt, iterations, hash, bits, crypto, 'decrypt');
    return success(new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, key, ciphertext)));
  } catch {
    // AES-CBC padding fails for almost every wrong password; the caller checks the rest.
    return wrongPassword();
  }
}

export { wrongPassword };
