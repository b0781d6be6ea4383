/**
 * The proof that matters: curl logs in over real mutual TLS, with the command of Fortanix's mutual-TLS guide, section 4.0,
 * using exactly the files appcert makes (PEM certificate + key for each UUID placement, PKCS#12 in
 * both profiles, and a CA-signed certificate completed through the CSR round trip), against a
 * stand-in for DSM's `POST /sys/v1/session/auth`. Wrong app, unregistered and expired certificates
 * must get 401.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { completeCsr, type CompletedIdentity } from '../../src/lib/complete';
import { openPkcs12 } from '../../src/lib/convert';
import type { CreatedIdentity } from '../../src/lib/create';
import { ENDPOINT_PLACEHOLDER } from '../../src/lib/nextSteps';
import { writePkcs12, type P12Profile } from '../../src/lib/pkcs12';
import { APP_A, APP_B, APP_C, identity } from './identities';
import { startMtlsServer, type MtlsServer } from './mtls-server';
import { makePki, makeServerIdentity, type TestPki } from './openssl-ca';
import { run, tempDir, type TempDir } from './tools';

const KEY_PASSWORD = 'correct horse battery';
const P12_PASSWORD = 'Tr0ub4dor&3-p12';
const DAY = 24 * 60 * 60 * 1000;

let dir: TempDir;
let server: MtlsServer;
let serverCa: string;
let pki: TestPki;
let cn: CreatedIdentity;
let oid: CreatedIdentity;
let none: CreatedIdentity;
let completed: CompletedIdentity;
/** The certificates registered for app A; tests add to it as an admin would. */
const appAPins: string[] = [];

interface Login {
  status: number;
  body: { entity_id?: string; access_token?: string; token_type?: string; message?: string };
  /** curl's output as a person would see it, for the report. */
  text: string;
}

/** Runs curl (no shell) against the server and splits the JSON body from the status code. */
async function curl(args: string[]): Promise<Login> {
  const result = await run('curl', ['-sS', '--cacert', serverCa, '-w', '\n%{http_code}', ...args], { cwd: dir.path });
  return parse(result.stdout, result.stderr);
}

function parse(stdout: string, stderr: string): Login {
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const text = lines.join('\n');
  if (!Number.isInteger(status) || status === 0) throw new Error(`curl did not get an answer: ${stderr}`);
  return { status, body: JSON.parse(text), text };
}

/**
 * Runs the login command exactly as appcert prints it for the user (`authCommand`), in a shell,
 * with only the endpoint and password placeholders filled in and the test server's CA added.
 */
async function runPrintedCommand(created: CreatedIdentity, folder: string): Promise<Login> {
  const command = created.authCommand
    .replace(ENDPOINT_PLACEHOLDER, new URL(server.url).host)
    .replace(`'<key password>'`, `'${KEY_PASSWORD}'`);
  expect(command).not.toMatch(/<[^>]+>/);
  const result = await run('bash', ['-c', `${command} -sS --cacert '${serverCa}' -w '\\n%{http_code}'`], { cwd: dir.file(folder) });
  return parse(result.stdout, result.stderr);
}

/** Saves an identity's files as the user would, each identity in its own folder (the names are per app). */
async function writeFiles(created: CreatedIdentity, folder: string): Promise<void> {
  await mkdir(dir.file(folder));
  for (const file of created.files) await dir.write(`${folder}/${file.name}`, file.text);
}

async function p12(privateKey: CryptoKey, certificates: Bytes[], profile: P12Profile, name: string): Promise<string> {
  const written = await writePkcs12({ privateKey, certificates, password: P12_PASSWORD, profile });
  if (!written.ok) throw new Error(written.message);
  return dir.write(name, written.value);
}

const expectToken = (login: Login, appId: string) => {
  expect(login.status, login.text).toBe(200);
  expect(login.body).toMatchObject({ token_type: 'Bearer', entity_id: appId, access_token: expect.stringMatching(/^[\w-]{32}$/) });
};

beforeAll(async () => {
  dir = await tempDir('appcert-mtls-');
  const tls = await makeServerIdentity(dir);
  serverCa = tls.caCertificate;
  server = await startMtlsServer({ key: await readFile(tls.key, 'utf8'), certificate: await readFile(tls.certificate, 'utf8') });

  cn = await identity({ placement: 'cn', appId: APP_A });
  oid = await identity({ placement: 'oid', appId: APP_A, keyType: 'rsa-2048', keyPassword: null });
  none = await identity({ placement: 'none', appId: APP_B });
  await writeFiles(cn, 'cn');
  await writeFiles(oid, 'oid');
  await writeFiles(none, 'none');
  // What the DSM admin does (seed, section 3.7): register each app's certificate.
  server.register(APP_A, { pinned: appAPins });
  appAPins.push(cn.certificate?.pem ?? '', oid.certificate?.pem ?? '');
  server.register(APP_B, { pinned: [none.certificate?.pem ?? ''] });

  // The CSR route: appcert makes key + CSR, a company CA (OpenSSL) signs it, appcert completes it.
  pki = await makePki(dir, 'Login Test');
  const ca = await pki.caPem();
  const request = await identity({ mode: 'csr', placement: 'oid', appId: APP_C });
  await writeFiles(request, 'csr');
  const signed = await readFile(await pki.sign(dir.file(`csr/${request.files[0].name}`), 'signed.pem'), 'utf8');
  const result = await completeCsr({
    keyText: request.privateKeyPem,
    password: KEY_PASSWORD,
    certificateFiles: [{ name: 'from-the-ca.pem', contents: ca.root + signed + ca.issuing }],
    appId: APP_C,
    placement: 'oid',
  });
  if (!result.ok) throw new Error(result.message);
  completed = result.value;
  await dir.write('completed-chain.pem', completed.chainPem);
  await dir.write('completed-leaf.pem', completed.certificatePem);
  // This app trusts the CA rather than one certificate: what a CA-signed setup looks like.
  server.register(APP_C, { trustedCas: [ca.root] });
});

afterAll(async () => {
  await server?.close();
  await dir?.remove();
});

describe('curl logs in to the stand-in for POST /sys/v1/session/auth', () => {
  it('with the UUID in the CN: the command appcert prints, PEM certificate + encrypted key', async () => {
    expect(cn.authCommand).toContain('--pass');
    expectToken(await runPrintedCommand(cn, 'cn'), APP_A);
    expect(server.attempts.at(-1)?.reason).toBe('registered certificate (app UUID from CN)');
  });

  it('with the UUID in the OID attribute: RSA, unencrypted key', async () => {
    expectToken(await runPrintedCommand(oid, 'oid'), APP_A);
    expect(server.attempts.at(-1)?.reason).toBe('registered certificate (app UUID from OID)');
  });

  it('with the UUID nowhere in the certificate: sent as the basic-auth user (-u <uuid>:)', async () => {
    expect(none.authCommand).toContain(`-u ${APP_B}:`);
    expectToken(await runPrintedCommand(none, 'none'), APP_B);
    expect(server.attempts.at(-1)?.reason).toBe('registered certificate (app UUID from basic-auth user)');
  });

  it.each(['modern', 'legacy'] as const)('with a %s PKCS#12 (--cert-type P12)', async (profile) => {
    const file = await p12(cn.keyPair.privateKey, [cn.certificate?.der as Bytes], profile, `cn-${profile}.p12`);
    expectToken(await curl([server.url, '-X', 'POST', '--cert-type', 'P12', '--cert', `${file}:${P12_PASSWORD}`]), APP_A);
  });

  it('with a CA-signed certificate completed through the round trip: chain PEM + the key saved with the CSR', async () => {
    expect(completed.chain.certificates).toHaveLength(3);
    const login = await curl([
      server.url,
      '-X',
      'POST',
      '--cert',
      'completed-chain.pem',
      '--key',
      `csr/app-${APP_C}.key`,
      '--pass',
      KEY_PASSWORD,
    ]);
    expectToken(login, APP_C);
    expect(server.attempts.at(-1)?.reason).toBe('certificate issued by a trusted CA (app UUID from OID)');
  });

  it.each(['modern', 'legacy'] as const)('with the completed identity as a %s PKCS#12, chain included', async (profile) => {
    const file = await p12(completed.privateKey, completed.chain.certificates, profile, `completed-${profile}.p12`);
    expectToken(await curl([server.url, '-X', 'POST', '--cert-type', 'P12', '--cert', `${file}:${P12_PASSWORD}`]), APP_C);
  });

  it("with OpenSSL's legacy (RC2) PKCS#12 converted by appcert to the modern profile", async () => {
    const made = await run('bash', ['tests/fixtures/make-p12-fixtures.sh', dir.file('openssl-p12')]);
    expect(made.code, made.stderr).toBe(0);
    appAPins.push(await readFile(dir.file('openssl-p12/rsa.crt'), 'utf8'));
    const opened = await openPkcs12(new Uint8Array(await readFile(dir.file('openssl-p12/rsa-legacy.p12'))), 'correct horse');
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.value.legacy).toBe(true);
    const file = await p12(opened.value.privateKey, opened.value.certificates, 'modern', 'converted-modern.p12');
    expectToken(await curl([server.url, '-X', 'POST', '--cert-type', 'P12', '--cert', `${file}:${P12_PASSWORD}`]), APP_A);
  });
});

describe('the stand-in refuses what DSM refuses, with the reason', () => {
  it('a certificate registered for app B, presented for app A', async () => {
    const login = await curl([
      server.url,
      '-X',
      'POST',
      '--cert',
      `none/app-${APP_B}.crt`,
      '--key',
      `none/app-${APP_B}.key`,
      '--pass',
      KEY_PASSWORD,
      '-u',
      `${APP_A}:`,
    ]);
    expect(login.status).toBe(401);
    expect(login.body.message).toBe(`the certificate is not registered for app ${APP_A} and does not chain to a CA it trusts`);
  });

  it('a certificate nobody registered, even with the right app UUID in its CN', async () => {
    const stranger = await identity({ placement: 'cn', appId: APP_A, keyPassword: null });
    await dir.write('stranger.crt', stranger.certificate?.pem ?? '');
    await dir.write('stranger.key', stranger.privateKeyPem);
    const login = await curl([server.url, '-X', 'POST', '--cert', 'stranger.crt', '--key', 'stranger.key']);
    expect(login.status).toBe(401);
    expect(login.body.message).toMatch(/is not registered for app/);
  });

  it('an expired certificate, even though it is registered', async () => {
    const expired = await identity({ placement: 'cn', appId: APP_A, keyPassword: null, days: 1 }, { now: new Date(Date.now() - 30 * DAY) });
    appAPins.push(expired.certificate?.pem ?? '');
    await dir.write('expired.crt', expired.certificate?.pem ?? '');
    await dir.write('expired.key', expired.privateKeyPem);
    const login = await curl([server.url, '-X', 'POST', '--cert', 'expired.crt', '--key', 'expired.key']);
    expect(login.status).toBe(401);
    expect(login.body.message).toMatch(/^the certificate is not valid now \(valid from .* to .*\)$/);
  });

  it('the CA-signed leaf without its issuing CA: it no longer chains to the trusted root', async () => {
    const login = await curl([
      server.url,
      '-X',
      'POST',
      '--cert',
      'completed-leaf.pem',
      '--key',
      `csr/app-${APP_C}.key`,
      '--pass',
      KEY_PASSWORD,
    ]);
    expect(login.status).toBe(401);
    expect(login.body.message).toBe(`the certificate is not registered for app ${APP_C} and does not chain to a CA it trusts`);
  });

  it('no client certificate at all', async () => {
    const login = await curl([server.url, '-X', 'POST', '-u', `${APP_A}:`]);
    expect(login).toMatchObject({ status: 401, body: { message: 'no client certificate was presented' } });
  });
});
