/** `appcert renew`, `dsm-register`, `complete` and `convert` through the same main() the binary runs. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { openPkcs12 } from '../../src/lib/convert';
import { APP_A, APP_B, APP_C, identity, pkcs12Of } from '../interop/identities';
import { makePki } from '../interop/openssl-ca';
import { tempDir, type TempDir } from '../interop/tools';
import { expectUsageMistake } from './cli-process';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const KEY_PASSWORD = 'correct horse battery';
const P12_PASSWORD = 'p12 password for tests';

let dir: TempDir;
/** Paths of the files the commands start from. */
const given = { crt: '', key: '', otherKey: '', p12: '', none: '', csrKey: '', signed: '', root: '', issuing: '' };
let output: { out: string; err: string };

async function spki(p12: string, password: string): Promise<string> {
  const opened = await openPkcs12(new Uint8Array(await readFile(p12)), password);
  if (!opened.ok) throw new Error(opened.message);
  return Buffer.from(
    await crypto.subtle.exportKey('jwk', opened.value.privateKey).then((jwk) => JSON.stringify({ x: jwk.x, y: jwk.y, n: jwk.n })),
  ).toString('hex');
}

beforeAll(async () => {
  dir = await tempDir('appcert-cli-lifecycle-');
  const cn = await identity({ placement: 'cn', keyType: 'ec-p256' });
  given.crt = await dir.write('current.crt', cn.certificate?.pem ?? '');
  given.key = await dir.write('current.key', cn.privateKeyPem);
  given.otherKey = await dir.write('other.key', (await identity({ keyPassword: null })).privateKeyPem);
  const p12 = await pkcs12Of(cn, P12_PASSWORD, 'modern');
  given.p12 = await dir.write('current.p12', p12);
  given.none = await dir.write('no-uuid.crt', (await identity({ placement: 'none' })).certificate?.pem ?? '');
  // The CSR route: the key saved as app-<uuid>.key, the CA's answer in three files.
  const request = await identity({ mode: 'csr', placement: 'oid', appId: APP_C });
  await mkdir(dir.file('csr'));
  given.csrKey = await dir.write(`csr/app-${APP_C}.key`, request.privateKeyPem);
  const pki = await makePki(dir, 'CLI Test');
  given.signed = await pki.sign(await dir.write('csr/app.csr', request.csrPem ?? ''), 'signed.pem');
  given.root = pki.root.certificate;
  given.issuing = pki.issuing.certificate;
});
afterAll(async () => {
  await dir?.remove();
});
beforeEach(() => {
  output = { out: '', err: '' };
  vi.spyOn(console, 'log').mockImplementation((...text: unknown[]) => void (output.out += `${text.join(' ')}\n`));
  vi.spyOn(console, 'error').mockImplementation((...text: unknown[]) => void (output.err += `${text.join(' ')}\n`));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const json = () => JSON.parse(output.out);
const out = (name: string) => dir.file(`out-${name}`);

describe('renew', () => {
  it('--reuse-key keeps the key of the --from .p12 and writes a new .p12; --json adds renewedFrom', async () => {
    expect(
      await main([
        'renew',
        '--from',
        given.p12,
        '--password',
        P12_PASSWORD,
        '--reuse-key',
        '--p12-password',
        P12_PASSWORD,
        '--p12-profile',
        'legacy',
        '--out',
        out('reuse'),
        '--json',
      ]),
    ).toBe(0);
    const result = json();
    expect(result).toMatchObject({
      appId: APP_A,
      placement: 'cn',
      keyType: 'ec-p256',
      kind: 'self-signed',
      pkcs12Profile: 'legacy',
      renewedFrom: { serialNumber: expect.stringMatching(/^[0-9a-f]+$/) },
    });
    expect(Object.keys(result.files).sort()).toEqual(['certificate', 'pkcs12', 'privateKey']);
    expect(await spki(result.files.pkcs12, P12_PASSWORD)).toBe(await spki(given.p12, P12_PASSWORD));
    expect((await stat(result.files.pkcs12)).mode & 0o777).toBe(0o600);
  });

  it('--key-file with its password keeps the key; a new key is made otherwise, and explained in words', async () => {
    expect(
      await main([
        'renew',
        '--from',
        given.crt,
        '--key-file',
        given.key,
        '--key-file-password',
        KEY_PASSWORD,
        '--key-password',
        KEY_PASSWORD,
        '--out',
        out('key-file'),
      ]),
    ).toBe(0);
    expect(output.out).toContain('key: the current key, kept');
    expect(output.out).toContain('the old one stops working the moment it is replaced');
    expect(
      await main(['renew', '--from', given.crt, '--csr', '--key', 'ec-p384', '--key-password', KEY_PASSWORD, '--out', out('csr')]),
    ).toBe(0);
    expect(output.out).toContain('key: a new ECDSA P-384 key');
    expect(output.out).toContain('needs no change in DSM');
  });

  it('--json prints what generate --json prints, plus renewedFrom', async () => {
    expect(await main(['generate', '--app-id', APP_A, '--key', 'ec-p256', '--out', out('generated'), '--json'])).toBe(0);
    const generated = json();
    output.out = '';
    expect(await main(['renew', '--from', generated.files.certificate, '--out', out('renewed-generated'), '--json'])).toBe(0);
    const renewed = json();
    expect(Object.keys(renewed)).toEqual([...Object.keys(generated), 'renewedFrom']);
    expect(renewed).toMatchObject({
      ...generated,
      notBefore: expect.any(String),
      notAfter: expect.any(String),
      serialNumber: expect.any(String),
      files: expect.any(Object),
    });
    expect(renewed.renewedFrom).toMatchObject({ serialNumber: generated.serialNumber, notAfter: generated.notAfter });
  });

  it('reads the UUID of a certificate without one from an appcert file name', async () => {
    const named = await dir.write(`app-${APP_B}.crt`, await readFile(given.none));
    expect(await main(['renew', '--from', named, '--out', out('named'), '--json'])).toBe(0);
    expect(json()).toMatchObject({ appId: APP_B, placement: 'none' });
  });

  it('never overwrites: stops before writing anything', async () => {
    const folder = out('existing');
    await mkdir(folder);
    await writeFile(join(folder, `app-${APP_A}.key`), 'the key registered in DSM');
    expect(await main(['renew', '--from', given.crt, '--out', folder])).toBe(2);
    expect(output.err).toContain('appcert never overwrites keys or certificates');
    expect(await readFile(join(folder, `app-${APP_A}.key`), 'utf8')).toBe('the key registered in DSM');
    expect(existsSync(join(folder, `app-${APP_A}.crt`))).toBe(false);
  });
});

describe('dsm-register', () => {
  it('--json prints exactly method, path, body and curl', async () => {
    expect(await main(['dsm-register', '--cert', given.p12, '--password', P12_PASSWORD, '--json'])).toBe(0);
    const result = json();
    expect(Object.keys(result)).toEqual(['method', 'path', 'body', 'curl']);
    expect(result).toMatchObject({
      method: 'PATCH',
      path: `/sys/v1/apps/${APP_A}`,
      body: { credential: { certificate: expect.any(String) } },
    });
  });

  it('prints the Trusted CA registration with the subject to type on the screen', async () => {
    expect(
      await main(['dsm-register', '--cert', given.signed, '--trusted-ca', given.issuing, '--endpoint', 'https://dsm.example.com']),
    ).toBe(0);
    expect(output.out).toContain(`Register it with app ${APP_C} to trust its CA for this subject ("Trusted CA" method).`);
    expect(output.out).toContain(`    1.3.6.1.4.1.49690.1.2.1 = "${APP_C}"`);
    expect(output.out).toContain(`curl -sS -X PATCH https://dsm.example.com/sys/v1/apps/${APP_C} `);
  });

  it('--subject-general registers the CA for an alternative name the certificate carries', async () => {
    const request = await identity({ mode: 'csr', placement: 'oid', appId: APP_C, altNames: { dns: ['app1.example.com'], email: [] } });
    const pki = await makePki(dir, 'CLI General');
    const signed = await pki.sign(await dir.write('general.csr', request.csrPem ?? ''), 'general.pem');
    const args = ['dsm-register', '--cert', signed, '--trusted-ca', pki.issuing.certificate, '--subject-general', 'dns:app1.example.com'];
    expect(await main(args)).toBe(0);
    expect(output.out).toContain('to trust its CA for this alternative name, DNS:app1.example.com ("Trusted CA" method)');
    output.out = '';
    expect(await main([...args, '--json'])).toBe(0);
    expect(json().body.credential.trustedca).toEqual({
      ca_certificate: expect.any(String),
      subject_general: { dns_name: 'app1.example.com' },
    });
  });
});

describe('complete and convert', () => {
  it('complete: the CA answer in any order, UUID from the key file name, chain and .p12 written', async () => {
    expect(
      await main([
        'complete',
        '--key',
        given.csrKey,
        '--key-password',
        KEY_PASSWORD,
        '--cert',
        given.root,
        '--cert',
        given.signed,
        '--cert',
        given.issuing,
        '--p12-password',
        P12_PASSWORD,
        '--out',
        out('complete'),
        '--json',
      ]),
    ).toBe(0);
    const result = json();
    expect(result).toMatchObject({ appId: APP_C, foundIn: 'oid', pkcs12Profile: 'modern' });
    expect(result.chain).toEqual([
      expect.stringContaining('payments.example.com'),
      'O = CLI Test, CN = CLI Test Issuing CA',
      'O = CLI Test, CN = CLI Test Root CA',
    ]);
    expect(Object.keys(result.files).sort()).toEqual(['certificate', 'chain', 'pkcs12']);
    expect((await readFile(result.files.chain, 'utf8')).match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
  });

  it.each(['legacy', 'pem'] as const)('convert --to %s', async (to) => {
    expect(
      await main([
        'convert',
        '--in',
        given.p12,
        '--password',
        P12_PASSWORD,
        '--to',
        to,
        '--new-password',
        'a new password',
        '--out',
        out(`convert-${to}`),
        '--json',
      ]),
    ).toBe(0);
    const result = json();
    expect(result).toMatchObject({ appId: APP_A, to, from: { legacy: false } });
    expect(Object.keys(result.files).sort()).toEqual(to === 'pem' ? ['certificate', 'chain', 'privateKey'] : ['pkcs12']);
    if (to === 'legacy') expect((await openPkcs12(new Uint8Array(await readFile(result.files.pkcs12)), 'a new password')).ok).toBe(true);
    else expect(await readFile(result.files.privateKey, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  });
});

describe('--for <client> picks the file from the client table on every command that writes one', () => {
  it('renew --for java-8 writes a legacy .p12 and says why', async () => {
    const code = await main([
      'renew',
      '--from',
      given.p12,
      '--password',
      P12_PASSWORD,
      '--reuse-key',
      '--for',
      'java-8',
      '--p12-password',
      P12_PASSWORD,
      '--out',
      out('renew-for'),
      '--json',
    ]);
    expect(code).toBe(0);
    expect(json()).toMatchObject({ pkcs12Profile: 'legacy', client: { id: 'java-8', recommended: 'legacy' } });
    const reopened = await openPkcs12(new Uint8Array(await readFile(json().files.pkcs12)), P12_PASSWORD);
    expect(reopened.ok && reopened.value.legacy).toBe(true);
  });

  it('complete --for java-17 writes a modern .p12; --p12-profile overrides --for', async () => {
    const args = [
      'complete',
      '--key',
      given.csrKey,
      '--key-password',
      KEY_PASSWORD,
      '--cert',
      given.signed,
      '--cert',
      given.issuing,
      '--p12-password',
      P12_PASSWORD,
    ];
    expect(await main([...args, '--for', 'java-17', '--out', out('complete-for'), '--json'])).toBe(0);
    expect(json()).toMatchObject({ pkcs12Profile: 'modern', client: { id: 'java-17' } });
    output.out = '';
    expect(await main([...args, '--for', 'java-17', '--p12-profile', 'legacy', '--out', out('complete-for-advanced'), '--json'])).toBe(0);
    expect(json()).toMatchObject({ pkcs12Profile: 'legacy' });
  });

  it('convert --for macos-keychain converts to legacy; a client with no recommendation needs --to', async () => {
    const args = ['convert', '--in', given.p12, '--password', P12_PASSWORD];
    expect(await main([...args, '--for', 'macos-keychain', '--out', out('convert-for'), '--json'])).toBe(0);
    expect(json()).toMatchObject({ to: 'legacy' });
    expect(await main([...args, '--for', 'dotnet', '--out', out('convert-for-dotnet')])).toBe(2);
    expect(output.err).toMatch(/--for dotnet: .*--to modern, legacy or pem/);
    expect(existsSync(out('convert-for-dotnet'))).toBe(false);
  });
});

describe('mistakes: exit 2, a message that says what to do, no stack trace, nothing written', () => {
  it.each([
    ['renew without --from', ['renew'], '--from is required'],
    [
      'renew with --key-file and --reuse-key',
      ['renew', '--from', 'FROM', '--key-file', 'KEY', '--reuse-key'],
      '--key-file and --reuse-key both say where the current key is',
    ],
    ['renew --key-file-password alone', ['renew', '--from', 'FROM', '--key-file-password', 'x'], '--key-file-password needs --key-file.'],
    ['renew with a bad --key', ['renew', '--from', 'FROM', '--key', 'rsa-1024'], '--key must be one of rsa-2048'],
    ['renew --key with --reuse-key', ['renew', '--from', 'P12', '--reuse-key', '--key', 'ec-p384'], '--key chooses the type of a new key'],
    [
      'renew --p12-password with --csr',
      ['renew', '--from', 'FROM', '--csr', '--p12-password', 'x'],
      '--p12-password cannot be used with --csr',
    ],
    ['renew from a missing file', ['renew', '--from', 'nowhere.crt'], '--from: cannot read "nowhere.crt" (no such file).'],
    [
      'renew --reuse-key from a certificate',
      ['renew', '--from', 'FROM', '--reuse-key'],
      '--reuse-key takes the key from the --from .p12, and there is none',
    ],
    [
      'renew --key-file of another key',
      ['renew', '--from', 'FROM', '--key-file', 'OTHER'],
      '--key-file: This key does not belong to the certificate being renewed',
    ],
    ['renew --app-id of another app', ['renew', '--from', 'FROM', '--app-id', APP_B], '--app-id: The certificate is for app'],
    ['renew a certificate without the UUID', ['renew', '--from', 'NONE'], '[app-id-needed]'],
    ['renew a .p12 with a wrong password', ['renew', '--from', 'P12', '--password', 'wrong'], '[wrong-password]'],
    ['dsm-register without --cert', ['dsm-register'], '--cert is required'],
    ['dsm-register without a UUID', ['dsm-register', '--cert', 'NONE'], '--app-id: This certificate does not carry the app UUID'],
    ['dsm-register contradicting the certificate', ['dsm-register', '--cert', 'FROM', '--app-id', APP_B], '[app-id-mismatch]'],
    [
      'dsm-register with an endpoint path',
      ['dsm-register', '--cert', 'FROM', '--endpoint', 'https://dsm.example.com/api'],
      '--endpoint: Give the DSM API endpoint as https://host',
    ],
    [
      'dsm-register --subject-general without --trusted-ca',
      ['dsm-register', '--cert', 'SIGNED', '--subject-general', 'dns:a.example'],
      'give --trusted-ca too',
    ],
    [
      'dsm-register --subject-general malformed',
      ['dsm-register', '--cert', 'SIGNED', '--trusted-ca', 'ISSUING', '--subject-general', 'a.example'],
      '[bad-subject-general]',
    ],
    [
      'dsm-register --subject-general the certificate lacks',
      ['dsm-register', '--cert', 'SIGNED', '--trusted-ca', 'ISSUING', '--subject-general', 'dns:a.example'],
      '--subject-general: ',
    ],
    ['complete without --cert', ['complete', '--key', 'KEY'], '--cert is required'],
    [
      'complete with a wrong key password',
      ['complete', '--key', 'CSRKEY', '--key-password', 'wrong', '--cert', 'SIGNED'],
      '--key-password:',
    ],
    [
      'complete with a bad --placement',
      ['complete', '--key', 'KEY', '--cert', 'FROM', '--placement', 'san'],
      '--placement must be cn, oid or none',
    ],
    [
      'convert with a bad --to',
      ['convert', '--in', 'P12', '--to', 'jks'],
      '--to must be modern, legacy or pem, not "jks" (or give --for <client>).',
    ],
    [
      'convert with a wrong password',
      ['convert', '--in', 'P12', '--password', 'wrong', '--to', 'pem'],
      '--password: The password is wrong',
    ],
    ['convert to an empty password', ['convert', '--in', 'P12', '--to', 'modern'], '--new-password is required'],
  ])('%s', async (_, args, message) => {
    const paths: Record<string, string> = {
      FROM: given.crt,
      KEY: given.key,
      OTHER: given.otherKey,
      P12: given.p12,
      NONE: given.none,
      CSRKEY: given.csrKey,
      SIGNED: given.signed,
      ISSUING: given.issuing,
    };
    const folder = out(
      `refused-${args
        .join('-')
        .replace(/[^a-z0-9]+/gi, '-')
        .slice(0, 60)}`,
    );
    const code = await main([...args.map((a) => paths[a] ?? a), ...(args[0] === 'dsm-register' ? [] : ['--out', folder])]);
    expectUsageMistake(code, output, message, folder);
  });

  it('help lists every command', async () => {
    expect(await main(['help'])).toBe(0);
    for (const command of ['generate', 'verify', 'renew', 'dsm-register', 'complete', 'convert'])
      expect(output.out).toContain(`appcert ${command} `);
  });
});
