import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { WorkBudget } from '../../src/lib/budget';
import { keyMatchesCertificate } from '../../src/lib/keyMatch';
import { readPkcs12, writePkcs12, type P12Profile } from '../../src/lib/pkcs12';
import { OID } from '../../src/lib/plain/oids';
import { EMPTY_SUBJECT } from '../../src/lib/plain/subject';
import { APP_ID, makeIdentity, type TestIdentity } from './pkcs12-identity';

// A legacy round trip is some 20,000 sequential WebCrypto digests: slow when the machine is busy.
vi.setConfig({ testTimeout: 30_000 });

const PASSWORD = 'correct horse battery staple';
const PROFILES: P12Profile[] = ['modern', 'legacy'];
let rsa: TestIdentity;
let ec: TestIdentity;
let ecOid: TestIdentity;

beforeAll(async () => {
  [rsa, ec, ecOid] = await Promise.all([makeIdentity('rsa-2048'), makeIdentity('ec-p256'), makeIdentity('ec-p384', 'oid')]);
});

const write = (identity: TestIdentity, profile: P12Profile, extra: Partial<Parameters<typeof writePkcs12>[0]> = {}) =>
  writePkcs12({ privateKey: identity.keyPair.privateKey, certificates: [identity.certificate], password: PASSWORD, profile, ...extra });

async function written(identity: TestIdentity, profile: P12Profile): Promise<Bytes> {
  const result = await write(identity, profile);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('keyMatchesCertificate', () => {
  it('accepts the key of the certificate and refuses any other', async () => {
    expect(await keyMatchesCertificate(rsa.pkcs8, rsa.certificate)).toBe(true);
    expect(await keyMatchesCertificate(ec.pkcs8, ec.certificate)).toBe(true);
    expect(await keyMatchesCertificate(ecOid.pkcs8, ecOid.certificate)).toBe(true);
    const other = await makeIdentity('rsa-2048');
    expect(await keyMatchesCertificate(other.pkcs8, rsa.certificate)).toBe(false);
    expect(await keyMatchesCertificate(ec.pkcs8, ecOid.certificate)).toBe(false); // P-256 key, P-384 certificate
    expect(await keyMatchesCertificate(rsa.pkcs8, ec.certificate)).toBe(false);
  });

  it('says no, without throwing, to bytes that are not a key or a certificate', async () => {
    expect(await keyMatchesCertificate(new Uint8Array([48, 3, 2, 1, 0]), rsa.certificate)).toBe(false);
    expect(await keyMatchesCertificate(rsa.pkcs8, new Uint8Array(10))).toBe(false);
  });
});

describe.each(PROFILES)('writePkcs12 then readPkcs12, %s profile', (profile) => {
  it.each(['rsa', 'ec', 'ecOid'] as const)('round-trips the %s key, certificate and alias', async (which) => {
    const identity = { rsa, ec, ecOid }[which];
    const contents = await readPkcs12(await written(identity, profile), PASSWORD);
    expect(contents.ok).toBe(true);
    if (!contents.ok) return;
    expect(contents.value.pkcs8).toEqual(identity.pkcs8);
    expect(contents.value.certificates).toEqual([identity.certificate]);
    expect(contents.value.friendlyName).toBe(`app-${APP_ID}`);
    expect(contents.value.legacy).toBe(profile === 'legacy');
    expect(contents.value.algorithms).toEqual(
      profile === 'modern'
        ? {
            mac: 'HMAC-SHA-256, 2048 iterations',
            keyBag: 'PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC, 2048 iterations)',
            certBag: 'PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC, 2048 iterations)',
          }
        : {
            mac: 'HMAC-SHA-1, 2048 iterations',
            keyBag: 'pbeWithSHAAnd3-KeyTripleDES-CBC (2048 iterations)',
            certBag: 'pbeWithSHAAnd3-KeyTripleDES-CBC (2048 iterations)',
          },
    );
  });

  it('refuses a wrong password with wrong-password', async () => {
    const result = await readPkcs12(await written(rsa, profile), `${PASSWORD}!`);
    expect(result).toMatchObject({ ok: false, code: 'wrong-password', message: expect.stringMatching(/password is wrong/) });
  });

  it('detects a changed MAC and a changed byte in the protected content', async () => {
    const file = await written(ec, profile);
    const badMac = file.slice();
    badMac[badMac.length - 20] ^= 0x01; // inside the MAC digest, which precedes the salt and count
    const badContent = file.slice();
    badContent[200] ^= 0x01;
    expect(await readPkcs12(badMac, PASSWORD)).toMatchObject({ ok: false, code: 'wrong-password' });
    expect((await readPkcs12(badContent, PASSWORD)).ok).toBe(false);
  });

  it('keeps the chain after the leaf, in order, and uses a given alias', async () => {
    const ca = await makeIdentity('ec-p256', 'none', { ...EMPTY_SUBJECT, commonName: 'Test CA' });
    const result = await write(rsa, profile, { certificates: [rsa.certificate, ca.certificate], friendlyName: 'my-app' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const contents = await readPkcs12(result.value, PASSWORD);
    expect(contents.ok && contents.value.certificates).toEqual([rsa.certificate, ca.certificate]);
    expect(contents.ok && contents.value.friendlyName).toBe('my-app');
  });

  it('handles a password beyond ASCII', async () => {
    const password = 'pässwörd-🔑-密码';
    const result = await write(ec, profile, { password });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect((await readPkcs12(result.value, password)).ok).toBe(true);
    expect(await readPkcs12(result.value, 'passwort')).toMatchObject({ ok: false, code: 'wrong-password' });
  });
});

describe('writePkcs12 refusals', () => {
  it('refuses a key that does not belong to the certificate', async () => {
    const result = await writePkcs12({
      privateKey: rsa.keyPair.privateKey,
      certificates: [ec.certificate],
      password: PASSWORD,
      profile: 'modern',
    });
    expect(result).toMatchObject({ ok: false, code: 'key-mismatch', message: expect.stringMatching(/does not belong/) });
  });

  it('refuses an empty password and a missing certificate', async () => {
    expect(await write(rsa, 'modern', { password: '' })).toMatchObject({ ok: false, code: 'empty-password' });
    expect(await write(rsa, 'legacy', { certificates: [] })).toMatchObject({ ok: false, code: 'no-certificate' });
  });

  it('refuses a key the browser will not export', async () => {
    const locked = await crypto.subtle.importKey('pkcs8', rsa.pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    expect(await writePkcs12({ privateKey: locked, certificates: [rsa.certificate], password: PASSWORD, profile: 'modern' })).toMatchObject(
      { ok: false, code: 'key-not-extractable' },
    );
  });

  it('does not offer a file that fails its own re-opening (MAC differs on the check)', async () => {
    // A WebCrypto whose HMAC goes wrong after the first use: the written MAC no longer verifies.
    let macs = 0;
    const subtle = new Proxy(crypto.subtle, {
      get(target, name) {
        const value = Reflect.get(target, name, target) as (...args: unknown[]) => unknown;
        if (name !== 'sign') return typeof value === 'function' ? value.bind(target) : value;
        return async (algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource) => {
          const signature = new Uint8Array(await target.sign(algorithm, key, data));
          if (key.algorithm.name === 'HMAC' && macs++ > 0) signature[0] ^= 1;
          return signature.buffer;
        };
      },
    });
    const flaky = { getRandomValues: crypto.getRandomValues.bind(crypto), subtle } as Crypto;
    const result = await write(rsa, 'modern', { crypto: flaky });
    expect(result).toMatchObject({ ok: false, code: 'self-check-failed', message: expect.stringMatching(/not offered/) });
  });
});

describe('writePkcs12 with injected randomness', () => {
  it('writes the same bytes for the same salts, IVs and key (reproducible tests)', async () => {
    const randomBytes = (length: number) => new Uint8Array(length).fill(7);
    const [a, b] = [await write(ec, 'legacy', { randomBytes }), await write(ec, 'legacy', { randomBytes })];
    expect(a.ok && b.ok && a.value).toEqual(b.ok && b.value);
  });
});

describe('readPkcs12 on what is not PKCS#12', () => {
  it.each([
    ['empty input', new Uint8Array(0)],
    ['random bytes', crypto.getRandomValues(new Uint8Array(300))],
    ['PEM text', new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')],
    ['a bare SEQUENCE', new Uint8Array([0x30, 0x00])],
  ])('%s is not-pkcs12', async (_, bytes) => {
    expect(await readPkcs12(bytes, PASSWORD)).toMatchObject({
      ok: false,
      code: 'not-pkcs12',
      message: expect.stringMatching(/not a PKCS#12/),
    });
  });

  it('a certificate is not-pkcs12', async () => {
    expect(await readPkcs12(rsa.certificate, PASSWORD)).toMatchObject({ ok: false, code: 'not-pkcs12' });
  });

  it('computes a MAC of 600,000 iterations (as NSS writes) within the budget, counted', async () => {
    const pfx = pkijs.PFX.fromBER(await written(rsa, 'legacy'));
    pfx.macData!.iterations = 600_000;
    const budget = new WorkBudget();
    const result = await readPkcs12(new Uint8Array(pfx.toSchema().toBER(false)), PASSWORD, crypto, budget);
    // The MAC was made for 2048 iterations, so it cannot match at 600,000.
    expect(result).toMatchObject({ ok: false, code: 'wrong-password' });
    expect(budget.used['key-derivation']).toBe(600_000);
  });

  it.each([10_000_000, 2 ** 31 - 1])('refuses a file asking for %i MAC iterations before computing any', async (iterations) => {
    const pfx = pkijs.PFX.fromBER(await written(rsa, 'legacy'));
    pfx.macData!.iterations = iterations;
    const budget = new WorkBudget();
    const result = await readPkcs12(new Uint8Array(pfx.toSchema().toBER(false)), PASSWORD, crypto, budget);
    expect(result).toMatchObject({
      ok: false,
      code: 'too-much-work',
      message: expect.stringContaining(`${iterations.toLocaleString('en-US')} HMAC-SHA-1 key-derivation iterations`),
    });
    expect(budget.used['key-derivation']).toBe(0);
  });

  it('names a PBMAC1 integrity check (OpenSSL 3.4+) as unsupported', async () => {
    const pfx = pkijs.PFX.fromBER(await written(ec, 'modern'));
    pfx.macData!.mac.digestAlgorithm.algorithmId = OID.pbmac1;
    const result = await readPkcs12(new Uint8Array(pfx.toSchema().toBER(false)), PASSWORD);
    expect(result).toMatchObject({ ok: false, code: 'unsupported-encryption', message: expect.stringMatching(/PBMAC1.*openssl pkcs12/) });
  });

  it('never throws on a cut-short or damaged file', async () => {
    const file = await written(rsa, 'modern');
    const damaged = [10, 100, 500, file.length - 1].map((n) => file.slice(0, n));
    for (const bytes of damaged) {
      const result = await readPkcs12(bytes, PASSWORD);
      expect(result.ok).toBe(false);
    }
  });
});
