// Crafted files that cost a reader far more than their size suggests, for the end-to-end tests of
// the page's deadlines. Written byte by byte here so no tool refuses to make them.

import { randomBytes } from 'node:crypto';

/** One DER element: tag, definite length, contents. */
function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

const integer = (value: number) => {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
  return der(0x02, Buffer.from(bytes));
};

function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return der(0x06, Buffer.from(out));
}

const DATA = '1.2.840.113549.1.7.1';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3';

/**
 * A PKCS#12 file without a MAC whose containers are encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC
 * at `iterations` rounds of the appendix-B key derivation, over random ciphertext. No password
 * opens it, so a reader derives keys for every container and password encoding it tries: today
 * seconds of CPU per container, for a few hundred bytes.
 */
export function costlyPkcs12({ containers = 4, iterations = 500_000 } = {}): Uint8Array {
  const container = () =>
    der(
      0x30,
      oid(ENCRYPTED_DATA),
      der(
        0xa0,
        der(
          0x30,
          integer(0),
          der(
            0x30,
            oid(DATA),
            der(0x30, oid(PBE_SHA1_3DES), der(0x30, der(0x04, randomBytes(8)), integer(iterations))),
            der(0x80, randomBytes(16)),
          ),
        ),
      ),
    );
  const authenticatedSafe = der(0x30, ...Array.from({ length: containers }, container));
  return der(0x30, integer(3), der(0x30, oid(DATA), der(0xa0, der(0x04, authenticatedSafe))));
}
