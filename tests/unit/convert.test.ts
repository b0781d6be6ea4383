import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { encryptedKeyPem, openPkcs12 } from '../../src/lib/convert';
import { keyMatchesCertificate } from '../../src/lib/keyMatch';
import { parsePem } from '../../src/lib/pem';
import { decryptPkcs8 } from '../../src/lib/privateKey';
import { openssl, run, tempDir, type TempDir } from '../interop/tools';

// These run OpenSSL and PBKDF2; on a busy two-core machine that can take seconds.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

// PKCS#12 files written by OpenSSL (tests/fixtures/make-p12-fixtures.sh), opened for conversion.
const APP = 'da7f2800-4122-4681-aebf-90beb779b73f';
const PASSWORD = 'correct horse';
let dir: TempDir;
const file = async (name: string): Promise<Bytes> => new Uint8Array(await dir.read(name));

beforeAll(async () => {
  dir = await tempDir('appcert-convert-');
  const made = await run('bash', ['tests/fixtures/make-p12-fixtures.sh', dir.path]);
  if (made.code !== 0) throw new Error(made.stderr);
  const certsOnly = await openssl(
    ['pkcs12', '-export', '-nokeys', '-in', dir.file('rsa.crt'), '-passout', `pass:${PASSWORD}`, '-out', dir.file('certs-only.p12')],
    { env: { OPENSSL_CONF: '/dev/null' } },
  );
  if (certsOnly.code !== 0) throw new Error(certsOnly.stderr);
});
afterAll(async () => {
  await dir?.remove();
});

describe('openPkcs12', () => {
  it.each([
    ['rsa-legacy.p12', true],
    ['rsa-3des.p12', true],
    ['ec-default.p12', false],
  ])('opens %s (legacy: %s) with the key, the certificate and the app UUID from its CN', async (name, legacy) => {
    const opened = await openPkcs12(await file(name), PASSWORD);
    expect(opened).toMatchObject({ ok: true, value: { legacy, appId: APP, foundIn: 'cn', others: [], notes: [] } });
    if (!opened.ok) return;
    expect(opened.value.certificates).toHaveLength(1);
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', opened.value.privateKey));
    expect(await keyMatchesCertificate(pkcs8, opened.value.certificates[0])).toBe(true);
  });

  it('keeps a certificate that is not on the chain, after it, and says so', async () => {
    const opened = await openPkcs12(await file('rsa-chain.p12'), PASSWORD);
    expect(opened).toMatchObject({
      ok: true,
      value: {
        others: [{ subject: 'CN = Test CA' }],
        notes: [{ severity: 'warning', message: "1 certificate(s) given are not part of this certificate's chain and are kept after it." }],
      },
    });
    if (opened.ok) expect(opened.value.certificates).toHaveLength(2);
  });

  it('explains a wrong password, a file without a key, and a file that is not PKCS#12', async () => {
    expect(await openPkcs12(await file('rsa-legacy.p12'), 'wrong horse')).toMatchObject({ ok: false, code: 'wrong-password' });
    expect(await openPkcs12(await file('certs-only.p12'), PASSWORD)).toMatchObject({
      ok: false,
      code: 'no-key',
      message: expect.stringMatching(/holds certificates only, no private key/),
    });
    expect(await openPkcs12(await file('rsa.crt'), PASSWORD)).toMatchObject({ ok: false, code: 'not-pkcs12' });
  });
});

describe('encryptedKeyPem', () => {
  it('writes the key as encrypted PKCS#8 that decrypts to the same key, and refuses an empty password', async () => {
    const opened = await openPkcs12(await file('ec-default.p12'), PASSWORD);
    if (!opened.ok) throw new Error(opened.message);
    const pem = await encryptedKeyPem(opened.value.privateKey, 'new password');
    expect(pem.ok).toBe(true);
    if (!pem.ok) return;
    const blocks = parsePem(pem.value);
    if (!blocks.ok) throw new Error(blocks.message);
    expect(blocks.value[0].label).toBe('ENCRYPTED PRIVATE KEY');
    const decrypted = await decryptPkcs8(blocks.value[0].der, 'new password');
    if (!decrypted.ok) throw new Error(decrypted.message);
    expect(await keyMatchesCertificate(decrypted.value, opened.value.certificates[0])).toBe(true);
    expect(await encryptedKeyPem(opened.value.privateKey, '')).toMatchObject({ ok: false, code: 'empty-password' });
  });
});
