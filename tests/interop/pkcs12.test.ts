/**
 * appcert's PKCS#12 files in both profiles, RSA and EC, opened by real peers: OpenSSL 3 (legacy
 * without -legacy), Java 17 keytool, NSS pk12util, Python cryptography; and appcert opening what
 * OpenSSL writes (tests/fixtures/make-p12-fixtures.sh), the CLI's --p12-password included.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { parsePem } from '../../src/lib/pem';
import { readPkcs12, writePkcs12, type P12Profile } from '../../src/lib/pkcs12';
import { APP_ID, makeIdentity, type TestIdentity } from '../unit/pkcs12-identity';
import { keytool, openssl, python, run, tempDir, type TempDir } from './tools';

const PASSWORD = 'Tr0ub4dor&3-horse';
const ALIAS = `app-${APP_ID}`;
const CASES = [
  ['rsa', 'modern'],
  ['rsa', 'legacy'],
  ['ec', 'modern'],
  ['ec', 'legacy'],
] as const;

let dir: TempDir;
const files: Record<string, string> = {};
const identities: Record<string, TestIdentity> = {};

async function writeP12(identity: TestIdentity, profile: P12Profile, password = PASSWORD): Promise<Bytes> {
  const result = await writePkcs12({ privateKey: identity.keyPair.privateKey, certificates: [identity.certificate], password, profile });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

beforeAll(async () => {
  dir = await tempDir('appcert-p12-');
  identities.rsa = await makeIdentity('rsa-2048', 'cn');
  identities.ec = await makeIdentity('ec-p256', 'oid');
  for (const [kind, profile] of CASES) {
    files[`${kind}-${profile}`] = await dir.write(`${kind}-${profile}.p12`, await writeP12(identities[kind], profile));
  }
});

afterAll(async () => {
  await dir?.remove();
});

const ALGORITHM_LINES: Record<P12Profile, string[]> = {
  modern: [
    'MAC: sha256, Iteration 2048',
    'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
    'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
  ],
  legacy: [
    'MAC: sha1, Iteration 2048',
    'PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048',
    'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048',
  ],
};

describe.each(CASES)('%s key, %s profile', (kind, profile) => {
  const file = () => files[`${kind}-${profile}`];

  it('OpenSSL 3 opens it (no -legacy flag) and names the algorithms', async () => {
    const out = await openssl(['pkcs12', '-info', '-nodes', '-in', file(), '-passin', `pass:${PASSWORD}`]);
    expect(out.code, out.stderr).toBe(0);
    const lines = `${out.stdout}\n${out.stderr}`.split('\n').map((l) => l.trim());
    for (const line of ALGORITHM_LINES[profile]) expect(lines).toContain(line);
    expect(lines).toContain(`friendlyName: ${ALIAS}`);
    // The key OpenSSL extracted belongs to the certificate: both give the same public key.
    const pem = parsePem(out.stdout);
    expect(pem.ok && pem.value.map((b) => b.label)).toEqual(['CERTIFICATE', 'PRIVATE KEY']);
    const keyFile = await dir.write(`${kind}-${profile}-key.pem`, out.stdout.slice(out.stdout.indexOf('-----BEGIN PRIVATE KEY-----')));
    const fromKey = await openssl(['pkey', '-in', keyFile, '-pubout']);
    const fromCert = await openssl([
      'x509',
      '-in',
      await dir.write(`${kind}.crt`, identities[kind].certificate),
      '-inform',
      'DER',
      '-pubkey',
      '-noout',
    ]);
    expect(fromKey.stdout).toBe(fromCert.stdout);
    expect(fromKey.stdout).toMatch(/BEGIN PUBLIC KEY/);
  });

  it('Java 17 keytool lists a PrivateKeyEntry under the app alias', async () => {
    const out = await keytool(['-list', '-v', '-storetype', 'PKCS12', '-keystore', file(), '-storepass', PASSWORD]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain(`Alias name: ${ALIAS}`);
    expect(out.stdout).toContain('Entry type: PrivateKeyEntry');
    expect(out.stdout).toContain(kind === 'rsa' ? `Owner: CN=${APP_ID}` : `Owner: OID.1.3.6.1.4.1.49690.1.2.1=${APP_ID}`);
  });

  it('NSS pk12util imports it into a fresh database', async () => {
    const db = `sql:${join(dir.path, `nss-${kind}-${profile}`)}`;
    await mkdir(db.slice(4), { recursive: true });
    expect((await run('certutil', ['-N', '-d', db, '--empty-password'])).code).toBe(0);
    const imported = await run('pk12util', ['-i', file(), '-d', db, '-W', PASSWORD]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toContain('PKCS12 IMPORT SUCCESSFUL');
    const certs = await run('certutil', ['-L', '-d', db]);
    expect(certs.stdout).toMatch(new RegExp(`^${ALIAS}\\s+u,u,u$`, 'm'));
    const keys = await run('certutil', ['-K', '-d', db]);
    expect(keys.stdout).toContain(`${kind === 'rsa' ? 'rsa' : 'ec '}`);
    expect(keys.stdout).toContain(ALIAS);
  });

  it('Python cryptography loads the key and certificate, and they match', async () => {
    const out = await python(
      [
        'import sys',
        'from cryptography.hazmat.primitives.serialization import pkcs12, Encoding, PublicFormat',
        'key, cert, extra = pkcs12.load_key_and_certificates(open(sys.argv[1], "rb").read(), sys.argv[2].encode())',
        'same = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) == cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)',
        'print(type(key).__name__, cert.subject.rfc4514_string(), len(extra), "match" if same else "MISMATCH")',
      ].join('\n'),
      [file(), PASSWORD],
    );
    expect(out.code, out.stderr).toBe(0);
    const subject = kind === 'rsa' ? `CN=${APP_ID}` : `1.3.6.1.4.1.49690.1.2.1=${APP_ID}`;
    expect(out.stdout.trim()).toBe(`${kind === 'rsa' ? '_RSAPrivateKey' : '_EllipticCurvePrivateKey'} ${subject} 0 match`);
  });
});

describe('a password beyond ASCII (OpenSSL: BMPString for the MAC, UTF-8 for PBES2)', () => {
  it.each(['modern', 'legacy'] as const)("OpenSSL opens appcert's %s file", async (profile) => {
    const password = 'pässwörd-密码';
    const path = await dir.write(`utf8-${profile}.p12`, await writeP12(identities.ec, profile, password));
    const passFile = await dir.write('utf8-pass.txt', password);
    const out = await openssl(['pkcs12', '-info', '-nodes', '-in', path, '-passin', `file:${passFile}`]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('-----BEGIN PRIVATE KEY-----');
  });
});

describe('appcert opens what OpenSSL 3 writes', () => {
  let fixtures: TempDir;
  let password: string;

  beforeAll(async () => {
    fixtures = await tempDir('appcert-p12-fixtures-');
    const made = await run('bash', ['tests/fixtures/make-p12-fixtures.sh', fixtures.path]);
    if (made.code !== 0) throw new Error(made.stderr);
    password = (await fixtures.read('password.txt')).toString();
  });
  afterAll(async () => {
    await fixtures?.remove();
  });

  const der = async (name: string): Promise<Bytes> => {
    const pem = parsePem((await fixtures.read(name)).toString());
    if (!pem.ok) throw new Error(pem.message);
    return pem.value[0].der;
  };
  const p12 = async (name: string) => new Uint8Array(await fixtures.read(name));

  it.each([
    [
      'default',
      false,
      'HMAC-SHA-256, 2048 iterations',
      'PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC, 2048 iterations)',
      'PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC, 2048 iterations)',
    ],
    [
      'legacy',
      true,
      'HMAC-SHA-1, 2048 iterations',
      'pbeWithSHAAnd3-KeyTripleDES-CBC (2048 iterations)',
      'pbeWithSHAAnd40BitRC2-CBC (2048 iterations)',
    ],
    [
      '3des',
      true,
      'HMAC-SHA-1, 2048 iterations',
      'pbeWithSHAAnd3-KeyTripleDES-CBC (2048 iterations)',
      'pbeWithSHAAnd3-KeyTripleDES-CBC (2048 iterations)',
    ],
    ['nocrypt', false, 'HMAC-SHA-256, 2048 iterations', 'none (unencrypted)', 'none (unencrypted)'],
  ] as const)('%s files, RSA and EC', async (variant, legacy, mac, keyBag, certBag) => {
    for (const kind of ['rsa', 'ec']) {
      const result = await readPkcs12(await p12(`${kind}-${variant}.p12`), password);
      expect(result.ok, result.ok ? '' : result.message).toBe(true);
      if (!result.ok) return;
      expect(result.value.certificates).toEqual([await der(`${kind}.crt`)]);
      expect(result.value.pkcs8).toEqual(await der(`${kind}.key`));
      expect(result.value.friendlyName).toBe(ALIAS);
      expect(result.value.legacy).toBe(legacy);
      expect(result.value.algorithms).toEqual({ mac, keyBag, certBag });
    }
  });

  it('opens a file without a MAC, where a wrong password shows in the decryption', async () => {
    const result = await readPkcs12(await p12('rsa-nomac.p12'), password);
    expect(result.ok && result.value.algorithms.mac).toBe('none');
    expect(result.ok && result.value.pkcs8).toEqual(await der('rsa.key'));
    expect(await readPkcs12(await p12('rsa-nomac.p12'), 'wrong')).toMatchObject({ ok: false, code: 'wrong-password' });
  });

  it("puts the key's certificate first in a file with a CA certificate", async () => {
    const result = await readPkcs12(await p12('rsa-chain.p12'), password);
    expect(result.ok && result.value.certificates).toEqual([await der('rsa.crt'), await der('ca.crt')]);
  });

  it('opens a file under a non-ASCII password, and refuses wrong passwords', async () => {
    const utf8 = (await fixtures.read('utf8-password.txt')).toString();
    expect((await readPkcs12(await p12('rsa-utf8.p12'), utf8)).ok).toBe(true);
    expect(await readPkcs12(await p12('rsa-legacy.p12'), 'wrong')).toMatchObject({ ok: false, code: 'wrong-password' });
    expect(await readPkcs12(await p12('ec-default.p12'), 'wrong')).toMatchObject({ ok: false, code: 'wrong-password' });
  });

  it('re-exports an OpenSSL -legacy file in the modern profile that OpenSSL then opens', async () => {
    const opened = await readPkcs12(await p12('ec-legacy.p12'), password);
    if (!opened.ok || !opened.value.pkcs8) throw new Error('the fixture did not open');
    const privateKey = await crypto.subtle.importKey('pkcs8', opened.value.pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const modern = await writePkcs12({
      privateKey,
      certificates: opened.value.certificates,
      password,
      profile: 'modern',
      friendlyName: opened.value.friendlyName ?? undefined,
    });
    expect(modern.ok).toBe(true);
    if (!modern.ok) return;
    const out = await openssl([
      'pkcs12',
      '-info',
      '-nokeys',
      '-in',
      await dir.write('reexport.p12', modern.value),
      '-passin',
      `pass:${password}`,
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr + out.stdout).toContain('PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256');
  });
});

describe('appcert generate --p12-password', () => {
  const cli = (args: string[]) => run('node', ['bin/appcert.mjs', 'generate', ...args]);

  it.each(['modern', 'legacy'] as const)('writes app-<uuid>.p12 in the %s profile and lists it in --json', async (profile) => {
    const out = join(dir.path, `cli-${profile}`);
    const result = await cli([
      '--app-id',
      APP_ID,
      '--placement',
      'cn',
      '--key',
      'ec-p256',
      '--out',
      out,
      '--p12-password',
      PASSWORD,
      '--p12-profile',
      profile,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { files: Record<string, string>; pkcs12Profile: string };
    expect(report.files.pkcs12).toBe(join(out, `app-${APP_ID}.p12`));
    expect(report.pkcs12Profile).toBe(profile);
    const opened = await readPkcs12(new Uint8Array(await readFile(report.files.pkcs12)), PASSWORD);
    expect(opened.ok && opened.value.legacy).toBe(profile === 'legacy');
    const info = await openssl(['pkcs12', '-info', '-nokeys', '-in', report.files.pkcs12, '-passin', `pass:${PASSWORD}`]);
    expect(info.stderr + info.stdout).toContain(ALGORITHM_LINES[profile][0]);
  });

  it('refuses --p12-password with --csr (exit 2) and says to complete the CSR first', async () => {
    const result = await cli(['--app-id', APP_ID, '--csr', '--out', join(dir.path, 'cli-csr'), '--p12-password', PASSWORD]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--p12-password cannot be used with --csr.*complete it with the signed certificate/s);
  });

  it('refuses an unknown --p12-profile (exit 2)', async () => {
    const result = await cli(['--app-id', APP_ID, '--out', join(dir.path, 'cli-bad'), '--p12-password', PASSWORD, '--p12-profile', 'aes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--p12-profile must be modern or legacy, not "aes"');
  });
});
