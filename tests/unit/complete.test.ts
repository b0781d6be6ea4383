import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CreatedIdentity } from '../../src/lib/create';
import { validityNotes } from '../../src/lib/certificateSummary';
import { completeCsr, type CompleteRequest } from '../../src/lib/complete';
import { appIdFromFileName } from '../../src/lib/fileNames';
import { parsePem } from '../../src/lib/pem';
import { APP_A, APP_B, identity } from '../interop/identities';
import { makePki, type TestPki } from '../interop/openssl-ca';
import { openssl, tempDir, type TempDir } from '../interop/tools';

// These run OpenSSL and PBKDF2; on a busy two-core machine that can take seconds.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const PASSWORD = 'correct horse battery';
let dir: TempDir;
let pki: TestPki;
let cn: CreatedIdentity;
let cnLeaf: string;
let ca: { root: string; issuing: string };

/** Has OpenSSL's CA sign the identity's CSR, optionally rewriting the subject as some CAs do. */
async function caSigned(created: CreatedIdentity, name: string, subject?: string): Promise<string> {
  const csr = await dir.write(`${name}.csr`, created.csrPem ?? '');
  if (subject === undefined) return readFile(await pki.sign(csr, `${name}.pem`), 'utf8');
  const out = dir.file(`${name}.pem`);
  const signed = await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.issuing.certificate,
    '-CAkey',
    pki.issuing.key,
    '-subj',
    subject,
    '-days',
    '5',
    '-copy_extensions',
    'copyall',
    '-set_serial',
    '7',
    '-out',
    out,
  ]);
  if (signed.code !== 0) throw new Error(signed.stderr);
  return readFile(out, 'utf8');
}

const complete = (created: CreatedIdentity, certificateText: string | string[], changes: Partial<CompleteRequest> = {}) =>
  completeCsr({
    keyText: created.privateKeyPem,
    password: PASSWORD,
    certificateFiles: [certificateText].flat().map((contents, i) => ({ name: `cert-${i + 1}.pem`, contents })),
    appId: created.appId,
    placement: created.request.placement,
    ...changes,
  });

beforeAll(async () => {
  dir = await tempDir('appcert-complete-');
  pki = await makePki(dir, 'Complete Test');
  ca = await pki.caPem();
  cn = await identity({ mode: 'csr', placement: 'cn' });
  cnLeaf = await caSigned(cn, 'cn');
});

afterAll(async () => {
  await dir?.remove();
});

describe('completeCsr', () => {
  it('joins the key with the CA-signed certificate from one shuffled PEM and orders the chain', async () => {
    const result = await complete(cn, ca.root + cnLeaf + ca.issuing);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { value } = result;
    expect(value).toMatchObject({ appId: APP_A, foundIn: 'cn', chain: { givenOrder: 'mixed', missingIssuer: null } });
    expect(value.summaries.map((s) => s.subject)).toEqual([
      `O = Example Corp, CN = ${APP_A}`,
      'O = Complete Test, CN = Complete Test Issuing CA',
      'O = Complete Test, CN = Complete Test Root CA',
    ]);
    // Merely reordered: information, not a warning (appcert fixed it).
    expect(value.notes).toEqual([
      {
        severity: 'info',
        message: 'The certificates were given out of order; they are now ordered leaf first, then each issuer, as TLS clients send them.',
      },
    ]);
    expect(value.chainPem).toBe(cnLeaf + ca.issuing + ca.root);
    expect(value.certificatePem).toBe(cnLeaf);
    // The imported key is the certificate's: a signature made with it verifies against the CSR's public key.
    const data = new TextEncoder().encode('challenge');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, value.privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, cn.keyPair.publicKey, signature, data)).toBe(true);
  });

  it('reads several files, a DER certificate and a PKCS#7 bundle', async () => {
    const der = await openssl(['x509', '-in', await dir.write('cn-leaf.pem', cnLeaf), '-outform', 'DER', '-out', dir.file('cn-leaf.der')]);
    const p7b = await openssl([
      'crl2pkcs7',
      '-nocrl',
      '-certfile',
      pki.issuing.certificate,
      '-certfile',
      pki.root.certificate,
      '-outform',
      'DER',
      '-out',
      dir.file('chain.p7b'),
    ]);
    expect([der.code, p7b.code]).toEqual([0, 0]);
    const result = await completeCsr({
      keyText: cn.privateKeyPem,
      password: PASSWORD,
      certificateFiles: [
        { name: 'chain.p7b', contents: new Uint8Array(await dir.read('chain.p7b')) },
        { name: 'cn-leaf.der', contents: new Uint8Array(await dir.read('cn-leaf.der')) },
      ],
      appId: APP_A.toUpperCase(),
      placement: 'either',
    });
    expect(result).toMatchObject({ ok: true, value: { foundIn: 'cn', chain: { givenOrder: 'mixed', missingIssuer: null } } });
    if (result.ok) expect(result.value.chain.certificates).toHaveLength(3);
  });

  it('accepts an unencrypted PKCS#8 key and finds the UUID in the OID attribute', async () => {
    const oid = await identity({ mode: 'csr', placement: 'oid', keyPassword: null });
    const result = await complete(oid, [await caSigned(oid, 'oid'), ca.issuing], { password: '', placement: 'either' });
    expect(result).toMatchObject({
      ok: true,
      value: { foundIn: 'oid', chain: { givenOrder: 'leaf-first', missingIssuer: 'O = Complete Test, CN = Complete Test Root CA' } },
    });
  });

  it('says when the password is wrong or missing', async () => {
    expect(await complete(cn, cnLeaf, { password: 'wrong horse' })).toMatchObject({
      ok: false,
      code: 'wrong-password',
      message: expect.stringMatching(/password is wrong/),
    });
    expect(await complete(cn, cnLeaf, { password: '' })).toMatchObject({
      ok: false,
      code: 'wrong-password',
      message: expect.stringMatching(/enter the password chosen when the CSR was made/),
    });
  });

  it('says when the key belongs to another CSR', async () => {
    const other = await identity({ mode: 'csr' });
    expect(await complete(other, ca.issuing + cnLeaf)).toMatchObject({
      ok: false,
      code: 'key-mismatch',
      message: expect.stringMatching(/^The private key does not belong to any of these 2 certificates\. Each CSR has its own key/),
    });
  });

  it('names what was given instead of a certificate', async () => {
    expect(await complete(cn, cn.csrPem ?? '')).toMatchObject({
      ok: false,
      code: 'not-a-certificate',
      message: expect.stringMatching(/^cert-1\.pem, block 1 is the certificate request \(CSR\), not the certificate/),
    });
    expect(await complete(cn, 'hello')).toMatchObject({
      ok: false,
      code: 'not-a-certificate',
      message: expect.stringMatching(/^cert-1\.pem is not a certificate/),
    });
    expect(await complete(cn, [])).toMatchObject({ ok: false, code: 'no-certificates' });
    const p12 = await openssl([
      'pkcs12',
      '-export',
      '-nokeys',
      '-in',
      await dir.write('for-p12.pem', cnLeaf),
      '-passout',
      'pass:x',
      '-out',
      dir.file('leaf.p12'),
    ]);
    expect(p12.code).toBe(0);
    const pfx = await completeCsr({
      keyText: cn.privateKeyPem,
      password: PASSWORD,
      certificateFiles: [{ name: 'leaf.p12', contents: new Uint8Array(await dir.read('leaf.p12')) }],
      appId: APP_A,
      placement: 'cn',
    });
    expect(pfx).toMatchObject({
      ok: false,
      code: 'not-a-certificate',
      message: expect.stringMatching(/^leaf\.p12 is a PKCS#12 \(\.p12\/\.pfx\) file.*use the Convert PKCS#12 screen/),
    });
    expect(await complete(cn, cnLeaf, { keyText: cnLeaf })).toMatchObject({
      ok: false,
      code: 'no-key',
      message: expect.stringMatching(/holds a "CERTIFICATE" block, not a private key/),
    });
  });

  it('says when the certificate is for another app', async () => {
    expect(await complete(cn, cnLeaf, { appId: APP_B })).toMatchObject({
      ok: false,
      code: 'uuid-mismatch',
      message: `This certificate is for app ${APP_A} (in the subject CN), not ${APP_B}. Check the app UUID, or choose the certificate signed for this app.`,
    });
    expect(await complete(cn, cnLeaf, { appId: 'not-a-uuid' })).toMatchObject({ ok: false, code: 'malformed-uuid' });
  });

  it('says when the CA dropped the UUID from the subject', async () => {
    const oid = await identity({ mode: 'csr', placement: 'oid' });
    const rewritten = await caSigned(oid, 'rewritten', '/O=Example Corp/CN=payments.example.com');
    expect(await complete(oid, rewritten)).toMatchObject({
      ok: false,
      code: 'uuid-missing',
      message: `The CA did not keep the app UUID in the OID 1.3.6.1.4.1.49690.1.2.1 attribute (its CN is "payments.example.com"). DSM cannot tell which app this certificate is for. Ask the CA to keep the subject as requested, or log in with the UUID as the basic-auth user (curl -u ${APP_A}:).`,
    });
    // Without a UUID in the certificate, the login names the app instead: that is placement "none".
    expect(await complete(oid, rewritten, { placement: 'none' })).toMatchObject({ ok: true, value: { foundIn: null } });
  });

  it('refuses old-style key files with the command that converts them', async () => {
    const old = await openssl(['genrsa', '-traditional', '1024']);
    expect(await complete(cn, cnLeaf, { keyText: old.stdout })).toMatchObject({
      ok: false,
      code: 'unsupported-key',
      message: expect.stringMatching(/openssl pkcs8 -topk8/),
    });
  });

  it('warns about a certificate that is expired or not yet valid', async () => {
    const blocks = parsePem(cnLeaf);
    expect(blocks.ok).toBe(true);
    const result = await complete(cn, cnLeaf, {});
    if (!result.ok) throw new Error(result.message);
    const leaf = result.value.summaries[0];
    expect(validityNotes(leaf, new Date(leaf.notAfter.getTime() + 1000))[0]).toMatch(
      /^This certificate expired on \d{4}-\d\d-\d\d: DSM will refuse it/,
    );
    expect(validityNotes(leaf, new Date(leaf.notBefore.getTime() - 1000))[0]).toMatch(/^This certificate is valid only from/);
    expect(validityNotes(leaf, new Date())).toEqual([]);
  });
});

describe('appIdFromFileName', () => {
  it.each([
    [`app-${APP_A}.key`, APP_A],
    [`app-${APP_A.toUpperCase()}.key`, APP_A],
    [`app-${APP_A} (1).key`, APP_A],
    ['client.key', null],
    [`app-${APP_A.slice(0, 30)}.key`, null],
  ])('reads %j as %j', (name, expected) => {
    expect(appIdFromFileName(name)).toBe(expected);
  });
});
