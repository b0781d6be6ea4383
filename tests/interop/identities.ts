/** appcert identities for tests: what the Create screen makes, through the same core. */
import { createIdentity, type CreateDeps, type CreatedIdentity, type CreateRequest } from '../../src/lib/create';
import { writePkcs12, type P12Profile } from '../../src/lib/pkcs12';
import { NO_ALT_NAMES } from '../../src/lib/plain/altNames';
import type { Bytes } from '../../src/lib/plain/bytes';
import { EMPTY_SUBJECT } from '../../src/lib/plain/subject';

export const APP_A = 'da7f2800-4122-4681-aebf-90beb779b73f';
export const APP_B = 'acc15bf3-e626-47aa-9373-7b08b3f26ee8';
export const APP_C = '5b0e7b8e-2f43-4c37-9d39-3f1b2c6f8a10';

/** A request like the Create screen's defaults (EC P-256 to keep tests fast), with changes. */
export const request = (changes: Partial<CreateRequest> = {}): CreateRequest => ({
  appId: APP_A,
  placement: 'cn',
  oidStringType: 'UTF8String',
  subject: { ...EMPTY_SUBJECT, organization: 'Example Corp', commonName: 'payments.example.com' },
  keyType: 'ec-p256',
  mode: 'self-signed',
  days: 30,
  altNames: NO_ALT_NAMES,
  keyPassword: 'correct horse battery',
  ...changes,
});

/** createIdentity that fails the test loudly when the request is refused. */
export async function identity(changes: Partial<CreateRequest> = {}, deps: CreateDeps = {}): Promise<CreatedIdentity> {
  const created = await createIdentity(request(changes), deps);
  if (!created.ok) throw new Error(`createIdentity refused the request: ${JSON.stringify(created.problems)}`);
  return created.value;
}

/** The identity's key and certificate as a PKCS#12 file, as the Create screen exports it. */
export async function pkcs12Of(made: CreatedIdentity, password: string, profile: P12Profile = 'modern'): Promise<Bytes> {
  const p12 = await writePkcs12({ privateKey: made.keyPair.privateKey, certificates: [made.certificate?.der as Bytes], password, profile });
  if (!p12.ok) throw new Error(p12.message);
  return p12.value;
}
