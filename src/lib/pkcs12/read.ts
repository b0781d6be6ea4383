import type { Bytes } from '../plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { formatCount, isTooMuchWork, rethrowTooMuchWork, WorkBudget } from '../budget';
import { integerValue, isPkcs8 } from '../der';
import { scanDer } from '../derScan';
import { matchKey, type KeyMatch } from '../keyMatch';
import { MESSAGES } from '../verify/findings';
import { OID } from '../plain/oids';
import { toHex } from '../plain/bytes';
import { AES_KEY_BITS, pbes2Cost, pbes2Decrypt, PRF_HASH, wrongPassword, type DecryptError, type KdfCharge } from '../pbes2';
import { failure, success, type Failure, type Result } from '../plain/result';
import { DIGEST_BYTES } from './digest';
import { bmpPassword, kdfCost } from './kdf';
import { isLegacyPbe, legacyPbeCost, legacyPbeDecrypt, legacyPbeName, legacyPbeParams } from './legacyPbe';
import { macHash, verifyMac } from './mac';

export interface Pkcs12Contents {
  /** The private key (unencrypted PKCS#8), or null for a certificates-only file. */
  pkcs8: Bytes | null;
  /** DER certificates: the one matching the key first, the others in file order. */
  certificates: Bytes[];
  friendlyName: string | null;
  /** True when a bag uses the RFC 7292 appendix B ciphers (3DES, RC2) rather than PBES2. */
  legacy: boolean;
  /** What protects the file, for people: e.g. "HMAC-SHA-256, 2048 iterations". */
  algorithms: { mac: string; keyBag: string | null; certBag: string | null };
  /**
   * Whether the key was shown to belong to the first certificate: 'match', or 'unknown' when its
   * kind of public key cannot be compared here (the certificates are then in file order, the one
   * with the key's localKeyId first); null without a key or without certificates.
   */
  keyMatch: Exclude<KeyMatch, 'mismatch'> | null;
}

export type Pkcs12ReadError = 'not-pkcs12' | 'wrong-password' | 'unsupported-encryption' | 'key-mismatch' | 'too-much-work';

const notPkcs12 = () =>
  failure(
    'not-pkcs12' as const,
    'This is not a PKCS#12 (.p12/.pfx) file, or it is damaged. Choose the .p12 or .pfx file exported by appcert, OpenSSL, keytool or Windows.',
  );
const unsupported = (what: string) =>
  failure(
    'unsupported-encryption' as const,
    `This PKCS#12 file uses ${what}, which appcert cannot open. Re-export it with OpenSSL: openssl pkcs12 -in old.p12 -nodes | openssl pkcs12 -export -out new.p12`,
  );
const macWrongPassword = () =>
  failure(
    'wrong-password' as const,
    "The password is wrong: the file's integrity check failed with it. Check for typing mistakes, caps lock and keyboard layout.",
  );

/** Full contents of an OCTET STRING, also when a BER writer split it into pieces. */
const octets = (value: unknown): Bytes | null => (value instanceof asn1js.OctetString ? new Uint8Array(value.getValue()) : null);

/**
 * The password encodings OpenSSL 3 tries for the MAC and appendix B ciphers: the RFC 7292
 * BMPString; for an empty password also "no password"; for non-ASCII also each UTF-8 byte widened
 * to 16 bits, which OpenSSL before 1.1 wrote.
 */
function passwordEncodings(password: string): Bytes[] {
  const encodings = [bmpPassword(password)];
  if (password === '') encodings.push(new Uint8Array(0));
  if (/[^\x00-\x7f]/.test(password)) encodings.push(bmpPassword(String.fromCharCode(...new TextEncoder().encode(password))));
  return encodings;
}

/** How a bag is protected: a description for people, and whether it is an appendix B cipher. */
interface Protection {
  description: string;
  legacy: boolean;
}

const UNENCRYPTED: Protection = { description: 'none (unencrypted)', legacy: false };

const protection = (algorithm: pkijs.AlgorithmIdentifier): Protection => ({
  description: describeEncryption(algorithm),
  legacy: isLegacyPbe(algorithm.algorithmId),
});

function describeEncryption(algorithm: pkijs.AlgorithmIdentifier): string {
  if (algorithm.algorithmId === OID.pbes2) {
    try {
      const params = new pkijs.PBES2Params({ schema: algorithm.algorithmParams });
      const kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
      const hash = PRF_HASH[kdf.prf?.algorithmId ?? OID.hmacWithSHA1] ?? 'unknown hash';
      const bits = AES_KEY_BITS[params.encryptionScheme.algorithmId];
      return `PBES2 (PBKDF2-HMAC-${hash}, ${bits ? `AES-${bits}-CBC` : params.encryptionScheme.algorithmId}, ${kdf.iterationCount} iterations)`;
    } catch {
      return 'PBES2 (damaged parameters)';
    }
  }
  const name = legacyPbeName(algorithm.algorithmId);
  const params = legacyPbeParams(algorithm);
  return name ? `${name} (${params?.iterations ?? '?'} iterations)` : `algorithm ${algorithm.algorithmId}`;
}

const RC4_NAMES: Record<string, string> = {
  [OID.pbeWithSHAAnd128BitRC4]: 'pbeWithSHAAnd128BitRC4',
  [OID.pbeWithSHAAnd40BitRC4]: 'pbeWithSHAAnd40BitRC4',
};

/** What every step of one read shares. */
interface Reading {
  password: string;
  /** The password encoding that opened the MAC (or the BMPString without a MAC). */
  bmp: Bytes;
  crypto: Crypto;
  budget: WorkBudget;
}

/** What decrypting with `algorithm` costs (null when it cannot be decrypted here; decrypt says why). */
const decryptCost = (algorithm: pkijs.AlgorithmIdentifier): KdfCharge | null =>
  algorithm.algorithmId === OID.pbes2 ? pbes2Cost(algorithm) : legacyPbeCost(algorithm);

/** Decrypts a bag or container; `charged` when its key derivation was charged already. */
async function decrypt(
  algorithm: pkijs.AlgorithmIdentifier,
  ciphertext: Bytes,
  { password, bmp, crypto, budget }: Reading,
  charged = false,
): Promise<Result<Bytes, DecryptError>> {
  if (algorithm.algorithmId === OID.pbes2) return pbes2Decrypt(algorithm, ciphertext, password, crypto, charged ? null : budget);
  if (isLegacyPbe(algorithm.algorithmId)) return legacyPbeDecrypt(algorithm, ciphertext, bmp, charged ? undefined : budget);
  return unsupported(`the cipher ${RC4_NAMES[algorithm.algorithmId] ?? algorithm.algorithmId}`);
}

/** Parses DER with pkijs after the pre-scan has counted it (see derScan.ts). */
function parseScanned<T>(der: Bytes, budget: WorkBudget, parse: (der: Bytes) => T): T {
  scanDer(der, budget);
  return parse(der);
}

interface Bag {
  localKeyId: string | null;
  friendlyName: string | null;
  protection: Protection;
}

interface Bags {
  keys: (Bag & { pkcs8: Bytes })[];
  certificates: (Bag & { der: Bytes })[];
}

function attribute(bag: pkijs.SafeBag, type: string): unknown {
  return bag.bagAttributes?.find((a) => a.type === type)?.values[0];
}

/** Collects key and certificate bags; `container` is the encryption around them. */
async function collectBags(
  safeContents: pkijs.SafeContents,
  container: Protection,
  reading: Reading,
  bags: Bags,
): Promise<Failure<Pkcs12ReadError> | null> {
  for (const bag of safeContents.safeBags) {
    const friendly = attribute(bag, OID.friendlyName);
    const friendlyName = friendly instanceof asn1js.BmpString ? friendly.valueBlock.value : null;
    const keyId = octets(attribute(bag, OID.localKeyId));
    const localKeyId = keyId && toHex(keyId);
    if (bag.bagId === OID.pkcs8ShroudedKeyBag) {
      const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
      const plain = await decrypt(shrouded.encryptionAlgorithm, new Uint8Array(shrouded.encryptedData.getValue()), reading);
      if (!plain.ok) return plain;
      scanDer(plain.value, reading.budget);
      if (!isPkcs8(plain.value)) return wrongPassword();
      bags.keys.push({ pkcs8: plain.value, localKeyId, friendlyName, protection: protection(shrouded.encryptionAlgorithm) });
    } else if (bag.bagId === OID.keyBag) {
      bags.keys.push({
        pkcs8: new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false)),
        localKeyId,
        friendlyName,
        protection: container,
      });
    } else if (bag.bagId === OID.certBag) {
      const certBag = bag.bagValue as pkijs.CertBag;
      const der = certBag.certId === OID.x509CertificateBag ? octets(certBag.certValue) : null;
      if (der) {
        reading.budget.spend('certificates', 1, () => 'more certificate bags than that');
        bags.certificates.push({ der, localKeyId, friendlyName, protection: container });
      }
    }
  }
  return null;
}

/**
 * Opens a PKCS#12 file: checks its MAC, decrypts its bags (PBES2, 3DES, RC2 or none) and finds
 * the certificate that belongs to the key. Anything that is not PKCS#12 is `not-pkcs12`; a file
 * that asks for more work than `budget` allows is `too-much-work` (the budget's `TooMuchWork`
 * stops the read wherever it is and is turned into that failure here).
 */
export async function readPkcs12(
  der: Bytes,
  password: string,
  crypto: Crypto = globalThis.crypto,
  budget: WorkBudget = new WorkBudget(),
): Promise<Result<Pkcs12Contents, Pkcs12ReadError>> {
  try {
    return await read(der, password, crypto, budget);
  } catch (error) {
    if (isTooMuchWork(error)) return failure('too-much-work', MESSAGES.tooMuchWork(error.what));
    throw error;
  }
}

async function read(der: Bytes, password: string, crypto: Crypto, budget: WorkBudget): Promise<Result<Pkcs12Contents, Pkcs12ReadError>> {
  let pfx: pkijs.PFX;
  let authSafeBytes: Bytes | null;
  let contentInfos: pkijs.ContentInfo[];
  let macIterations = 1;
  try {
    const parsed = parseScanned(der, budget, asn1js.fromBER);
    if (parsed.offset === -1) return notPkcs12();
    pfx = new pkijs.PFX({ schema: parsed.result });
    if (pfx.authSafe.contentType === OID.pkcs7SignedData) return unsupported('public-key integrity protection (signed data)');
    authSafeBytes = pfx.authSafe.contentType === OID.pkcs7Data ? octets(pfx.authSafe.content) : null;
    if (!authSafeBytes) return notPkcs12();
    contentInfos = parseScanned(authSafeBytes, budget, (bytes) => pkijs.AuthenticatedSafe.fromBER(bytes)).safeContents;
    // PFX: version, authSafe, macData { mac, macSalt, iterations DEFAULT 1 }. pkijs reads 2^23 and more as 0.
    const macIterationCount = ((parsed.result as asn1js.Sequence).valueBlock.value[2] as asn1js.Sequence | undefined)?.valueBlock.value[2];
    if (macIterationCount instanceof asn1js.Integer) macIterations = integerValue(macIterationCount);
  } catch (error) {
    rethrowTooMuchWork(error);
    return notPkcs12();
  }

  const reading: Reading = { password, bmp: bmpPassword(password), crypto, budget };
  let mac = 'none';
  if (pfx.macData) {
    const hash = macHash(pfx.macData.mac.digestAlgorithm.algorithmId);
    if (!hash)
      return unsupported(
        pfx.macData.mac.digestAlgorithm.algorithmId === OID.pbmac1
          ? 'a PBMAC1 integrity check (OpenSSL 3.4 and later)'
          : 'an unknown integrity check',
      );
    if (macIterations < 1) return unsupported('a MAC iteration count of 0 or less (the file is damaged)');
    let verified: Bytes | null = null;
    // Each encoding tried costs a full key derivation, charged as it starts; when the budget
    // cannot pay for all of them, none is tried (a wrong guess would be the likely answer).
    const encodings = passwordEncodings(password);
    const perEncoding = kdfCost(hash, macIterations, DIGEST_BYTES[hash]);
    if (!budget.affords('key-derivation', perEncoding * encodings.length)) {
      budget.spend(
        'key-derivation',
        perEncoding * encodings.length,
        () =>
          `${formatCount(macIterations)} HMAC-${hash} key-derivation iterations${encodings.length > 1 ? ` for each of ${encodings.length} password encodings` : ''}`,
      );
    }
    for (const encoding of encodings) {
      if (await verifyMac(authSafeBytes, pfx.macData, encoding, crypto, macIterations, budget)) {
        verified = encoding;
        break;
      }
    }
    if (!verified) return macWrongPassword();
    reading.bmp = verified;
    mac = `HMAC-${hash}, ${macIterations} iterations`;
  }

  // All containers are charged before the first is decrypted, so a file whose containers ask for
  // too much together is refused before any work. (Each is parsed once: pkijs changes the schema.)
  const encrypted = new Map<pkijs.ContentInfo, pkijs.EncryptedData | null>();
  for (const info of contentInfos) {
    if (info.contentType !== OID.pkcs7EncryptedData) continue;
    try {
      encrypted.set(info, new pkijs.EncryptedData({ schema: info.content }));
    } catch {
      encrypted.set(info, null);
    }
  }
  const charges = [...encrypted.values()]
    .map((data) => data && decryptCost(data.encryptedContentInfo.contentEncryptionAlgorithm))
    .filter((charge) => charge !== null);
  const total = charges.reduce((sum, charge) => sum + charge.units, 0);
  budget.spend('key-derivation', total, () => {
    if (charges.length === 1) return charges[0].asked;
    const kinds = [...new Set(charges.map((c) => c.asked))];
    return `${charges.length.toLocaleString('en-US')} encrypted containers, ${kinds.length === 1 ? `each asking for ${kinds[0]}` : `asking for ${kinds.slice(0, 2).join(', ')}${kinds.length > 2 ? ', …' : ''}`}`;
  });

  const bags: Bags = { keys: [], certificates: [] };
  // Decrypting the containers in parallel lets WebCrypto's PBKDF2 run on several threads.
  const opened = await Promise.all(
    contentInfos.map(async (info): Promise<Failure<Pkcs12ReadError> | { contents: pkijs.SafeContents; protection: Protection }> => {
      try {
        if (info.contentType === OID.pkcs7Data) {
          const data = octets(info.content);
          return data
            ? { contents: parseScanned(data, budget, (bytes) => pkijs.SafeContents.fromBER(bytes)), protection: UNENCRYPTED }
            : notPkcs12();
        }
        if (info.contentType !== OID.pkcs7EncryptedData) return unsupported('public-key encrypted bags (enveloped data)');
        const container = encrypted.get(info);
        if (!container) return notPkcs12();
        const { contentEncryptionAlgorithm } = container.encryptedContentInfo;
        const ciphertext = new Uint8Array(container.encryptedContentInfo.getEncryptedContent());
        const plain = await decrypt(contentEncryptionAlgorithm, ciphertext, reading, true);
        if (!plain.ok) return plain;
        try {
          return {
            contents: parseScanned(plain.value, budget, (bytes) => pkijs.SafeContents.fromBER(bytes)),
            protection: protection(contentEncryptionAlgorithm),
          };
        } catch (error) {
          rethrowTooMuchWork(error);
          return wrongPassword(); // decrypted to garbage: only possible without a MAC
        }
      } catch (error) {
        rethrowTooMuchWork(error);
        return notPkcs12();
      }
    }),
  );
  for (const item of opened) {
    if ('ok' in item) return item;
    const problem = await collectBags(item.contents, item.protection, reading, bags).catch((error: unknown) => {
      rethrowTooMuchWork(error);
      return notPkcs12();
    });
    if (problem) return problem;
  }
  if (bags.keys.length === 0 && bags.certificates.length === 0) return notPkcs12();

  const key = bags.keys[0] ?? null;
  let certificates = bags.certificates;
  let keyMatch: Pkcs12Contents['keyMatch'] = null;
  if (key && certificates.length > 0) {
    // The certificate with the key's localKeyId first, then the others in file order.
    const byId = certificates.findIndex((c) => key.localKeyId !== null && c.localKeyId === key.localKeyId);
    const order = byId >= 0 ? [byId, ...[...certificates.keys()].filter((i) => i !== byId)] : [...certificates.keys()];
    const found = await matchKey(
      key.pkcs8,
      order.map((i) => certificates[i].der),
      crypto,
      budget,
    );
    if (found.verdict === 'mismatch')
      return failure(
        'key-mismatch',
        'The private key in this file belongs to none of its certificates. Export the PKCS#12 again from the matching key and certificate.',
      );
    keyMatch = found.verdict;
    const leaf = order[Math.max(found.index, 0)];
    certificates = [certificates[leaf], ...certificates.filter((_, i) => i !== leaf)];
  }
  const leafBag = certificates[0];
  return success({
    pkcs8: key?.pkcs8 ?? null,
    certificates: certificates.map((c) => c.der),
    friendlyName: key?.friendlyName ?? leafBag?.friendlyName ?? null,
    legacy: [...bags.keys, ...certificates].some((bag) => bag.protection.legacy),
    algorithms: { mac, keyBag: key?.protection.description ?? null, certBag: leafBag?.protection.description ?? null },
    keyMatch,
  });
}
