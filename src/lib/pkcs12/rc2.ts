import type { Bytes } from '../plain/bytes';
import { removePadding } from './tripleDes';

/**
 * RC2 (RFC 2268). Only for reading: OpenSSL's `-legacy` PKCS#12 files encrypt their certificate
 * bag with pbeWithSHAAnd40BitRC2-CBC, and no browser or well-kept library still offers RC2.
 */

// "PITABLE" of RFC 2268 section 2: a permutation of 0..255 built from the digits of pi.
const PITABLE = Uint8Array.from(
  (
    'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82' +
    '54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7' +
    '08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
    '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad'
  )
    .match(/../g)!
    .map((h) => parseInt(h, 16)),
);

const SHIFTS = [1, 2, 3, 5];
const rol = (x: number, s: number) => ((x << s) | (x >> (16 - s))) & 0xffff;
const ror = (x: number, s: number) => ((x >> s) | (x << (16 - s))) & 0xffff;

/** The 64 16-bit round keys for a key and an effective key length in bits (section 2). */
export function rc2KeySchedule(key: Bytes, effectiveBits: number): Uint16Array {
  const l = new Uint8Array(128);
  l.set(key);
  for (let i = key.length; i < 128; i++) l[i] = PITABLE[(l[i - 1] + l[i - key.length]) & 0xff];
  const t8 = Math.ceil(effectiveBits / 8);
  const tm = 0xff >> (8 * t8 - effectiveBits);
  l[128 - t8] = PITABLE[l[128 - t8] & tm];
  for (let i = 127 - t8; i >= 0; i--) l[i] = PITABLE[l[i + 1] ^ l[i + t8]];
  const k = new Uint16Array(64);
  for (let i = 0; i < 64; i++) k[i] = l[2 * i] | (l[2 * i + 1] << 8);
  return k;
}

const readWords = (block: Bytes) => [0, 1, 2, 3].map((i) => block[2 * i] | (block[2 * i + 1] << 8));
const writeWords = (r: number[]) => Uint8Array.from(r.flatMap((w) => [w & 0xff, w >> 8]));

/** Encrypts one 8-byte block (section 3): 5 mixing rounds, mash, 6 mixing, mash, 5 mixing. */
export function rc2EncryptBlock(k: Uint16Array, block: Bytes): Bytes {
  const r = readWords(block);
  let j = 0;
  const mix = () => {
    for (let i = 0; i < 4; i++) {
      r[i] = (r[i] + k[j++] + (r[(i + 3) & 3] & r[(i + 2) & 3]) + (~r[(i + 3) & 3] & r[(i + 1) & 3])) & 0xffff;
      r[i] = rol(r[i], SHIFTS[i]);
    }
  };
  const mash = () => {
    for (let i = 0; i < 4; i++) r[i] = (r[i] + k[r[(i + 3) & 3] & 63]) & 0xffff;
  };
  [5, 0, 6, 0, 5].forEach((rounds) => (rounds ? Array.from({ length: rounds }, mix) : mash()));
  return writeWords(r);
}

/** Decrypts one 8-byte block (section 4): the encryption steps undone in reverse order. */
export function rc2DecryptBlock(k: Uint16Array, block: Bytes): Bytes {
  const r = readWords(block);
  let j = 63;
  const unmix = () => {
    for (let i = 3; i >= 0; i--) {
      r[i] = ror(r[i], SHIFTS[i]);
      r[i] = (r[i] - k[j--] - (r[(i + 3) & 3] & r[(i + 2) & 3]) - (~r[(i + 3) & 3] & r[(i + 1) & 3])) & 0xffff;
    }
  };
  const unmash = () => {
    for (let i = 3; i >= 0; i--) r[i] = (r[i] - k[r[(i + 3) & 3] & 63]) & 0xffff;
  };
  [5, 0, 6, 0, 5].forEach((rounds) => (rounds ? Array.from({ length: rounds }, unmix) : unmash()));
  return writeWords(r);
}

/** RC2-CBC decryption with PKCS#7 padding; null when the padding is wrong (a wrong password). */
export function rc2CbcDecrypt(key: Bytes, effectiveBits: number, iv: Bytes, ciphertext: Bytes): Bytes | null {
  if (ciphertext.length === 0 || ciphertext.length % 8 !== 0) return null;
  const k = rc2KeySchedule(key, effectiveBits);
  const out = new Uint8Array(ciphertext.length);
  let previous = iv;
  for (let offset = 0; offset < ciphertext.length; offset += 8) {
    const block = ciphertext.slice(offset, offset + 8);
    const plain = rc2DecryptBlock(k, block);
    for (let i = 0; i < 8; i++) out[offset + i] = plain[i] ^ previous[i];
    previous = block;
  }
  return removePadding(out, 8);
}
