import * as pkijs from 'pkijs';
import type { Bytes } from './bytes';

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
