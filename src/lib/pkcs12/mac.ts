import type { Bytes } from '../plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { WorkBudget } from '../budget';
import { OID } from '../plain/oids';
import { DIGEST_BYTES } from './digest';
import { KDF_PURPOSE, pkcs12Kdf, type KdfHash } from './kdf';

/**
 * The PKCS#12 integrity MAC (RFC 7292 section 5): HMAC over the AuthenticatedSafe, keyed by the
 * appendix B KDF with the same hash. This is what OpenSSL 3.0 writes and checks.
 */

const MAC_HASHES: Record<string, KdfHash> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};
const HASH_OIDS: Record<KdfHash, string> = { 'SHA-1': OID.sha1, 'SHA-256': OID.sha256, 'SHA-384': OID.sha384, 'SHA-512': OID.sha512 };

export const macHash = (algorithmId: string): KdfHash | null => MAC_HASHES[algorithmId] ?? null;

export async function computeMac(
  data: Bytes,
  bmpPassword: Bytes,
  salt: Bytes,
  iterations: number,
  hash: KdfHash,
  crypto: Crypto = globalThis.crypto,
  budget?: WorkBudget,
): Promise<Bytes> {
  const keyBytes = pkcs12Kdf({
    password: bmpPassword,
    salt,
    iterations,
    purpose: KDF_PURPOSE.mac,
    length: DIGEST_BYTES[hash],
    hash,
    budget,
  });
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
}

export async function makeMacData(
  data: Bytes,
  bmpPassword: Bytes,
  salt: Bytes,
  iterations: number,
  hash: KdfHash,
  crypto?: Crypto,
): Promise<pkijs.MacData> {
  const digest = await computeMac(data, bmpPassword, salt, iterations, hash, crypto);
  return new pkijs.MacData({
    // Hash parameters are absent, as OpenSSL writes them.
    mac: new pkijs.DigestInfo({
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[hash] }),
      digest: new asn1js.OctetString({ valueHex: digest }),
    }),
    macSalt: new asn1js.OctetString({ valueHex: salt }),
    iterations,
  });
}

/**
 * True when the MAC checks out with this password encoding. `iterations` is the count as the file
 * states it (see `integerValue`); the key derivation is charged to `budget`.
 */
export async function verifyMac(
  data: Bytes,
  macData: pkijs.MacData,
  bmpPassword: Bytes,
  crypto?: Crypto,
  iterations = macData.iterations ?? 1,
  budget?: WorkBudget,
): Promise<boolean> {
  const hash = macHash(macData.mac.digestAlgorithm.algorithmId);
  if (!hash) return false;
  const salt = new Uint8Array(macData.macSalt.valueBlock.valueHexView);
  const expected = new Uint8Array(macData.mac.digest.valueBlock.valueHexView);
  const actual = await computeMac(data, bmpPassword, salt, iterations, hash, crypto, budget);
  return actual.length === expected.length && actual.every((byte, i) => byte === expected[i]);
}
