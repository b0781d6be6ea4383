import type { Bytes } from '../plain/bytes';
import des from 'des.js';

/**
 * Triple DES (EDE, three keys) in CBC mode, which WebCrypto lacks and the legacy PKCS#12 profile
 * needs. The cipher itself is des.js; PKCS#7 padding is done here so a bad pad is reported, not
 * silently kept.
 */
const ede3Cbc = des.CBC.instantiate(des.EDE);
const BLOCK = 8;

export function tripleDesCbcEncrypt(key: Bytes, iv: Bytes, plaintext: Bytes): Bytes {
  const pad = BLOCK - (plaintext.length % BLOCK);
  const padded = new Uint8Array(plaintext.length + pad).fill(pad);
  padded.set(plaintext);
  const cipher = ede3Cbc.create({ type: 'encrypt', key, iv, padding: false });
  return new Uint8Array(cipher.final(padded));
}

/** The plaintext, or null when the padding is wrong (almost always a wrong password). */
export function tripleDesCbcDecrypt(key: Bytes, iv: Bytes, ciphertext: Bytes): Bytes | null {
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) return null;
  const cipher = ede3Cbc.create({ type: 'decrypt', key, iv, padding: false });
  return removePadding(new Uint8Array(cipher.final(ciphertext)), BLOCK);
}

/** Strips PKCS#7 padding; null when it is not valid. */
export function removePadding(padded: Bytes, block: number): Bytes | null {
  const pad = padded[padded.length - 1];
  if (!pad || pad > block || pad > padded.length) return null;
  for (let i = padded.length - pad; i < padded.length; i++) if (padded[i] !== pad) return null;
  return padded.slice(0, padded.length - pad);
}
