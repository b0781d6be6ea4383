import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Bytes } from './plain/bytes';

/** Whether a parser accepts the input: asn1js and pkijs report a wrong structure by throwing. */
export function parses(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch {
    return false;
  }
}

/** Whether the bytes are a PKCS#8 PrivateKeyInfo (after decryption: garbage means a wrong password). */
export const isPkcs8 = (der: Bytes): boolean => parses(() => pkijs.PrivateKeyInfo.fromBER(der));

/**
 * The value of a non-negative INTEGER, also beyond what asn1js's `valueDec` reads (it gives 0 for
 * 2^23 and more in some places): iteration counts must be read as the file states them to be
 * refused with the right number. Negative values give -1; values beyond 2^53 give Infinity.
 */
export function integerValue(integer: asn1js.Integer): number {
  const bytes = integer.valueBlock.valueHexView;
  if (bytes.length === 0 || bytes[0] & 0x80) return -1;
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return Number.isSafeInteger(value) ? value : Infinity;
}
