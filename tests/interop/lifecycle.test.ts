/**
 * The whole lifecycle as teams and admins run it, with the `appcert` command and real curl against
 * the stand-in for DSM (`mtls-server.ts`): generate, register with the request `dsm-register`
 * prints (its curl command, run as printed), log in; renew, register the renewal, log in, and the
 * replaced certificate is refused. Then a CA-signed app registered as "Trusted CA": its renewal
 * (same subject, same CA) logs in with no admin call at all.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_A, APP_B, APP_C, identity } from './identities';
import { startMtlsServer, type MtlsServer } from './mtls-server';
import { makePki, makeServerIdentity, type TestPki } from './openssl-ca';
import { openssl, run, tempDir, type TempDir } from './tools';

const BIN = resolve(import.meta.dirname, '../../bin/appcert.mjs');
const KEY_PASSWORD = 'correct horse battery';
const ADMIN_TOKEN = 'admin-token-for-tests-only';

let dir: TempDir;
let server: MtlsServer;
let serverCa: string;
let pki: TestPki;

async function appcert(...args: string[]): Promise<{ code: number; json: Record<string, any>; stderr: string }> {
  const result = await run(process.execPath, [BIN, ...args, '--json'], { cwd: dir.path, timeout: 120_000 });
  if (result.code !== 0) throw new Error(`appcert ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return { code: result.code, json: JSON.parse(result.stdout), stderr: result.stderr };
}

interface Answer {
  status: number;
  body: Record<string, any>;
}

function answer(stdout: string, stderr: string): Answer {
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  if (!Number.isInteger(status) || status === 0) throw new Error(`curl did not get an answer: ${stderr}`);
  return { status, body: JSON.parse(lines.join('\n')) };
}

/** Runs the admin's curl command exactly as `dsm-register` printed it, with the token in the environment. */
async function runRegistration(certificate: string, ...options: string[]): Promise<Answer> {
  const { json } = await appcert('dsm-register', '--cert', certificate, '--endpoint', server.endpoint, ...options);
  expect(json.curl).toContain('"Authorization: Bearer $DSM_ADMIN_TOKEN"');
  expect(json.curl).not.toContain(ADMIN_TOKEN);
  const result = await run('sh', ['-c', `${json.curl} --cacert '${serverCa}' -w '\\n%{http_code}'`], {
    cwd: dir.path,
    env: { DSM_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  return answer(result.stdout, result.stderr);
}

/** The app's login (Fortanix's mutual-TLS guide, section 4.0) with a certificate (or chain) and its key. */
async function login(certificate: string, key: string): Promise<Answer> {
  const result = await run(
    'curl',
    [
      '-sS',
      '--cacert',
      serverCa,
      '-w',
      '\n%{http_code}',
      server.url,
      '-X',
      'POST',
      '--cert',
      certificate,
      '--key',
      key,
      '--pass',
      KEY_PASSWORD,
    ],
    { cwd: dir.path },
  );
  return answer(result.stdout, result.stderr);
}

beforeAll(async () => {
  dir = await tempDir('appcert-lifecycle-');
  const tls = await makeServerIdentity(dir);
  serverCa = tls.caCertificate;
  server = await startMtlsServer(
    { key: await readFile(tls.key, 'utf8'), certificate: await readFile(tls.certificate, 'utf8') },
    undefined,
    ADMIN_TOKEN,
  );
  pki = await makePki(dir, 'Lifecycle CA');
  // The apps exist in DSM (with an API key); no certificate is registered yet.
  server.register(APP_A, {});
  server.register(APP_C, {});
}, 120_000);

afterAll(async () => {
  await server?.close();
  await dir?.remove();
});

describe('a pinned certificate ("Certificate" method): generate, register, renew, register again', { timeout: 180_000 }, () => {
  let first: Record<string, any>;
  let renewed: Record<string, any>;

  it('generate, then register with the printed curl command: the app logs in', async () => {
    ({ json: first } = await appcert(
      'generate',
      '--app-id',
      APP_A,
      '--placement',
      'cn',
      '--key',
      'ec-p256',
      '--subject',
      '/C=US/O=Example, Inc.',
      '--days',
      '90',
      '--key-password',
      KEY_PASSWORD,
      '--out',
      'first',
    ));
    expect((await login(first.files.certificate, first.files.privateKey)).status).toBe(401);

    const registered = await runRegistration(first.files.certificate);
    expect(registered).toEqual({ status: 200, body: { app_id: APP_A, auth_type: 'Certificate' } });
    const answer = await login(first.files.certificate, first.files.privateKey);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.entity_id).toBe(APP_A);
  });

  it('the printed request without the admin token is refused', async () => {
    const { json } = await appcert('dsm-register', '--cert', first.files.certificate, '--endpoint', server.endpoint);
    const result = await run('sh', ['-c', `${json.curl} --cacert '${serverCa}' -w '\\n%{http_code}'`], {
      cwd: dir.path,
      env: { DSM_ADMIN_TOKEN: 'guessed' },
    });
    expect(answer(result.stdout, result.stderr).status).toBe(401);
  });

  it('renew: same subject and validity length, new key; the old one works until the admin replaces it', async () => {
    ({ json: renewed } = await appcert('renew', '--from', first.files.certificate, '--key-password', KEY_PASSWORD, '--out', 'renewed'));
    expect(renewed).toMatchObject({ appId: APP_A, placement: 'cn', keyType: 'ec-p256', kind: 'self-signed', subject: first.subject });
    expect(renewed.renewedFrom).toEqual({
      serialNumber: first.serialNumber,
      notAfter: first.notAfter,
      sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
    expect(Date.parse(renewed.notAfter) - Date.parse(renewed.notBefore)).toBe(Date.parse(first.notAfter) - Date.parse(first.notBefore));
    expect(await readFile(dir.file(renewed.files.privateKey), 'utf8')).not.toBe(await readFile(dir.file(first.files.privateKey), 'utf8'));

    expect((await login(first.files.certificate, first.files.privateKey)).status).toBe(200);
    expect((await login(renewed.files.certificate, renewed.files.privateKey)).status).toBe(401);
  });

  it('register the renewed certificate: it logs in, and the replaced one is refused from that moment', async () => {
    expect((await runRegistration(renewed.files.certificate)).status).toBe(200);
    expect((await login(renewed.files.certificate, renewed.files.privateKey)).status).toBe(200);
    const old = await login(first.files.certificate, first.files.privateKey);
    expect(old.status).toBe(401);
    expect(old.body.message).toBe(`the certificate is not registered for app ${APP_A} and does not chain to a CA it trusts`);
  });
});

describe('a CA-signed certificate ("Trusted CA" method): its renewal needs no admin call', { timeout: 180_000 }, () => {
  let completed: Record<string, any>;
  let callsAfterRegistration: number;

  /** generate/renew --csr, the CA signs, `appcert complete` joins key and chain. */
  async function signAndComplete(csr: string, key: string, out: string): Promise<Record<string, any>> {
    const signed = await pki.sign(csr, `${out}-signed.pem`);
    const { json } = await appcert(
      'complete',
      '--key',
      key,
      '--key-password',
      KEY_PASSWORD,
      '--cert',
      pki.root.certificate,
      '--cert',
      signed,
      '--cert',
      pki.issuing.certificate,
      '--out',
      out,
    );
    return json;
  }

  it('a CSR signed by a throwaway OpenSSL CA, registered as Trusted CA, logs in', async () => {
    const { json: request } = await appcert(
      'generate',
      '--app-id',
      APP_C,
      '--placement',
      'oid',
      '--csr',
      '--key',
      'ec-p256',
      '--subject',
      '/C=DE/O=Example GmbH/OU=Payments/CN=payments.example.com',
      '--key-password',
      KEY_PASSWORD,
      '--out',
      'ca-first',
    );
    completed = await signAndComplete(request.files.csr, request.files.privateKey, 'ca-first-completed');
    expect(completed).toMatchObject({ appId: APP_C, foundIn: 'oid' });
    expect(completed.chain).toHaveLength(3);

    const registered = await runRegistration(completed.files.chain, '--trusted-ca', pki.root.certificate);
    expect(registered).toEqual({ status: 200, body: { app_id: APP_C, auth_type: 'TrustedCa' } });
    const { json } = await appcert('dsm-register', '--cert', completed.files.chain, '--trusted-ca', pki.root.certificate);
    expect(json.body.credential.trustedca.subject).toEqual([
      ['C', 'DE'],
      ['O', 'Example GmbH'],
      ['OU', 'Payments'],
      ['CN', 'payments.example.com'],
      ['1.3.6.1.4.1.49690.1.2.1', APP_C],
    ]);
    callsAfterRegistration = server.adminCalls.length;

    const answer = await login(completed.files.chain, 'ca-first/' + `app-${APP_C}.key`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(server.attempts.at(-1)?.reason).toBe('certificate issued by a trusted CA (app UUID from OID)');
  });

  it('its renewal (same subject, same CA, new key) logs in with no admin call', async () => {
    const { json: request } = await appcert(
      'renew',
      '--from',
      completed.files.chain,
      '--csr',
      '--key-password',
      KEY_PASSWORD,
      '--out',
      'ca-renewed',
    );
    expect(request).toMatchObject({ kind: 'csr', appId: APP_C, subject: completed.subject });
    const renewed = await signAndComplete(request.files.csr, request.files.privateKey, 'ca-renewed-completed');
    expect(renewed.serialNumber).not.toBe(completed.serialNumber);

    const answer = await login(renewed.files.chain, request.files.privateKey);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(server.adminCalls.length).toBe(callsAfterRegistration);
    // Both work: nothing was replaced.
    expect((await login(completed.files.chain, `ca-first/app-${APP_C}.key`)).status).toBe(200);
  });

  it('a certificate from the same CA with another subject is refused: the subject is part of the registration', async () => {
    const { json: request } = await appcert(
      'generate',
      '--app-id',
      APP_C,
      '--placement',
      'oid',
      '--csr',
      '--key',
      'ec-p256',
      '--subject',
      '/C=DE/O=Someone Else/CN=payments.example.com',
      '--key-password',
      KEY_PASSWORD,
      '--out',
      'ca-other',
    );
    const other = await signAndComplete(request.files.csr, request.files.privateKey, 'ca-other-completed');
    const answer = await login(other.files.chain, request.files.privateKey);
    expect(answer.status).toBe(401);
    expect(answer.body.message).toMatch(/is not the one registered with the trusted CA/);
  });

  it('dsm-register --trusted-ca refuses a CA that did not sign the certificate (exit 1)', async () => {
    const stranger = await makePki(dir, 'Stranger CA');
    const result = await run(
      process.execPath,
      [BIN, 'dsm-register', '--cert', completed.files.chain, '--trusted-ca', stranger.root.certificate],
      { cwd: dir.path, timeout: 60_000 },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[not-issued-by-ca]');
    expect(result.stdout).toBe('');
  });
});

describe('Trusted CA matching an alternative name ("subject_general"): dsm-register --subject-general', { timeout: 180_000 }, () => {
  /** A CSR with these DNS names (made by the core, as Create makes it), signed by the CA: its chain and key. */
  async function signed(name: string, dns: string[]): Promise<{ chain: string; key: string }> {
    const request = await identity({
      mode: 'csr',
      placement: 'oid',
      appId: APP_B,
      keyPassword: KEY_PASSWORD,
      altNames: { dns, email: [] },
    });
    const key = await dir.write(`${name}.key`, request.privateKeyPem);
    const leaf = await pki.sign(await dir.write(`${name}.csr`, request.csrPem ?? ''), `${name}.pem`);
    const chain = await dir.write(`${name}-chain.pem`, (await readFile(leaf, 'utf8')) + (await readFile(pki.issuing.certificate, 'utf8')));
    return { chain, key };
  }

  it('registered by DNS name, a certificate from that CA carrying it logs in; one without it is refused', async () => {
    server.register(APP_B, {});
    const app = await signed('general', ['app1.example.com']);
    const registered = await runRegistration(app.chain, '--trusted-ca', pki.root.certificate, '--subject-general', 'dns:app1.example.com');
    expect(registered).toEqual({ status: 200, body: { app_id: APP_B, auth_type: 'TrustedCa' } });
    expect(server.adminCalls.at(-1)?.reason).toMatch(/for DNS:app1\.example\.com$/);
    const answer = await login(app.chain, app.key);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);

    const other = await signed('general-other', ['app2.example.com']);
    const refused = await login(other.chain, other.key);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe(
      'the certificate does not carry DNS:app1.example.com, the alternative name registered with the trusted CA',
    );
  });
});

describe('the subject survives renewal byte for byte', () => {
  it('through the CLI, as OpenSSL prints it (RFC 2253)', async () => {
    // Covered for every placement and key type by renew-subject.test.ts; here one CLI run is checked with OpenSSL.
    const { json: made } = await appcert(
      'generate',
      '--app-id',
      APP_A,
      '--placement',
      'oid',
      '--key',
      'ec-p256',
      '--subject',
      '/C=US/ST=CA/L=Mountain View/O=Fortanix/OU=Test/CN=test.example.com/emailAddress=team@example.com',
      '--out',
      'bytes-first',
    );
    const { json: renewed } = await appcert('renew', '--from', made.files.certificate, '--out', 'bytes-renewed');
    const subject = async (path: string) => (await openssl(['x509', '-in', path, '-noout', '-subject', '-nameopt', 'RFC2253'])).stdout;
    expect(await subject(renewed.files.certificate)).toBe(await subject(made.files.certificate));
  }, 60_000);
});
