import type { Bytes } from './plain/bytes';
import * as pkijs from 'pkijs';
import { clientExtensions, keyIdentifier, type AltNames } from './extensions';
import { cryptoEngine } from './engine';
import { signatureHash, type KeyType } from './plain/keys';
import { OID } from './plain/oids';
import { encodeName } from './name/encode';
import type { SubjectAttribute } from './plain/subject';

export interface CsrOptions {
  keyPair: CryptoKeyPair;
  keyType: KeyType;
  subject: SubjectAttribute[];
  /** The subject's DER, written as it is instead of `subject` (renewal keeps a subject byte for byte). */
  subjectName?: Bytes;
  altNames?: AltNames;
  crypto?: Crypto;
}

/**
 * A PKCS#10 request asking the CA for the same subject and extensions a self-signed certificate
 * would have. The authority key id is left to the CA: only it knows its own key.
 */
export async function createCsr(options: CsrOptions): Promise<Bytes> {
  const crypto = options.crypto ?? globalThis.crypto;
  const engine = cryptoEngine(crypto);
  const request = new pkijs.CertificationRequest();
  request.version = 0;
  request.subject = options.subjectName ? pkijs.RelativeDistinguishedNames.fromBER(options.subjectName) : encodeName(options.subject);
  await request.subjectPublicKeyInfo.importKey(options.keyPair.publicKey, engine);
  const extensions = clientExtensions({
    keyType: options.keyType,
    subjectKeyId: await keyIdentifier(request.subjectPublicKeyInfo, crypto),
    altNames: options.altNames,
  });
  request.attributes = [
    new pkijs.Attribute({
      type: OID.extensionRequest,
      values: [new pkijs.Extensions({ extensions }).toSchema()],
    }),
  ];
  await request.sign(options.keyPair.privateKey, signatureHash(options.keyType), engine);
  return new Uint8Array(request.toSchema(true).toBER(false));
}
