import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WorkBudget } from '../../src/lib/budget';
import type { Bytes } from '../../src/lib/plain/bytes';
import { toHex } from '../../src/lib/plain/bytes';
import { generateKeyPair, KEY_TYPES, type KeyType } from '../../src/lib/plain/keys';
import { DEFAULT_PBKDF2_ITERATIONS } from '../../src/lib/pbes2';
import { parsePem } from '../../src/lib/pem';
import {
  decryptPkcs8,
  encryptedPrivateKeyPem,
  encryptPkcs8,
  exportPkcs8,
  importPkcs8,
  pkcs8KeyType,
  privateKeyPem,
} from '../../src/lib/privateKey';

// Key generation (RSA-4096 above all) and PBKDF2 take seconds on a busy two-core machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const TYPES = Object.keys(KEY_TYPES) as KeyType[];
const keys = new Map<KeyType, Bytes>();
const FAST = { iterations: 1000 }; // the default 600 000 is tested once below
const SALT = Uint8Array.from({ length: 16 }, (_, i) => i);
const IV = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i);

beforeAll(async () => {
  for (const type of TYPES) keys.set(type, await exportPkcs8((await generateKeyPair(type)).privateKey));
});

const hex = (bytes: Uint8Array) => toHex(new Uint8Array(bytes) as Bytes);
const pkcs8Of = async (algorithm: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm) => {
  const pair = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
};

describe('encryptPkcs8 and decryptPkcs8', () => {
  it.each(TYPES)('round-trip a %s key', async (type) => {
    const pkcs8 = keys.get(type)!;
    const encrypted = await encryptPkcs8(pkcs8, 'correct horse battery staple', FAST);
    expect(hex(encrypted)).not.toContain(hex(pkcs8.subarray(-32)));
    const decrypted = await decryptPkcs8(encrypted, 'correct horse battery staple');
    expect(decrypted.ok && hex(decrypted.value)).toBe(hex(pkcs8));
  });

  it('writes EncryptedPrivateKeyInfo with PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC', async () => {
    const encrypted = await encryptPkcs8(keys.get('ec-p256')!, 'pw', { ...FAST, salt: SALT, iv: IV });
    const info = pkijs.PKCS8ShroudedKeyBag.fromBER(encrypted);
    expect(info.encryptionAlgorithm.algorithmId).toBe('1.2.840.113549.1.5.13');
    const params = new pkijs.PBES2Params({ schema: info.encryptionAlgorithm.algorithmParams });
    const kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
    expect(params.keyDerivationFunc.algorithmId).toBe('1.2.840.113549.1.5.12');
    expect(hex((kdf.salt as asn1js.OctetString).valueBlock.valueHexView)).toBe(hex(SALT));
    expect(kdf.iterationCount).toBe(1000);
    expect(kdf.prf?.algorithmId).toBe('1.2.840.113549.2.9');
    expect(params.encryptionScheme.algorithmId).toBe('2.16.840.1.101.3.4.1.42');
    expect(hex((params.encryptionScheme.algorithmParams as asn1js.OctetString).valueBlock.valueHexView)).toBe(hex(IV));
    // Same inputs, same bytes: the salt and IV are the only randomness.
    expect(hex(await encryptPkcs8(keys.get('ec-p256')!, 'pw', { ...FAST, salt: SALT, iv: IV }))).toBe(hex(encrypted));
  });

  it(`uses ${DEFAULT_PBKDF2_ITERATIONS} PBKDF2 iterations and random salt and IV by default`, async () => {
    const [a, b] = [await encryptPkcs8(keys.get('ec-p256')!, 'pw'), await encryptPkcs8(keys.get('ec-p256')!, 'pw')];
    const kdf = (der: Bytes) => {
      const params = new pkijs.PBES2Params({ schema: pkijs.PKCS8ShroudedKeyBag.fromBER(der).encryptionAlgorithm.algorithmParams });
      return new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
    };
    expect(DEFAULT_PBKDF2_ITERATIONS).toBe(600_000);
    expect(kdf(a).iterationCount).toBe(600_000);
    expect(hex((kdf(a).salt as asn1js.OctetString).valueBlock.valueHexView)).not.toBe(
      hex((kdf(b).salt as asn1js.OctetString).valueBlock.valueHexView),
    );
    expect(hex(a)).not.toBe(hex(b));
  });

  it('handles a non-ASCII password as UTF-8', async () => {
    const encrypted = await encryptPkcs8(keys.get('ec-p256')!, 'pässwörd 🔑', FAST);
    expect((await decryptPkcs8(encrypted, 'pässwörd 🔑')).ok).toBe(true);
    expect(await decryptPkcs8(encrypted, 'passwort 🔑')).toMatchObject({ ok: false, code: 'wrong-password' });
  });

  it.each(['wrong', '', 'correct horse battery staplE', ' correct horse battery staple'])(
    'refuses the password %j with code wrong-password',
    async (password) => {
      const encrypted = await encryptPkcs8(keys.get('rsa-2048')!, 'correct horse battery staple', FAST);
      expect(await decryptPkcs8(encrypted, password)).toEqual({
        ok: false,
        code: 'wrong-password',
        message:
          'The password is wrong: the file could not be decrypted with it. Check for typing mistakes, caps lock and keyboard layout.',
      });
    },
  );

  it('says when the bytes are not an encrypted key at all', async () => {
    for (const der of [new Uint8Array([1, 2, 3]), keys.get('ec-p256')!]) {
      expect(await decryptPkcs8(der as Bytes, 'pw')).toEqual({
        ok: false,
        code: 'not-a-key',
        message: 'This is not an encrypted private key (PKCS#8).',
      });
    }
  });

  it('refuses, at once, a file that asks for more PBKDF2 iterations than a page can compute', async () => {
    const info = pkijs.PKCS8ShroudedKeyBag.fromBER(await encryptPkcs8(keys.get('ec-p256')!, 'pw', FAST));
    const params = new pkijs.PBES2Params({ schema: info.encryptionAlgorithm.algorithmParams });
    const kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
    kdf.iterationCount = 2_000_000_000; // hours of PBKDF2: a hung page, not a slow one
    params.keyDerivationFunc.algorithmParams = kdf.toSchema();
    info.encryptionAlgorithm.algorithmParams = params.toSchema();
    const budget = new WorkBudget();
    const outcome = await decryptPkcs8(new Uint8Array(info.toSchema().toBER(false)), 'pw', crypto, budget);
    expect(outcome).toMatchObject({
      ok: false,
      code: 'too-much-work',
      message: expect.stringContaining('2,000,000,000 PBKDF2-HMAC-SHA-256 iterations'),
    });
    expect(budget.used['key-derivation']).toBe(0); // refused before WebCrypto started
  });

  it('names an encryption other than PBES2 as unsupported', async () => {
    // PKCS#12's legacy pbeWithSHAAnd3-KeyTripleDES-CBC, as old OpenSSL wrote keys.
    const legacy = new pkijs.PKCS8ShroudedKeyBag({
      encryptionAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: '1.2.840.113549.1.12.1.3',
        algorithmParams: new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: SALT }), new asn1js.Integer({ value: 2048 })] }),
      }),
      encryptedData: new asn1js.OctetString({ valueHex: new Uint8Array(64) }),
    });
    const outcome = await decryptPkcs8(new Uint8Array(legacy.toSchema().toBER(false)), 'pw');
    expect(outcome).toMatchObject({
      ok: false,
      code: 'unsupported-encryption',
      message: expect.stringContaining('1.2.840.113549.1.12.1.3'),
    });
    if (!outcome.ok) expect(outcome.message).toContain('openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out new.key');
  });
});

describe('PEM of private keys', () => {
  it('labels plain and encrypted keys as OpenSSL does', async () => {
    const plain = parsePem(privateKeyPem(keys.get('ec-p256')!));
    expect(plain.ok && plain.value.map((b) => b.label)).toEqual(['PRIVATE KEY']);
    const encrypted = parsePem(encryptedPrivateKeyPem(await encryptPkcs8(keys.get('ec-p256')!, 'pw', FAST)));
    expect(encrypted.ok && encrypted.value.map((b) => b.label)).toEqual(['ENCRYPTED PRIVATE KEY']);
  });
});

describe('pkcs8KeyType', () => {
  it.each(TYPES)('recognises a %s key', (type) => {
    expect(pkcs8KeyType(keys.get(type)!)).toBe(type);
  });

  it.each([
    ['RSA-1024', { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }],
    ['P-521', { name: 'ECDSA', namedCurve: 'P-521' }],
    ['Ed25519', { name: 'Ed25519' }],
  ])('returns null for a %s key, which appcert does not make', async (_, algorithm) => {
    expect(pkcs8KeyType(await pkcs8Of(algorithm))).toBeNull();
  });

  it('returns null for bytes that are not PKCS#8', () => {
    expect(pkcs8KeyType(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toBeNull();
    expect(pkcs8KeyType(new Uint8Array(0))).toBeNull();
  });
});

describe('importPkcs8', () => {
  it.each(TYPES)('makes a %s signing key that matches the exported one', async (type) => {
    const key = await importPkcs8(keys.get(type)!, type);
    expect(key.usages).toEqual(['sign']);
    expect(hex(new Uint8Array(await crypto.subtle.exportKey('pkcs8', key)))).toBe(hex(keys.get(type)!));
  });
});
