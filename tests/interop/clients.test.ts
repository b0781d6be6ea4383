/**
 * The "tested here" cells of docs/pkcs12-clients.md that other interop tests do not cover: real
 * clients log in to the stand-in for DSM's `POST /sys/v1/session/auth` with appcert's files, the
 * way appcert's per-client steps (src/lib/clientSteps.ts) tell users to: Java 17's JSSE with the
 * javax.net.ssl.keyStore properties, Node's tls with pfx or PEM, Python's ssl with load_cert_chain
 * and requests with cert=(certificate, key); Go's golang.org/x/crypto/pkcs12 and crypto/tls.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsseKeyStoreProperties, KEY_PASSWORD_PLACEHOLDER, pythonLogin, requestsLogin } from '../../src/lib/clientSteps';
import type { CreatedIdentity } from '../../src/lib/create';
import { fileNames } from '../../src/lib/fileNames';
import { writePkcs12 } from '../../src/lib/pkcs12';
import { APP_A, identity } from './identities';
import { startMtlsServer, type MtlsServer } from './mtls-server';
import { makeServerIdentity } from './openssl-ca';
import { keytool, python, run, tempDir, type TempDir } from './tools';

const KEY_PASSWORD = 'correct horse battery';
const P12_PASSWORD = 'Tr0ub4dor&3-clients';
const PROFILES = ['modern', 'legacy'] as const;

let dir: TempDir;
let server: MtlsServer;
let serverCa: string;
let created: CreatedIdentity;
const p12: Record<string, string> = {};
let certificateFile: string;
let keyFile: string;

beforeAll(async () => {
  dir = await tempDir('appcert-clients-');
  const tls = await makeServerIdentity(dir);
  serverCa = tls.caCertificate;
  server = await startMtlsServer({ key: await readFile(tls.key, 'utf8'), certificate: await readFile(tls.certificate, 'utf8') });
  created = await identity({ placement: 'cn', appId: APP_A, keyPassword: KEY_PASSWORD });
  server.register(APP_A, { pinned: [created.certificate?.pem ?? ''] });
  const names = fileNames(created.appId);
  certificateFile = await dir.write(names.certificate, created.certificate?.pem ?? '');
  keyFile = await dir.write(names.privateKey, created.privateKeyPem);
  for (const profile of PROFILES) {
    const written = await writePkcs12({
      privateKey: created.keyPair.privateKey,
      certificates: [created.certificate?.der ?? new Uint8Array()],
      password: P12_PASSWORD,
      profile,
    });
    if (!written.ok) throw new Error(written.message);
    p12[profile] = await dir.write(`${profile}.p12`, written.value);
  }
});

afterAll(async () => {
  await server?.close();
  await dir?.remove();
});

const expectToken = (status: number, body: string) => {
  expect(status, body).toBe(200);
  expect(JSON.parse(body)).toMatchObject({ token_type: 'Bearer', entity_id: APP_A });
};

/** POSTs to the stand-in with Node's https and the given TLS options; status and body. */
function nodeLogin(options: { pfx?: Buffer; cert?: string; key?: string; passphrase: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    readFile(serverCa).then((ca) => {
      const req = request(server.url, { method: 'POST', ca, ...options }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    }, reject);
  });
}

describe('Java 17 JSSE', () => {
  // A plain JSSE client: no key store code at all, only the default SSL context and the system properties.
  const LOGIN_JAVA = [
    'import java.net.URL;',
    'import javax.net.ssl.HttpsURLConnection;',
    'public class Login {',
    '  public static void main(String[] args) throws Exception {',
    '    HttpsURLConnection c = (HttpsURLConnection) new URL(args[0]).openConnection();',
    '    c.setRequestMethod("POST");',
    '    int status = c.getResponseCode();',
    '    System.out.println(status);',
    '    System.out.println(new String((status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes(), "UTF-8"));',
    '  }',
    '}',
  ].join('\n');

  let source: string;
  let trust: string;
  beforeAll(async () => {
    source = await dir.write('Login.java', LOGIN_JAVA);
    trust = dir.file('trust.p12');
    const imported = await keytool([
      '-importcert',
      '-noprompt',
      '-alias',
      'server-ca',
      '-file',
      serverCa,
      '-storetype',
      'PKCS12',
      '-keystore',
      trust,
      '-storepass',
      'changeit',
    ]);
    if (imported.code !== 0) throw new Error(imported.stdout + imported.stderr);
  });

  it.each(PROFILES)(
    'Java 17 JSSE logs in with the javax.net.ssl.keyStore properties (%s profile)',
    async (profile) => {
      const properties = jsseKeyStoreProperties(p12[profile], P12_PASSWORD);
      const out = await run(
        'java',
        [...properties, `-Djavax.net.ssl.trustStore=${trust}`, '-Djavax.net.ssl.trustStorePassword=changeit', source, server.url],
        { cwd: dir.path, timeout: 120_000 },
      );
      expect(out.code, out.stderr).toBe(0);
      const [status, ...body] = out.stdout.trim().split('\n');
      expectToken(Number(status), body.join('\n'));
    },
    180_000,
  );
});

describe('Node tls', () => {
  it.each(PROFILES)('Node tls logs in with pfx and passphrase (%s profile)', async (profile) => {
    const { status, body } = await nodeLogin({ pfx: await readFile(p12[profile]), passphrase: P12_PASSWORD });
    expectToken(status, body);
  });

  it('Node tls logs in with a PEM certificate and encrypted key', async () => {
    const { status, body } = await nodeLogin({
      cert: await readFile(certificateFile, 'utf8'),
      key: await readFile(keyFile, 'utf8'),
      passphrase: KEY_PASSWORD,
    });
    expectToken(status, body);
  });
});

describe('Python ssl', () => {
  it('Python ssl logs in with load_cert_chain, PEM certificate and encrypted key', async () => {
    // The program appcert shows for Python, with the test server's CA and the placeholders filled in.
    const program = pythonLogin({ pkcs12: '', certificate: certificateFile, privateKey: keyFile }, new URL(server.url).host)
      .replace('ssl.create_default_context()', 'ssl.create_default_context(cafile=sys.argv[1])')
      .replace(JSON.stringify(KEY_PASSWORD_PLACEHOLDER), JSON.stringify(KEY_PASSWORD));
    const out = await python(`import sys\n${program}`, [serverCa]);
    expect(out.code, out.stderr).toBe(0);
    expectToken(200, out.stdout.trim());
    expect(server.attempts.at(-1)?.reason).toBe('registered certificate (app UUID from CN)');
  });

  it('Python requests logs in with cert=(certificate, key), the key saved without a password', async () => {
    const plain = await identity({ placement: 'oid', appId: APP_A, keyPassword: null });
    server.register(APP_A, { pinned: [created.certificate?.pem ?? '', plain.certificate?.pem ?? ''] });
    const files = {
      pkcs12: '',
      certificate: await dir.write('plain.crt', plain.certificate?.pem ?? ''),
      privateKey: await dir.write('plain.key', plain.privateKeyPem),
    };
    const call = requestsLogin(files, new URL(server.url).host).replace(/\)\)$/, '), verify=sys.argv[1])');
    const out = await python(`import sys, requests\nresponse = ${call}\nprint(response.status_code)\nprint(response.text)`, [serverCa]);
    expect(out.code, out.stderr).toBe(0);
    const [status, ...body] = out.stdout.trim().split('\n');
    expectToken(Number(status), body.join('\n'));
    expect(server.attempts.at(-1)?.reason).toBe('registered certificate (app UUID from OID)');
  });
});

describe('Go', () => {
  let login: string;
  let plain: { certificate: string; privateKey: string };
  beforeAll(async () => {
    // GOPATH mode against Debian's golang-golang-x-crypto-dev: nothing is downloaded.
    login = dir.file('go-login');
    const built = await run('go', ['build', '-o', login, 'tests/interop/go/login.go'], {
      env: { GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: dir.file('go-cache') },
      timeout: 180_000,
    });
    if (built.code !== 0) throw new Error(built.stderr);
    const unencrypted = await identity({ placement: 'cn', appId: APP_A, keyPassword: null });
    server.register(APP_A, { pinned: [created.certificate?.pem ?? '', unencrypted.certificate?.pem ?? ''] });
    plain = {
      certificate: await dir.write('go.crt', unencrypted.certificate?.pem ?? ''),
      privateKey: await dir.write('go.key', unencrypted.privateKeyPem),
    };
  }, 240_000);

  const goLogin = (args: string[]) => run(login, [...args, server.url, serverCa]);

  it('Go x/crypto/pkcs12 decodes the legacy profile and logs in', async () => {
    const out = await goLogin(['p12', p12.legacy, P12_PASSWORD]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const [status, ...body] = out.stdout.trim().split('\n');
    expectToken(Number(status), body.join('\n'));
  });

  it('Go x/crypto/pkcs12 refuses the modern profile', async () => {
    const out = await goLogin(['p12', p12.modern, P12_PASSWORD]);
    expect(out.code).toBe(3);
    expect(out.stdout).toMatch(/^refused: pkcs12: unknown digest algorithm: 2\.16\.840\.1\.101\.3\.4\.2\.1/);
  });

  it('Go crypto/tls logs in with LoadX509KeyPair, PEM certificate and unencrypted key', async () => {
    const out = await goLogin(['pem', plain.certificate, plain.privateKey]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const [status, ...body] = out.stdout.trim().split('\n');
    expectToken(Number(status), body.join('\n'));
  });
});

describe('appcert generate --for', () => {
  const cli = (args: string[]) => run('node', ['bin/appcert.mjs', 'generate', '--app-id', APP_A, '--key', 'ec-p256', ...args]);

  it.each([
    ['macos-keychain', 'legacy', 'MAC: sha1, Iteration 2048'],
    ['java-17', 'modern', 'MAC: sha256, Iteration 2048'],
  ] as const)('--for %s writes the %s profile the table gives it, and OpenSSL agrees', async (client, profile, macLine) => {
    const result = await cli(['--out', dir.file(`for-${client}`), '--p12-password', P12_PASSWORD, '--for', client, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { pkcs12Profile: string; client: { id: string }; files: { pkcs12: string } };
    expect(report).toMatchObject({ pkcs12Profile: profile, client: { id: client } });
    const info = await run('openssl', ['pkcs12', '-info', '-nokeys', '-in', report.files.pkcs12, '-passin', `pass:${P12_PASSWORD}`]);
    expect(info.stdout + info.stderr).toContain(macLine);
  });

  it('prints the Java steps with the keystore properties', async () => {
    const result = await cli(['--out', dir.file('for-java-8'), '--p12-password', P12_PASSWORD, '--for', 'java-8']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('appcert recommends a PKCS#12 file in the legacy profile');
    expect(result.stdout).toContain(`-Djavax.net.ssl.keyStore=app-${APP_A}.p12 -Djavax.net.ssl.keyStoreType=PKCS12`);
  });

  it('refuses an unknown client, and a PKCS#12 client without --p12-password (exit 2)', async () => {
    const unknown = await cli(['--out', dir.file('for-bad'), '--for', 'netscape']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--for: "netscape" is not a client appcert knows');
    const noPassword = await cli(['--out', dir.file('for-bad'), '--for', 'java-8']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('--for java-8 means a PKCS#12 file in the legacy profile: add --p12-password');
  });
});
