import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import {
  CLOCK_SKEW_MS,
  createSelfSignedCertificate,
  DEFAULT_VALIDITY_DAYS,
  randomSerial,
  type SelfSignedOptions,
} from '../../src/lib/certificate';
import { toHex } from '../../src/lib/plain/bytes';
import { generateKeyPair, KEY_TYPES, type KeyType } from '../../src/lib/plain/keys';
import { encodeName } from '../../src/lib/name/encode';
import { EMPTY_SUBJECT, subjectAttributes } from '../../src/lib/plain/subject';
import type { AppId } from '../../src/lib/plain/uuid';

// Key generation (RSA-4096 above all) and PBKDF2 take seconds on a busy two-core machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const TYPES = Object.keys(KEY_TYPES) as KeyType[];
const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f' as AppId;
const SUBJECT = subjectAttributes(
  { ...EMPTY_SUBJECT, country: 'US', organization: 'Example, Inc.', commonName: 'payments' },
  APP_ID,
  'oid',
);
const SERIAL = Uint8Array.from({ length: 16 }, (_, i) => 0x41 + i);
const NOW = new Date('2030-01-01T00:05:00.250Z');
const pairs = new Map<KeyType, CryptoKeyPair>();

// Signature algorithms (RFC 4055, RFC 5758), written out here rather than taken from the code under test.
const SIGNATURE: Record<KeyType, { oid: string; nullParams: boolean }> = {
  'rsa-2048': { oid: '1.2.840.113549.1.1.11', nullParams: true },
  'rsa-3072': { oid: '1.2.840.113549.1.1.11', nullParams: true },
  'rsa-4096': { oid: '1.2.840.113549.1.1.11', nullParams: true },
  'ec-p256': { oid: '1.2.840.10045.4.3.2', nullParams: false },
  'ec-p384': { oid: '1.2.840.10045.4.3.3', nullParams: false },
};

beforeAll(async () => {
  for (const type of TYPES) pairs.set(type, await generateKeyPair(type));
});

const issue = (type: KeyType, options: Partial<SelfSignedOptions> = {}) =>
  createSelfSignedCertificate({ keyPair: pairs.get(type)!, keyType: type, subject: SUBJECT, serialNumber: SERIAL, now: NOW, ...options });

const hex = (bytes: ArrayBuffer | Uint8Array) => toHex(new Uint8Array(bytes) as Bytes);

/** The two Validity times as raw DER: universal tag (23 UTCTime, 24 GeneralizedTime) and text. */
function rawValidity(der: Bytes) {
  const certificate = asn1js.fromBER(der).result as asn1js.Sequence;
  const tbs = certificate.valueBlock.value[0] as asn1js.Sequence;
  const validity = tbs.valueBlock.value[4] as asn1js.Sequence;
  return validity.valueBlock.value.map((time) => ({
    tag: time.idBlock.tagNumber,
    text: new TextDecoder().decode((time as asn1js.UTCTime).valueBlock.valueHexView),
  }));
}

/** SHA-1 of the subjectPublicKey BIT STRING contents, read from WebCrypto's own SPKI export. */
async function expectedKeyId(publicKey: CryptoKey): Promise<string> {
  const spki = asn1js.fromBER(await crypto.subtle.exportKey('spki', publicKey)).result as asn1js.Sequence;
  const bits = spki.valueBlock.value[1] as asn1js.BitString;
  return hex(await crypto.subtle.digest('SHA-1', new Uint8Array(bits.valueBlock.valueHexView)));
}

describe.each(TYPES)('a %s self-signed certificate', (type) => {
  let der: Bytes;
  let certificate: pkijs.Certificate;

  beforeAll(async () => {
    der = (await issue(type)).der;
    certificate = pkijs.Certificate.fromBER(der);
  });

  it('is X.509 v3 with the given serial, and its subject is its issuer', () => {
    expect(certificate.version).toBe(2);
    expect(hex(certificate.serialNumber.valueBlock.valueHexView)).toBe(hex(SERIAL));
    const subject = hex(encodeName(SUBJECT).toSchema().toBER(false));
    expect(hex(certificate.subject.toSchema().toBER(false))).toBe(subject);
    expect(hex(certificate.issuer.toSchema().toBER(false))).toBe(subject);
  });

  it('carries the public key exactly as WebCrypto exports it', async () => {
    const spki = await crypto.subtle.exportKey('spki', pairs.get(type)!.publicKey);
    expect(hex(certificate.subjectPublicKeyInfo.toSchema().toBER(false))).toBe(hex(spki));
  });

  it(`is signed with ${SIGNATURE[type].oid}, parameters ${SIGNATURE[type].nullParams ? 'NULL' : 'absent'} (RFC 4055 / RFC 5758)`, async () => {
    for (const algorithm of [certificate.signatureAlgorithm, certificate.signature]) {
      expect(algorithm.algorithmId).toBe(SIGNATURE[type].oid);
      if (SIGNATURE[type].nullParams) expect(algorithm.algorithmParams).toBeInstanceOf(asn1js.Null);
      else expect(algorithm.algorithmParams).toBeUndefined();
    }
    expect(await certificate.verify()).toBe(true);
  });

  it('has exactly the client extensions, in order, with SKI = AKI = SHA-1 of the key', async () => {
    const keyId = await expectedKeyId(pairs.get(type)!.publicKey);
    const keyUsage = KEY_TYPES[type].family === 'RSA' ? '030205a0' : '03020780';
    expect(certificate.extensions?.map((e) => [e.extnID, e.critical, hex(e.extnValue.valueBlock.valueHexView)])).toEqual([
      ['2.5.29.19', true, '3000'], // basicConstraints: CA FALSE (the DER default, so an empty SEQUENCE)
      ['2.5.29.15', true, keyUsage], // digitalSignature (+ keyEncipherment for RSA)
      ['2.5.29.37', false, '300a06082b06010505070302'], // extKeyUsage: clientAuth
      ['2.5.29.14', false, `0414${keyId}`],
      ['2.5.29.35', false, `30168014${keyId}`], // [0] keyIdentifier only
    ]);
  });
});

describe('validity', () => {
  it('starts five minutes before now and ends the chosen days after it, in whole seconds', async () => {
    const issued = await issue('ec-p256');
    expect(CLOCK_SKEW_MS).toBe(5 * 60 * 1000);
    expect(issued.notBefore.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(issued.notAfter.toISOString()).toBe('2031-01-01T00:05:00.000Z');
    expect(DEFAULT_VALIDITY_DAYS).toBe(365);
    expect(rawValidity(issued.der)).toEqual([
      { tag: 23, text: '300101000000Z' },
      { tag: 23, text: '310101000500Z' },
    ]);
    const parsed = pkijs.Certificate.fromBER(issued.der);
    expect(parsed.notBefore.value.toISOString()).toBe(issued.notBefore.toISOString());
    expect(parsed.notAfter.value.toISOString()).toBe(issued.notAfter.toISOString());
  });

  it('honours the days option', async () => {
    const issued = await issue('ec-p256', { days: 30 });
    expect(issued.notAfter.toISOString()).toBe('2030-01-31T00:05:00.000Z');
  });

  it('uses UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280, 4.1.2.5)', async () => {
    const before = await issue('ec-p256', { now: new Date('2049-12-30T23:59:59Z'), days: 1 });
    expect(rawValidity(before.der)).toEqual([
      { tag: 23, text: '491230235459Z' },
      { tag: 23, text: '491231235959Z' },
    ]);
    const after = await issue('ec-p256', { now: new Date('2049-12-31T00:00:00Z'), days: 1 });
    expect(rawValidity(after.der)).toEqual([
      { tag: 23, text: '491230235500Z' },
      { tag: 24, text: '20500101000000Z' },
    ]);
    expect(pkijs.Certificate.fromBER(after.der).notAfter.value.toISOString()).toBe('2050-01-01T00:00:00.000Z');
  });
});

describe('serial numbers', () => {
  /** A Crypto whose random bytes are all the given value; the rest is the real WebCrypto. */
  const fixedRandom = (value: number) =>
    ({
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => (new Uint8Array(array!.buffer).fill(value), array),
      subtle: crypto.subtle,
    }) as Crypto;

  it('are 16 bytes, positive and without a leading zero byte, whatever the random bytes', () => {
    expect(hex(randomSerial(fixedRandom(0xff)))).toBe(`7f${'ff'.repeat(15)}`);
    expect(hex(randomSerial(fixedRandom(0x00)))).toBe(`40${'00'.repeat(15)}`);
  });

  it('are random by default', async () => {
    const a = await issue('ec-p256', { serialNumber: undefined });
    const b = await issue('ec-p256', { serialNumber: undefined });
    expect(a.serialHex).toMatch(/^[4-7][0-9a-f]{31}$/);
    expect(a.serialHex).not.toBe(b.serialHex);
    expect(hex(pkijs.Certificate.fromBER(a.der).serialNumber.valueBlock.valueHexView)).toBe(a.serialHex);
  });

  it('come from the injected crypto', async () => {
    const issued = await issue('ec-p256', { serialNumber: undefined, crypto: fixedRandom(0x00) });
    expect(issued.serialHex).toBe(`40${'00'.repeat(15)}`);
  });
});

// The independent reference, OpenSSL making the same certificate byte for byte, is in
// tests/interop/create.test.ts ("byte-for-byte against OpenSSL").
describe('reproducibility', () => {
  it('gives byte-identical RSA certificates for the same key, serial and clock', async () => {
    const first = await issue('rsa-2048');
    const second = await issue('rsa-2048');
    expect(hex(second.der)).toBe(hex(first.der));
  });

  it('gives identical ECDSA to-be-signed bytes (ECDSA signatures themselves are randomized)', async () => {
    const first = pkijs.Certificate.fromBER((await issue('ec-p384')).der);
    const second = pkijs.Certificate.fromBER((await issue('ec-p384')).der);
    expect(hex(second.tbsView)).toBe(hex(first.tbsView));
    expect(hex(second.signatureValue.valueBlock.valueHexView)).not.toBe(hex(first.signatureValue.valueBlock.valueHexView));
  });
});

describe('subjectAltName', () => {
  it('is added last, DNS names then email addresses, when asked for', async () => {
    const issued = await issue('ec-p256', { altNames: { dns: ['a.example.com'], email: ['t@example.com'] } });
    const extensions = pkijs.Certificate.fromBER(issued.der).extensions!;
    expect(extensions).toHaveLength(6);
    const san = extensions[5];
    expect([san.extnID, san.critical]).toEqual(['2.5.29.17', false]);
    // SEQUENCE { [2] "a.example.com", [1] "t@example.com" }
    expect(hex(san.extnValue.valueBlock.valueHexView)).toBe(
      `301e820d${hex(new TextEncoder().encode('a.example.com'))}810d${hex(new TextEncoder().encode('t@example.com'))}`,
    );
  });

  it('is left out when empty', async () => {
    const issued = await issue('ec-p256', { altNames: { dns: [], email: [] } });
    expect(pkijs.Certificate.fromBER(issued.der).extensions?.map((e) => e.extnID)).not.toContain('2.5.29.17');
  });
});
