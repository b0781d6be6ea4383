import { toHex, type Bytes } from './plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { clientExtensions, keyIdentifier, type AltNames } from './extensions';
import { cryptoEngine } from './engine';
import { signatureHash, type KeyType } from './plain/keys';
import { encodeName } from './name/encode';
import type { SubjectAttribute } from './plain/subject';
import { CLOCK_SKEW_MS, DAY_MS, DEFAULT_VALIDITY_DAYS } from './plain/validity';

export { CLOCK_SKEW_MS, DEFAULT_VALIDITY_DAYS, MAX_VALIDITY_DAYS } from './plain/validity';

export interface SelfSignedOptions {
  keyPair: CryptoKeyPair;
  keyType: KeyType;
  subject: SubjectAttribute[];
  /** The subject's DER, written as it is instead of `subject` (renewal keeps a subject byte for byte). */
  subjectName?: Bytes;
  days?: number;
  altNames?: AltNames;
  /** Injected for reproducible output; a fresh random serial otherwise. */
  serialNumber?: Bytes;
  now?: Date;
  crypto?: Crypto;
}

export interface IssuedCertificate {
  der: Bytes;
  notBefore: Date;
  notAfter: Date;
  serialHex: string;
}

/** A positive 16-byte serial (RFC 5280 allows 20 octets; the top bits make it positive and full length). */
export function randomSerial(crypto: Crypto = globalThis.crypto): Bytes {
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] & 0x7f) | 0x40;
  return serial;
}

/** UTCTime through 2049, GeneralizedTime after, as RFC 5280 section 4.1.2.5 requires. */
const x509Time = (value: Date) => new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });

/** Whole seconds: X.509 times carry no fractions, so the reported dates match the encoded ones. */
const toSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** A v3 self-signed client certificate whose subject is also its issuer. */
export async function createSelfSignedCertificate(options: SelfSignedOptions): Promise<IssuedCertificate> {
  const crypto = options.crypto ?? globalThis.crypto;
  const engine = cryptoEngine(crypto);
  const now = (options.now ?? new Date()).getTime();
  const notBefore = toSeconds(now - CLOCK_SKEW_MS);
  const notAfter = toSeconds(now + (options.days ?? DEFAULT_VALIDITY_DAYS) * DAY_MS);
  const serial = options.serialNumber ?? randomSerial(crypto);

  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  const name = () => (options.subjectName ? pkijs.RelativeDistinguishedNames.fromBER(options.subjectName) : encodeName(options.subject));
  certificate.subject = name();
  certificate.issuer = name();
  certificate.notBefore = x509Time(notBefore);
  certificate.notAfter = x509Time(notAfter);
  await certificate.subjectPublicKeyInfo.importKey(options.keyPair.publicKey, engine);
  const keyId = await keyIdentifier(certificate.subjectPublicKeyInfo, crypto);
  certificate.extensions = clientExtensions({
    keyType: options.keyType,
    subjectKeyId: keyId,
    authorityKeyId: keyId,
    altNames: options.altNames,
  });
  await certificate.sign(options.keyPair.privateKey, signatureHash(options.keyType), engine);
  return {
    der: new Uint8Array(certificate.toSchema(true).toBER(false)),
    notBefore,
    notAfter,
    serialHex: toHex(serial),
  };
}
