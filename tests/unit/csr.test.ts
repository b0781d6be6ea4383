import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { toHex } from '../../src/lib/plain/bytes';
import { createSelfSignedCertificate } from '../../src/lib/certificate';
import { createCsr } from '../../src/lib/csr';
import { generateKeyPair, KEY_TYPES, type KeyType } from '../../src/lib/plain/keys';
import { encodeName } from '../../src/lib/name/encode';
import { EMPTY_SUBJECT, subjectAttributes } from '../../src/lib/plain/subject';
import type { AppId } from '../../src/lib/plain/uuid';

// Key generation (RSA-4096 above all) and PBKDF2 take seconds on a busy two-core machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const TYPES = Object.keys(KEY_TYPES) as KeyType[];
const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f' as AppId;
const SUBJECT = subjectAttributes(
  { ...EMPTY_SUBJECT, country: 'DE', organization: 'Beispiel GmbH', commonName: 'app.example.com' },
  APP_ID,
  'oid',
  'PrintableString',
);
const ALT_NAMES = { dns: ['app.example.com'], email: [] };
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const pairs = new Map<KeyType, CryptoKeyPair>();

beforeAll(async () => {
  for (const type of TYPES) pairs.set(type, await generateKeyPair(type));
});

const hex = (bytes: ArrayBuffer | Uint8Array) => toHex(new Uint8Array(bytes) as Bytes);
const describeExtensions = (extensions: pkijs.Extension[]) =>
  extensions.map((e) => [e.extnID, e.critical, hex(e.extnValue.valueBlock.valueHexView)]);

describe.each(TYPES)('a %s CSR', (type) => {
  let request: pkijs.CertificationRequest;

  beforeAll(async () => {
    const der = await createCsr({ keyPair: pairs.get(type)!, keyType: type, subject: SUBJECT, altNames: ALT_NAMES });
    request = pkijs.CertificationRequest.fromBER(der);
  });

  it('is PKCS#10 v1 with the subject and public key, and its signature verifies', async () => {
    expect(request.version).toBe(0);
    expect(hex(request.subject.toSchema().toBER(false))).toBe(hex(encodeName(SUBJECT).toSchema().toBER(false)));
    expect(hex(request.subjectPublicKeyInfo.toSchema().toBER(false))).toBe(
      hex(await crypto.subtle.exportKey('spki', pairs.get(type)!.publicKey)),
    );
    expect(request.signatureAlgorithm.algorithmId).toBe(
      type === 'ec-p384' ? '1.2.840.10045.4.3.3' : type === 'ec-p256' ? '1.2.840.10045.4.3.2' : '1.2.840.113549.1.1.11',
    );
    expect(await request.verify()).toBe(true);
  });

  it("asks, in one extensionRequest, for the self-signed certificate's extensions except the authority key id", async () => {
    expect(request.attributes?.map((a) => [a.type, a.values.length])).toEqual([[EXTENSION_REQUEST, 1]]);
    const requested = new pkijs.Extensions({ schema: request.attributes![0].values[0] }).extensions;
    const certificate = await createSelfSignedCertificate({
      keyPair: pairs.get(type)!,
      keyType: type,
      subject: SUBJECT,
      altNames: ALT_NAMES,
    });
    const issued = pkijs.Certificate.fromBER(certificate.der).extensions!;
    expect(describeExtensions(requested)).toEqual(describeExtensions(issued.filter((e) => e.extnID !== '2.5.29.35')));
    expect(requested.map((e) => e.extnID)).toEqual(['2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.14', '2.5.29.17']);
  });
});

describe('CSR reproducibility', () => {
  it('gives byte-identical RSA requests for the same key and subject', async () => {
    const make = () => createCsr({ keyPair: pairs.get('rsa-2048')!, keyType: 'rsa-2048', subject: SUBJECT });
    const [first, second] = [await make(), await make()];
    expect(hex(second)).toBe(hex(first));
    // No subjectAltName asked for: the request holds the four fixed extensions only.
    const attribute = pkijs.CertificationRequest.fromBER(first).attributes![0];
    const extensions = asn1js.fromBER(attribute.values[0].toBER(false)).result as asn1js.Sequence;
    expect(extensions.valueBlock.value).toHaveLength(4);
  });
});
