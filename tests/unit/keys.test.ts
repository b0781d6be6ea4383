import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_KEY_TYPE,
  generateKeyPair,
  isKeyType,
  KEY_TYPES,
  keyAlgorithm,
  signatureHash,
  type KeyType,
} from '../../src/lib/plain/keys';

// Key generation (RSA-4096 above all) and PBKDF2 take seconds on a busy two-core machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const TYPES = Object.keys(KEY_TYPES) as KeyType[];
const pairs = new Map<KeyType, CryptoKeyPair>();

// RSA-4096 takes seconds: each type is generated once for the whole file.
beforeAll(async () => {
  for (const type of TYPES) pairs.set(type, await generateKeyPair(type));
});

const EXPECTED: Record<KeyType, { algorithm: object; hash: string; signatureBytes: number | null }> = {
  'rsa-2048': { algorithm: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048 }, hash: 'SHA-256', signatureBytes: 256 },
  'rsa-3072': { algorithm: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 3072 }, hash: 'SHA-256', signatureBytes: 384 },
  'rsa-4096': { algorithm: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 4096 }, hash: 'SHA-256', signatureBytes: 512 },
  // WebCrypto ECDSA signatures are r || s, each the size of the curve.
  'ec-p256': { algorithm: { name: 'ECDSA', namedCurve: 'P-256' }, hash: 'SHA-256', signatureBytes: 64 },
  'ec-p384': { algorithm: { name: 'ECDSA', namedCurve: 'P-384' }, hash: 'SHA-384', signatureBytes: 96 },
};

describe.each(TYPES)('%s', (type) => {
  it('generates a key pair of that kind, with a private key the user can download', () => {
    const pair = pairs.get(type)!;
    expect(pair.privateKey.algorithm).toMatchObject(EXPECTED[type].algorithm);
    expect(pair.publicKey.algorithm).toMatchObject(EXPECTED[type].algorithm);
    expect(pair.privateKey.extractable).toBe(true);
    expect(pair.privateKey.usages).toEqual(['sign']);
    if (type.startsWith('rsa')) {
      expect(pair.publicKey.algorithm).toMatchObject({ hash: { name: 'SHA-256' }, publicExponent: new Uint8Array([1, 0, 1]) });
    }
  });

  it(`signs with ${EXPECTED[type].hash} and the signature verifies`, async () => {
    const pair = pairs.get(type)!;
    expect(signatureHash(type)).toBe(EXPECTED[type].hash);
    const algorithm = type.startsWith('ec') ? { name: 'ECDSA', hash: signatureHash(type) } : { name: 'RSASSA-PKCS1-v1_5' };
    const data = new TextEncoder().encode('POST /sys/v1/session/auth');
    const signature = await crypto.subtle.sign(algorithm, pair.privateKey, data);
    expect(signature.byteLength).toBe(EXPECTED[type].signatureBytes);
    expect(await crypto.subtle.verify(algorithm, pair.publicKey, signature, data)).toBe(true);
    expect(await crypto.subtle.verify(algorithm, pair.publicKey, signature, new TextEncoder().encode('tampered'))).toBe(false);
  });

  it('has WebCrypto parameters that import its own PKCS#8 export', async () => {
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', pairs.get(type)!.privateKey);
    const imported = await crypto.subtle.importKey('pkcs8', pkcs8, keyAlgorithm(type), false, ['sign']);
    expect(imported.algorithm).toMatchObject(EXPECTED[type].algorithm);
  });
});

describe('key type names', () => {
  it('defaults to RSA-2048 and knows exactly the five types', () => {
    expect(DEFAULT_KEY_TYPE).toBe('rsa-2048');
    expect(TYPES).toEqual(['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384']);
    expect(TYPES.every(isKeyType)).toBe(true);
    expect(['rsa-1024', 'ec-p521', 'ed25519', 'RSA-2048', 'toString', '__proto__', ''].some(isKeyType)).toBe(false);
  });
});
