import type { Bytes } from '../plain/bytes';
import { KDF_COST, formatCount, type WorkBudget } from '../budget';
import { chainDigest, DIGEST_BYTES, type DigestName } from './digest';

/**
 * The PKCS#12 key derivation of RFC 7292 appendix B.2: the MAC key of every PKCS#12 file made by
 * OpenSSL 3.0, and the key and IV of the legacy bag ciphers. WebCrypto has no such KDF, so it is
 * built here from appcert's synchronous digests (see digest.ts). Its cost is charged to the
 * file's work budget before it starts.
 */

/** The digests the appendix B KDF runs on: those of digest.ts. */
export type KdfHash = DigestName;

/** Purpose byte "ID" of appendix B.3: 1 cipher key, 2 IV, 3 MAC key. */
export const KDF_PURPOSE = { key: 1, iv: 2, mac: 3 } as const;

const BLOCK_BYTES: Record<KdfHash, number> = { 'SHA-1': 64, 'SHA-256': 64, 'SHA-384': 128, 'SHA-512': 128 };

/**
 * The password as appendix B.1 wants it: a BMPString (UTF-16 big-endian, as OpenSSL 3 converts a
 * UTF-8 password) with a two-byte NUL terminator. JavaScript strings are UTF-16 already, so
 * characters beyond the BMP become surrogate pairs exactly as OpenSSL writes them.
 */
export function bmpPassword(password: string): Bytes {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[i * 2] = unit >> 8;
    out[i * 2 + 1] = unit & 0xff;
  }
  return out;
}

/** `data` repeated and cut to fill whole blocks of `block` bytes; empty stays empty. */
function fillBlocks(data: Bytes, block: number): Bytes {
  const out = new Uint8Array(block * Math.ceil(data.length / block));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length];
  return out;
}

export interface KdfParams {
  /** Already encoded, normally by `bmpPassword`. */
  password: Bytes;
  salt: Bytes;
  iterations: number;
  purpose: 1 | 2 | 3;
  length: number;
  hash: KdfHash;
  /** The file's budget; omitted for files appcert writes itself. */
  budget?: WorkBudget;
}

/** The cost of one derivation in budget units (see budget.ts): one chain of digests per output block. */
export const kdfCost = (hash: KdfHash, iterations: number, length: number): number =>
  iterations * Math.ceil(length / DIGEST_BYTES[hash]) * KDF_COST.appendixB[hash];

export function pkcs12Kdf({ password, salt, iterations, purpose, length, hash, budget }: KdfParams): Bytes {
  budget?.spend(
    'key-derivation',
    kdfCost(hash, iterations, length),
    () => `${formatCount(iterations)} iterations of the PKCS#12 key derivation with ${hash}`,
  );
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    throw new RangeError(`PKCS#12 key derivation needs 1 or more iterations, not ${iterations}`);
  const u = DIGEST_BYTES[hash];
  const v = BLOCK_BYTES[hash];
  const input = new Uint8Array([...fillBlocks(salt, v), ...fillBlocks(password, v)]);
  const out = new Uint8Array(Math.ceil(length / u) * u);
  const diversifier = new Uint8Array(v).fill(purpose);
  for (let round = 0; round * u < length; round++) {
    const a = chainDigest(hash, new Uint8Array([...diversifier, ...input]), iterations);
    out.set(a, round * u);
    // I_j = (I_j + B + 1) mod 2^(8v), with B = A repeated to v bytes: big-endian addition per block.
    const b = fillBlocks(a, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k] + b[k] + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return out.slice(0, length);
}
