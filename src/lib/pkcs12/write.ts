import { sameBytes, type Bytes } from '../plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { keyMatchesCertificate } from '../keyMatch';
import { OID } from '../plain/oids';
import { pbes2Encrypt, type Encrypted } from '../pbes2';
import { exportPkcs8 } from '../privateKey';
import { failure, success, type Result } from '../plain/result';
import { isUuid } from '../plain/uuid';
import { bmpPassword, type KdfHash } from './kdf';
import { tripleDesPbeEncrypt } from './legacyPbe';
import { makeMacData } from './mac';
import { readPkcs12 } from './read';

export type P12Profile = 'modern' | 'legacy';

/** One line per profile, shared by the CLI help and the export panel. */
export const P12_PROFILES: Record<P12Profile, { label: string; summary: string }> = {
  // Only what docs/pkcs12-clients.md (src/lib/clients.ts) backs with a test here or a public report.
  modern: {
    label: 'Modern',
    summary:
      'PBES2 AES-256 with an HMAC-SHA-256 MAC. Opened here by OpenSSL 3, Java 17, NSS, Python and Node, refused by Go x/crypto/pkcs12; reported to fail on Java 8/11 before 8u301/11.0.12, Windows Server 2016, macOS and iOS import, Android 12 and 13.',
  },
  legacy: {
    label: 'Legacy compatibility',
    summary:
      '3DES with a SHA-1 MAC (RFC 7292 appendix B). Opened here by the same tools and Go; reported to open on Java 8/11, Windows Server 2016, macOS Keychain and Android.',
  },
};

/**
 * OpenSSL 3's default for the bag encryption and the MAC. The MAC is the cheapest place to test
 * a guessed password, so raising only the bag count would add nothing.
 */
export const PKCS12_ITERATIONS = 2048;

export interface WritePkcs12Options {
  privateKey: CryptoKey;
  /** DER, the key's certificate first, then its chain. */
  certificates: Bytes[];
  password: string;
  profile: P12Profile;
  /** The alias keytool and Windows show; by default `app-<uuid>` from the certificate, else its CN. */
  friendlyName?: string;
  crypto?: Crypto;
  /** Salts and IVs; injected by tests for byte-exact output. */
  randomBytes?: (length: number) => Bytes;
  iterations?: number;
}

export type Pkcs12WriteError = 'no-certificate' | 'empty-password' | 'key-not-extractable' | 'key-mismatch' | 'self-check-failed';

/** `app-<uuid>` when the certificate carries a DSM app UUID (CN or OID), else its CN, else "appcert". */
export function defaultFriendlyName(certificateDer: Bytes): string {
  try {
    const attributes = pkijs.Certificate.fromBER(certificateDer).subject.typesAndValues;
    const value = (type: string) => attributes.find((a) => a.type === type)?.value.valueBlock.value as string | undefined;
    const appId = [value(OID.commonName), value(OID.dsmAppId)].find((v) => v !== undefined && isUuid(v));
    return appId ? `app-${appId.toLowerCase()}` : (value(OID.commonName) ?? 'appcert');
  } catch {
    return 'appcert';
  }
}

const attribute = (type: string, value: asn1js.BaseBlock) => new pkijs.Attribute({ type, values: [value] });

const certificateBag = (der: Bytes, attributes: pkijs.Attribute[]) =>
  new pkijs.SafeBag({
    bagId: OID.certBag,
    bagValue: new pkijs.CertBag({ parsedValue: pkijs.Certificate.fromBER(der) }),
    bagAttributes: attributes,
  });

const toDer = (value: { toSchema(): asn1js.BaseBlock }): Bytes => new Uint8Array(value.toSchema().toBER(false));

const dataContent = (bytes: Bytes) =>
  new pkijs.ContentInfo({ contentType: OID.pkcs7Data, content: new asn1js.OctetString({ valueHex: bytes }) });

function encryptedDataContent({ algorithm, ciphertext }: Encrypted): pkijs.ContentInfo {
  const encryptedContentInfo = new pkijs.EncryptedContentInfo({
    contentType: OID.pkcs7Data,
    contentEncryptionAlgorithm: algorithm,
    encryptedContent: new asn1js.OctetString({ valueHex: ciphertext }),
    disableSplit: true, // one primitive OCTET STRING (DER), as OpenSSL writes
  });
  return new pkijs.ContentInfo({
    contentType: OID.pkcs7EncryptedData,
    content: new pkijs.EncryptedData({ version: 0, encryptedContentInfo }).toSchema(),
  });
}

/**
 * A PKCS#12 file in the OpenSSL layout: certificates in an encrypted container, the key in a
 * shrouded key bag, friendlyName and localKeyId (SHA-1 of the certificate) on key and leaf, and a
 * password MAC. The file is opened again before it is returned; a failed check is an error, never
 * a broken file.
 */
export async function writePkcs12(options: WritePkcs12Options): Promise<Result<Bytes, Pkcs12WriteError>> {
  const { certificates, password, profile, crypto = globalThis.crypto } = options;
  const random = options.randomBytes ?? ((length: number) => crypto.getRandomValues(new Uint8Array(length)));
  const iterations = options.iterations ?? PKCS12_ITERATIONS;
  if (certificates.length === 0)
    return failure('no-certificate', 'A PKCS#12 file needs the certificate that belongs to the key: add it first.');
  if (password === '')
    return failure(
      'empty-password',
      'Enter a password: many clients refuse a PKCS#12 file without one, and the private key would be readable by anyone holding the file.',
    );
  if (!options.privateKey.extractable)
    return failure(
      'key-not-extractable',
      'The private key cannot be exported from this browser session. Create the key again and export it before leaving the page.',
    );
  const pkcs8 = await exportPkcs8(options.privateKey, crypto);
  try {
    const [leaf] = certificates;
    if (!(await keyMatchesCertificate(pkcs8, leaf, crypto))) {
      return failure(
        'key-mismatch',
        'The private key does not belong to the first certificate. Choose the certificate that was issued for this key.',
      );
    }

    const bmp = bmpPassword(password);
    const encrypt = (plaintext: Bytes): Promise<Encrypted> =>
      profile === 'legacy'
        ? tripleDesPbeEncrypt(plaintext, bmp, { salt: random(8), iterations, crypto })
        : pbes2Encrypt(plaintext, password, { salt: random(16), iv: random(16), iterations, crypto });
    const localKeyId = new Uint8Array(await crypto.subtle.digest('SHA-1', leaf));
    const leafAttributes = [
      attribute(OID.friendlyName, new asn1js.BmpString({ value: options.friendlyName ?? defaultFriendlyName(leaf) })),
      attribute(OID.localKeyId, new asn1js.OctetString({ valueHex: localKeyId })),
    ];
    const certContents = new pkijs.SafeContents({
      safeBags: certificates.map((der, i) => certificateBag(der, i === 0 ? leafAttributes : [])),
    });
    const [certEncrypted, keyEncrypted] = await Promise.all([encrypt(toDer(certContents)), encrypt(pkcs8)]);
    const keyBag = new pkijs.SafeBag({
      bagId: OID.pkcs8ShroudedKeyBag,
      bagValue: new pkijs.PKCS8ShroudedKeyBag({
        encryptionAlgorithm: keyEncrypted.algorithm,
        encryptedData: new asn1js.OctetString({ valueHex: keyEncrypted.ciphertext }),
      }),
      bagAttributes: leafAttributes,
    });
    const authSafe = toDer(
      new pkijs.AuthenticatedSafe({
        safeContents: [encryptedDataContent(certEncrypted), dataContent(toDer(new pkijs.SafeContents({ safeBags: [keyBag] })))],
      }),
    );
    const macHash: KdfHash = profile === 'legacy' ? 'SHA-1' : 'SHA-256';
    const macData = await makeMacData(authSafe, bmp, random(8), iterations, macHash, crypto);
    const der = toDer(new pkijs.PFX({ version: 3, authSafe: dataContent(authSafe), macData }));

    const check = await readPkcs12(der, password, crypto);
    const intact =
      check.ok &&
      check.value.pkcs8 !== null &&
      sameBytes(check.value.pkcs8, pkcs8) &&
      check.value.certificates.length === certificates.length &&
      check.value.certificates.every((c, i) => sameBytes(c, certificates[i]));
    if (!intact) {
      return failure(
        'self-check-failed',
        `The PKCS#12 file did not open correctly when checked${check.ok ? '' : ` (${check.message})`}, so it was not offered. Try again; if it keeps failing, export PEM files instead and report the problem.`,
      );
    }
    return success(der);
  } finally {
    // The plain key existed only to be encrypted; wipe it rather than wait for the collector.
    pkcs8.fill(0);
  }
}
