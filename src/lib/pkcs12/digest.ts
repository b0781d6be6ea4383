import type { Bytes } from '../plain/bytes';

/**
 * Synchronous SHA-1, SHA-256, SHA-384 and SHA-512 (FIPS 180-4) for the appendix B key derivation
 * only. It chains up to hundreds of thousands of digests of 20–64 bytes (NSS writes 600,000
 * iterations); as WebCrypto promises each costs a trip through the event loop, here well under a
 * microsecond: `chainDigest` hashes the previous digest in place, one block, no allocation.
 * Tests check every function against FIPS vectors and WebCrypto. Everything else hashes with
 * WebCrypto.
 */

export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Output size of each digest, in bytes. */
export const DIGEST_BYTES: Record<DigestName, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

interface Engine {
  /** Message block size in bytes (64 or 128). */
  block: number;
  /** Digest size in bytes. */
  size: number;
  /** Bytes of the big-endian bit length at the end of the padding (8 or 16). */
  lengthBytes: number;
  initial: () => Int32Array;
  /** Compresses `words` (one block as big-endian 32-bit words, extended in place) into `state`. */
  compress: (state: Int32Array, words: Int32Array) => void;
}

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

function sha1Compress(h: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  let a = h[0],
    b = h[1],
    c = h[2],
    d = h[3],
    e = h[4];
  // Four loops, one per round function, so no branch runs per step.
  for (let i = 0; i < 20; i++) {
    const t = (rotl(a, 5) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (let i = 20; i < 40; i++) {
    const t = (rotl(a, 5) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (let i = 40; i < 60; i++) {
    const t = (rotl(a, 5) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[i]) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (let i = 60; i < 80; i++) {
    const t = (rotl(a, 5) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i]) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

/** The first primes, whose roots give the SHA-2 constants (FIPS 180-4, 4.2.2 and 4.2.3). */
const PRIMES = (() => {
  const primes: number[] = [];
  for (let n = 2; primes.length < 80; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
})();

/** The first 32 bits of the fractional parts of the first 64 primes' cube roots. */
const SHA256_K = Int32Array.from(PRIMES.slice(0, 64), (p) => Math.floor((Math.cbrt(p) % 1) * 2 ** 32) | 0);

function sha256Compress(h: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
    const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = h[0],
    b = h[1],
    c = h[2],
    d = h[3],
    e = h[4],
    f = h[5],
    g = h[6],
    hh = h[7];
  for (let i = 0; i < 64; i++) {
    const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i]) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

/**
 * The first 64 bits of the fractional part of a root of `p`, as [high, low] 32-bit words. Doubles
 * carry only 53 bits, so the root is refined with BigInt: the largest x with x^n <= p * 2^(64n).
 */
function fractionBits(p: number, n: 2 | 3): [number, number] {
  const target = BigInt(p) << BigInt(64 * n);
  let x = BigInt(Math.floor(Math.pow(p, 1 / n) * 2 ** 40)) << 24n;
  const power = (v: bigint) => (n === 2 ? v * v : v * v * v);
  while (power(x) > target) x -= 1n << 10n;
  while (power(x + (1n << 10n)) <= target) x += 1n << 10n;
  while (power(x + 1n) <= target) x += 1n;
  const fraction = x & ((1n << 64n) - 1n);
  return [Number(fraction >> 32n) | 0, Number(fraction & 0xffffffffn) | 0];
}

/** SHA-512's 80 constants, as high and low words (cube roots of the first 80 primes). */
const SHA512_K = (() => {
  const k = new Int32Array(160);
  PRIMES.forEach((p, i) => k.set(fractionBits(p, 3), i * 2));
  return k;
})();
/** Initial values: square roots of the first 8 primes (SHA-512) or of the 9th to 16th (SHA-384). */
const SHA512_INITIAL = Int32Array.from(PRIMES.slice(0, 8).flatMap((p) => fractionBits(p, 2)));
const SHA384_INITIAL = Int32Array.from(PRIMES.slice(8, 16).flatMap((p) => fractionBits(p, 2)));

/** SHA-512 over 64-bit words kept as (high, low) pairs of 32-bit integers; `w` has 160 entries. */
function sha512Compress(h: Int32Array, w: Int32Array): void {
  for (let i = 32; i < 160; i += 2) {
    // σ0 = rotr1 ^ rotr8 ^ shr7 of w[t-15]; σ1 = rotr19 ^ rotr61 ^ shr6 of w[t-2].
    let xh = w[i - 30],
      xl = w[i - 29];
    const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
    const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
    xh = w[i - 4];
    xl = w[i - 3];
    const s1h = ((xh >>> 19) | (xl << 13)) ^ ((xl >>> 29) | (xh << 3)) ^ (xh >>> 6);
    const s1l = ((xl >>> 19) | (xh << 13)) ^ ((xh >>> 29) | (xl << 3)) ^ ((xl >>> 6) | (xh << 26));
    const lo = (s0l >>> 0) + (s1l >>> 0) + (w[i - 13] >>> 0) + (w[i - 31] >>> 0);
    w[i] = (s0h + s1h + w[i - 14] + w[i - 32] + Math.floor(lo / 0x100000000)) | 0;
    w[i + 1] = lo | 0;
  }
  let ah = h[0],
    al = h[1],
    bh = h[2],
    bl = h[3],
    ch = h[4],
    cl = h[5],
    dh = h[6],
    dl = h[7];
  let eh = h[8],
    el = h[9],
    fh = h[10],
    fl = h[11],
    gh = h[12],
    gl = h[13],
    hh = h[14],
    hl = h[15];
  for (let i = 0; i < 160; i += 2) {
    // Σ1(e) = rotr14 ^ rotr18 ^ rotr41; Ch(e, f, g); Σ0(a) = rotr28 ^ rotr34 ^ rotr39; Maj(a, b, c).
    const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    const chh = (eh & fh) ^ (~eh & gh);
    const chl = (el & fl) ^ (~el & gl);
    const t1l = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (SHA512_K[i + 1] >>> 0) + (w[i + 1] >>> 0);
    const t1h = (hh + S1h + chh + SHA512_K[i] + w[i] + Math.floor(t1l / 0x100000000)) | 0;
    const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
    const t2l = (S0l >>> 0) + (majl >>> 0);
    const t2h = (S0h + majh + Math.floor(t2l / 0x100000000)) | 0;
    hh = gh;
    hl = gl;
    gh = fh;
    gl = fl;
    fh = eh;
    fl = el;
    const el2 = (dl >>> 0) + (t1l >>> 0);
    eh = (dh + t1h + Math.floor(el2 / 0x100000000)) | 0;
    el = el2 | 0;
    dh = ch;
    dl = cl;
    ch = bh;
    cl = bl;
    bh = ah;
    bl = al;
    const al2 = (t1l >>> 0) + (t2l >>> 0);
    ah = (t1h + t2h + Math.floor(al2 / 0x100000000)) | 0;
    al = al2 | 0;
  }
  const add = [ah, al, bh, bl, ch, cl, dh, dl, eh, el, fh, fl, gh, gl, hh, hl];
  for (let i = 0; i < 16; i += 2) {
    const lo = (h[i + 1] >>> 0) + (add[i + 1] >>> 0);
    h[i] = (h[i] + add[i] + Math.floor(lo / 0x100000000)) | 0;
    h[i + 1] = lo | 0;
  }
}

const ENGINES: Record<DigestName, Engine> = {
  'SHA-1': {
    block: 64,
    size: 20,
    lengthBytes: 8,
    initial: () => Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0),
    compress: sha1Compress,
  },
  'SHA-256': {
    block: 64,
    size: 32,
    lengthBytes: 8,
    initial: () => Int32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19),
    compress: sha256Compress,
  },
  'SHA-384': { block: 128, size: 48, lengthBytes: 16, initial: () => SHA384_INITIAL.slice(), compress: sha512Compress },
  'SHA-512': { block: 128, size: 64, lengthBytes: 16, initial: () => SHA512_INITIAL.slice(), compress: sha512Compress },
};

/** Scratch space for the extended message schedule: 80 words (SHA-1), 64 (SHA-256), 160 (SHA-512). */
const scheduleFor = (engine: Engine) => new Int32Array(engine.block === 128 ? 160 : 80);

/** The digest of `data`, as `state` words (before output truncation). */
function digestState(engine: Engine, data: Uint8Array, w: Int32Array): Int32Array {
  const length = Math.ceil((data.length + 1 + engine.lengthBytes) / engine.block) * engine.block;
  const padded = new Uint8Array(length);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(length - 8, Math.floor(data.length / 0x20000000));
  view.setUint32(length - 4, (data.length << 3) >>> 0);
  const state = engine.initial();
  const words = engine.block / 4;
  for (let offset = 0; offset < length; offset += engine.block) {
    for (let i = 0; i < words; i++) w[i] = view.getInt32(offset + i * 4);
    engine.compress(state, w);
  }
  return state;
}

function stateBytes(state: Int32Array, size: number): Bytes {
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < size / 4; i++) view.setInt32(i * 4, state[i]);
  return out;
}

export function digest(name: DigestName, data: Uint8Array): Bytes {
  const engine = ENGINES[name];
  return stateBytes(digestState(engine, data, scheduleFor(engine)), engine.size);
}

export const sha1 = (data: Uint8Array): Bytes => digest('SHA-1', data);
export const sha256 = (data: Uint8Array): Bytes => digest('SHA-256', data);
export const sha384 = (data: Uint8Array): Bytes => digest('SHA-384', data);
export const sha512 = (data: Uint8Array): Bytes => digest('SHA-512', data);

/**
 * H^iterations(data): the hash applied to its own output again and again (iterations >= 1). After
 * the first digest every input is the previous digest, which fits one block with fixed padding,
 * so the block is rebuilt from the state words without any allocation.
 */
export function chainDigest(name: DigestName, data: Uint8Array, iterations: number): Bytes {
  const engine = ENGINES[name];
  const w = scheduleFor(engine);
  const state = digestState(engine, data, w);
  const initial = engine.initial();
  const words = engine.size / 4;
  const blockWords = engine.block / 4;
  for (let n = 1; n < iterations; n++) {
    w.set(state.subarray(0, words));
    w[words] = 0x80000000 | 0;
    w.fill(0, words + 1, blockWords - 1);
    w[blockWords - 1] = engine.size * 8;
    state.set(initial);
    engine.compress(state, w);
  }
  return stateBytes(state, engine.size);
}
