/** Key pairs with self-signed DSM client certificates, made by the core, for the PKCS#12 tests. */
import type { Bytes } from '../../src/lib/plain/bytes';
import { createSelfSignedCertificate } from '../../src/lib/certificate';
import { generateKeyPair, type KeyType } from '../../src/lib/plain/keys';
import { exportPkcs8 } from '../../src/lib/privateKey';
import { EMPTY_SUBJECT, subjectAttributes, type Placement } from '../../src/lib/plain/subject';
import type { AppId } from '../../src/lib/plain/uuid';

export const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f' as AppId;

export interface TestIdentity {
  keyType: KeyType;
  keyPair: CryptoKeyPair;
  pkcs8: Bytes;
  certificate: Bytes;
}

export async function makeIdentity(keyType: KeyType, placement: Placement = 'cn', fields = EMPTY_SUBJECT): Promise<TestIdentity> {
  const keyPair = await generateKeyPair(keyType);
  const { der } = await createSelfSignedCertificate({ keyPair, keyType, subject: subjectAttributes(fields, APP_ID, placement) });
  return { keyType, keyPair, pkcs8: await exportPkcs8(keyPair.privateKey), certificate: der };
}

export const hex = (text: string): Bytes => Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
export const toHexString = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
