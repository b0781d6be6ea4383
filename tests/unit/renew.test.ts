import { describe, expect, it, vi } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { WORK_LIMITS, WorkBudget } from '../../src/lib/budget';
import { exportPkcs8 } from '../../src/lib/privateKey';
import { keyFromFile, readExisting, renewalRequest, renewIdentity, type ExistingCertificate } from '../../src/lib/renew';
import { APP_A, APP_B, identity, pkcs12Of } from '../interop/identities';

vi.setConfig({ testTimeout: 30_000 });

const P12_PASSWORD = 'p12 password for tests';
const KEY_PASSWORD = 'correct horse battery';
const enc = (text: string) => new TextEncoder().encode(text) as Bytes;

async function existing(bytes: Bytes, password?: string): Promise<ExistingCertificate> {
  const read = await readExisting({ name: 'old.crt', bytes, password });
  if (!read.ok) throw new Error(read.message);
  return read.value;
}

const spki = async (key: CryptoKey) => Buffer.from(await crypto.subtle.exportKey('spki', key)).toString('hex');

describe('readExisting', () => {
  it('carries IP addresses among the alternative names into the renewal, as iPAddress entries', async () => {
    const old = await identity({ altNames: { dns: ['a.example.com'], email: [], ip: ['10.0.0.7', '2001:db8::1'] } });
    const read = await existing(old.certificate?.der as Bytes);
    expect(read.altNames).toEqual({ dns: ['a.example.com'], email: [], ip: ['10.0.0.7', '2001:DB8:0:0:0:0:0:1'] });
    const renewed = await renewIdentity(read, { mode: 'self-signed', keyPassword: null });
    expect(renewed.ok && (await existing(renewed.value.identity.certificate?.der as Bytes)).altNames).toEqual(read.altNames);
  });

  it('charges its work to a budget: a .p12 asking for more key derivation than allowed is too-much-work, not a hang', async () => {
    const old = await identity({ keyType: 'ec-p256' });
    const p12 = await pkcs12Of(old, P12_PASSWORD, 'modern');
    const budget = new WorkBudget({ ...WORK_LIMITS, 'key-derivation': 1_000 });
    const read = await readExisting({ name: 'old.p12', bytes: p12, password: P12_PASSWORD }, crypto, budget);
    expect(read).toMatchObject({ ok: false, code: 'too-much-work' });
    expect(budget.used['key-derivation']).toBeLessThanOrEqual(1_000);
  });

  it('reads what the renewal keeps: subject, placement, names, key type, validity, and the old certificate facts', async () => {
    const old = await identity({
      placement: 'oid',
      keyType: 'ec-p384',
      days: 200,
      altNames: { dns: ['a.example.com'], email: ['ops@example.com'] },
    });
    const read = await existing(enc(old.certificate?.pem ?? ''));
    expect(read).toMatchObject({
      appId: APP_A,
      placement: 'oid',
      oidStringType: 'UTF8String',
      keyType: 'ec-p384',
      days: 200,
      subjectLine: old.subjectLine,
      altNames: { dns: ['a.example.com'], email: ['ops@example.com'] },
      serialNumber: old.certificate?.serialHex,
      selfSigned: true,
      keyPair: null,
      fields: { organization: 'Example Corp', commonName: 'payments.example.com' },
    });
    expect(read.notAfter).toEqual(old.certificate?.notAfter);
    expect(read.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('takes the key from a .p12 (wrong password: a stable code)', async () => {
    const old = await identity({ keyType: 'ec-p256' });
    const p12 = await pkcs12Of(old, P12_PASSWORD, 'legacy');
    const read = await existing(p12, P12_PASSWORD);
    expect(read.keyPair).not.toBeNull();
    expect(await spki(read.keyPair?.publicKey as CryptoKey)).toBe(await spki(old.keyPair.publicKey));
    expect(await readExisting({ name: 'old.p12', bytes: p12, password: 'wrong' })).toMatchObject({
      ok: false,
      code: 'wrong-password',
    });
  });

  it('refuses a CSR and garbage with what to choose instead', async () => {
    const csr = await identity({ mode: 'csr' });
    expect(await readExisting({ name: 'old.csr', bytes: enc(csr.csrPem ?? '') })).toMatchObject({
      ok: false,
      code: 'no-certificate',
      message: expect.stringContaining('a certificate request (CSR), not a certificate'),
    });
    expect(await readExisting({ name: 'notes.txt', bytes: enc('hello') })).toMatchObject({ ok: false, code: 'not-a-certificate' });
  });
});

describe('renewalRequest and renewIdentity', () => {
  it('fills the Create request the way the old certificate was made, with the subject kept verbatim', async () => {
    const old = await identity({ placement: 'cn', keyType: 'ec-p256', days: 90 });
    const read = await existing(old.certificate?.der as Bytes);
    const request = renewalRequest(read, { mode: 'csr', keyPassword: null });
    expect(request).toMatchObject({
      ok: true,
      value: {
        appId: APP_A,
        placement: 'cn',
        keyType: 'ec-p256',
        mode: 'csr',
        days: 90,
        keptSubject: { der: read.subjectDer, line: old.subjectLine },
      },
    });
  });

  it('needs the UUID for a certificate without one, and refuses one that contradicts the certificate', async () => {
    const none = await existing((await identity({ placement: 'none' })).certificate?.der as Bytes);
    expect(renewalRequest(none, { mode: 'self-signed', keyPassword: null })).toMatchObject({ ok: false, code: 'app-id-needed' });
    expect(renewalRequest(none, { mode: 'self-signed', keyPassword: null, appId: APP_B.toUpperCase() })).toMatchObject({
      ok: true,
      value: { appId: APP_B, placement: 'none' },
    });
    const cn = await existing((await identity({ placement: 'cn' })).certificate?.der as Bytes);
    expect(renewalRequest(cn, { mode: 'self-signed', keyPassword: null, appId: APP_B })).toMatchObject({
      ok: false,
      code: 'app-id-mismatch',
      message: expect.stringContaining(`for app ${APP_A}, not ${APP_B}`),
    });
    expect(renewalRequest(cn, { mode: 'self-signed', keyPassword: null, appId: 'nope' })).toMatchObject({
      ok: false,
      code: 'malformed-uuid',
    });
  });

  it('makes a new key by default, of the old type; keeps the current one when given', async () => {
    const old = await identity({ keyType: 'ec-p256' });
    const read = await existing(old.certificate?.der as Bytes);
    const fresh = await renewIdentity(read, { mode: 'self-signed', keyPassword: null });
    if (!fresh.ok) throw new Error(fresh.message);
    expect(fresh.value.keptKey).toBe(false);
    expect(await spki(fresh.value.identity.keyPair.publicKey)).not.toBe(await spki(old.keyPair.publicKey));
    expect(fresh.value.renewedFrom).toEqual({
      serialNumber: old.certificate?.serialHex,
      notAfter: old.certificate?.notAfter.toISOString(),
      sha256: read.sha256,
    });

    const kept = await renewIdentity(read, { mode: 'self-signed', keyPassword: null, keyPair: old.keyPair });
    if (!kept.ok) throw new Error(kept.message);
    expect(kept.value.keptKey).toBe(true);
    expect(await spki(kept.value.identity.keyPair.publicKey)).toBe(await spki(old.keyPair.publicKey));
    expect(await renewIdentity(read, { mode: 'self-signed', keyPassword: null, keyPair: old.keyPair, keyType: 'rsa-2048' })).toMatchObject({
      ok: false,
      code: 'key-type-mismatch',
    });
  });
});

describe('keyFromFile', () => {
  it('accepts the key saved with the certificate and refuses another one', async () => {
    const old = await identity({ keyType: 'ec-p256', keyPassword: KEY_PASSWORD });
    const read = await existing(old.certificate?.der as Bytes);
    const key = await keyFromFile(read, old.privateKeyPem, KEY_PASSWORD);
    expect(key.ok).toBe(true);
    expect(await keyFromFile(read, old.privateKeyPem, 'wrong password')).toMatchObject({ ok: false, code: 'wrong-password' });
    const other = await identity({ keyType: 'ec-p256', keyPassword: null });
    expect(await keyFromFile(read, other.privateKeyPem, '')).toMatchObject({
      ok: false,
      code: 'key-mismatch',
      message: expect.stringContaining('does not belong to the certificate being renewed'),
    });
    // A plain PKCS#8 of the right key also works.
    const plain = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await exportPkcs8(old.keyPair.privateKey)).toString('base64')}\n-----END PRIVATE KEY-----\n`;
    expect((await keyFromFile(read, plain, '')).ok).toBe(true);
  });

  it("charges the key file's PBKDF2 iterations to the work budget, refusing before deriving past it", async () => {
    const old = await identity({ keyType: 'ec-p256', keyPassword: KEY_PASSWORD });
    const read = await existing(old.certificate?.der as Bytes);
    const budget = new WorkBudget();
    expect((await keyFromFile({ der: read.der }, old.privateKeyPem, KEY_PASSWORD, crypto, budget)).ok).toBe(true);
    const spent = budget.used['key-derivation'];
    expect(spent).toBeGreaterThan(0);
    const small = new WorkBudget({ ...WORK_LIMITS, 'key-derivation': spent - 1 });
    expect(await keyFromFile(read, old.privateKeyPem, KEY_PASSWORD, crypto, small)).toMatchObject({ ok: false, code: 'too-much-work' });
    expect(small.used['key-derivation']).toBe(0);
  });
});
