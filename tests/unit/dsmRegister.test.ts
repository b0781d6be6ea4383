import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import {
  API_ENDPOINT_PLACEHOLDER,
  dsmRegistration,
  parseSubjectGeneral,
  readApiEndpoint,
  registrationCurl,
  renewalAdvice,
  subjectPairs,
} from '../../src/lib/dsmRegister';
import { subjectPairs as opensslPairs } from '../interop/mtls-server';
import { fromBase64 } from '../../src/lib/pem';
import { APP_A, APP_B, APP_C, identity } from '../interop/identities';
import { makePki, type TestPki } from '../interop/openssl-ca';
import { run, tempDir, type TempDir } from '../interop/tools';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const enc = (text: string) => new TextEncoder().encode(text) as Bytes;
let dir: TempDir;
const bytesOf = async (name: string) => new Uint8Array(await dir.read(name));
let pki: TestPki;
let signedChain: string;

beforeAll(async () => {
  dir = await tempDir('appcert-dsm-register-');
  pki = await makePki(dir, 'Register Test');
  const request = await identity({ mode: 'csr', placement: 'oid', appId: APP_C });
  const csr = await dir.write('app.csr', request.csrPem ?? '');
  const ca = await pki.caPem();
  signedChain = (await readFile(await pki.sign(csr, 'app.pem'), 'utf8')) + ca.issuing;
});
afterAll(async () => {
  await dir?.remove();
});

describe('dsmRegistration: the pinned certificate ("Certificate" method)', () => {
  it('is PATCH /sys/v1/apps/<uuid> with the base64 DER, as curl and JSON', async () => {
    const made = await identity({ placement: 'cn' });
    const result = await dsmRegistration({
      certificate: { name: 'app.crt', bytes: enc(made.certificate?.pem ?? '') },
      endpoint: 'https://dsm.example.com',
    });
    if (!result.ok) throw new Error(result.message);
    const { request, method, appId, screenSteps } = result.value;
    expect({ method, appId }).toEqual({ method: 'certificate', appId: APP_A });
    expect(request.method).toBe('PATCH');
    expect(request.path).toBe(`/sys/v1/apps/${APP_A}`);
    expect(Buffer.from(fromBase64((request.body.credential as { certificate: string }).certificate) as Bytes)).toEqual(
      Buffer.from(made.certificate?.der as Bytes),
    );
    expect(request.curl).toBe(
      `curl -sS -X PATCH https://dsm.example.com/sys/v1/apps/${APP_A} \\\n  -H "Authorization: Bearer $DSM_ADMIN_TOKEN" \\\n  -H 'Content-Type: application/json' \\\n  --data-binary '${JSON.stringify(request.body)}'`,
    );
    expect(screenSteps[1]).toContain('Change the authentication method');
  });

  it('needs --app-id for a certificate without the UUID, and refuses one that contradicts it', async () => {
    const none = await identity({ placement: 'none' });
    const certificate = { name: 'none.crt', bytes: none.certificate?.der as Bytes };
    expect(await dsmRegistration({ certificate })).toMatchObject({ ok: false, code: 'app-id-needed' });
    expect(await dsmRegistration({ certificate, appId: APP_B })).toMatchObject({
      ok: true,
      value: { appId: APP_B, request: { path: `/sys/v1/apps/${APP_B}` } },
    });
    const cn = await identity({ placement: 'cn' });
    expect(await dsmRegistration({ certificate: { name: 'cn.crt', bytes: cn.certificate?.der as Bytes }, appId: APP_B })).toMatchObject({
      ok: false,
      code: 'app-id-mismatch',
    });
  });

  it('uses a placeholder without an endpoint and refuses one with a path', async () => {
    const made = await identity();
    const certificate = { name: 'app.crt', bytes: made.certificate?.der as Bytes };
    const result = await dsmRegistration({ certificate });
    expect(result.ok && result.value.request.curl).toContain(`'${API_ENDPOINT_PLACEHOLDER}/sys/v1/apps/`);
    expect(await dsmRegistration({ certificate, endpoint: 'https://dsm.example.com/sys/v1' })).toMatchObject({
      ok: false,
      code: 'bad-endpoint',
    });
    expect(readApiEndpoint('http://dsm.example.com')).toMatchObject({ ok: false, code: 'bad-endpoint', message: /https:\/\/host/ });
    expect(readApiEndpoint(' https://dsm.example.com:8443/ ')).toEqual({ ok: true, value: 'https://dsm.example.com:8443/' });
    expect(readApiEndpoint('')).toEqual({ ok: true, value: API_ENDPOINT_PLACEHOLDER });
  });
});

describe('dsmRegistration: the Trusted CA method', () => {
  it('sends the CA and the subject pairs, short names and the app-id OID dotted', async () => {
    const result = await dsmRegistration({
      certificate: { name: 'chain.pem', bytes: enc(signedChain) },
      trustedCa: { name: 'root.pem', bytes: await bytesOf('register-test-root.pem') },
    });
    if (!result.ok) throw new Error(result.message);
    const credential = result.value.request.body.credential as { trustedca: { ca_certificate: string; subject: [string, string][] } };
    expect(credential.trustedca.subject).toEqual([
      ['O', 'Example Corp'],
      ['CN', 'payments.example.com'],
      ['1.3.6.1.4.1.49690.1.2.1', APP_C],
    ]);
    expect(credential.trustedca.ca_certificate).toBe((await readFile(pki.root.certificate, 'utf8')).replace(/-----[^-]+-----|\s/g, ''));
    expect(result.value.method).toBe('trusted-ca');
  });

  it('refuses a CA that did not sign the certificate, and the leaf alone when only the root is given', async () => {
    await makePki(dir, 'Other CA');
    const trustedCa = { name: 'other.pem', bytes: await bytesOf('other-ca-root.pem') };
    expect(await dsmRegistration({ certificate: { name: 'chain.pem', bytes: enc(signedChain) }, trustedCa })).toMatchObject({
      ok: false,
      code: 'not-issued-by-ca',
    });
    const leafOnly = signedChain.slice(0, signedChain.indexOf('-----END CERTIFICATE-----') + 26);
    const root = { name: 'root.pem', bytes: await bytesOf('register-test-root.pem') };
    expect(await dsmRegistration({ certificate: { name: 'leaf.pem', bytes: enc(leafOnly) }, trustedCa: root })).toMatchObject({
      ok: false,
      code: 'not-issued-by-ca',
    });
    const issuing = { name: 'issuing.pem', bytes: await bytesOf('register-test-issuing.pem') };
    expect((await dsmRegistration({ certificate: { name: 'leaf.pem', bytes: enc(leafOnly) }, trustedCa: issuing })).ok).toBe(true);
    expect(
      await dsmRegistration({
        certificate: { name: 'leaf.pem', bytes: enc(leafOnly) },
        trustedCa: { name: 'two.pem', bytes: enc(signedChain) },
      }),
    ).toMatchObject({ ok: false, code: 'several-cas' });
  });
});

describe('dsmRegistration: Trusted CA matching an alternative name (subject_general)', () => {
  // The shape of sdkms-client-go's TrustedCaCredential: the TrustAnchorSubject enum is flattened
  // into "trustedca", so "subject_general" takes the place of "subject".
  let chain: string;
  beforeAll(async () => {
    const request = await identity({
      mode: 'csr',
      placement: 'oid',
      appId: APP_B,
      altNames: { dns: ['App1.example.com'], email: [], ip: ['10.0.0.7'] },
    });
    const ca = await pki.caPem();
    chain = (await readFile(await pki.sign(await dir.write('general.csr', request.csrPem ?? ''), 'general.pem'), 'utf8')) + ca.issuing;
  });
  const register = async (subjectGeneral: ReturnType<typeof parseSubjectGeneral>, withCa = true) => {
    if (!subjectGeneral.ok) throw new Error(subjectGeneral.message);
    return dsmRegistration({
      certificate: { name: 'general.pem', bytes: enc(chain) },
      trustedCa: withCa ? { name: 'root.pem', bytes: await bytesOf('register-test-root.pem') } : undefined,
      subjectGeneral: subjectGeneral.value,
    });
  };

  it('sends {"subject_general":{"dns_name"}} or {"ip_address"} in place of the subject, for a name the certificate carries', async () => {
    const dns = await register(parseSubjectGeneral('dns:app1.example.com'));
    if (!dns.ok) throw new Error(dns.message);
    const trusted = (dns.value.request.body.credential as { trustedca: Record<string, unknown> }).trustedca;
    expect(Object.keys(trusted).sort()).toEqual(['ca_certificate', 'subject_general']);
    expect(trusted.subject_general).toEqual({ dns_name: 'app1.example.com' });
    expect(dns.value.screenSteps.join(' ')).toContain('DNS:app1.example.com');
    expect(dns.value.renewal[0]).toContain('for the alternative name DNS:app1.example.com');
    const ip = await register(parseSubjectGeneral('ip:10.0.0.7'));
    expect(ip.ok && ip.value.request.body.credential).toMatchObject({ trustedca: { subject_general: { ip_address: '10.0.0.7' } } });
  });

  it('refuses a name the certificate does not carry, a malformed one, and one without the CA', async () => {
    expect(await register(parseSubjectGeneral('dns:other.example.com'))).toMatchObject({
      ok: false,
      code: 'subject-general-not-in-certificate',
      message: expect.stringContaining('DNS:App1.example.com, IP Address:10.0.0.7'),
    });
    expect(await register(parseSubjectGeneral('ip:10.0.0.8'))).toMatchObject({ ok: false, code: 'subject-general-not-in-certificate' });
    expect(await register(parseSubjectGeneral('dns:app1.example.com'), false)).toMatchObject({
      ok: false,
      code: 'subject-general-needs-ca',
    });
    for (const bad of ['app1.example.com', 'ip:999.1.1.1', 'uri:https://x', 'dns:']) {
      expect(parseSubjectGeneral(bad)).toMatchObject({ ok: false, code: 'bad-subject-general' });
    }
  });
});

describe('subjectPairs agrees with OpenSSL (through node:crypto) on every attribute appcert writes', () => {
  it.each(['cn', 'oid', 'none'] as const)('placement %s', async (placement) => {
    const made = await identity({
      placement,
      subject: {
        country: 'us',
        state: 'CA',
        locality: 'Mountain View',
        organization: 'Example, Inc.',
        organizationalUnit: 'Ops + Payments',
        commonName: placement === 'cn' ? '' : 'payments.example.com',
        email: 'team@example.com',
      },
    });
    const pkijsCertificate = pkijs.Certificate.fromBER(made.certificate?.der as Bytes);
    expect(subjectPairs(pkijsCertificate)).toEqual(opensslPairs(new X509Certificate(made.certificate?.pem ?? '')));
  });
});

describe('registrationCurl quotes every value for the shell', () => {
  it('a hostile subject value reaches curl unchanged and runs nothing', async () => {
    const body = { credential: { trustedca: { ca_certificate: 'AAAA', subject: [['CN', `x'; touch pwned; echo '$(id)\`id\` "$HOME"`]] } } };
    const command = registrationCurl('https://dsm.example.com', '/sys/v1/apps/x', body);
    // printf stands in for curl: the shell must hand it the body exactly.
    const printed = await run('sh', ['-c', command.replace(/^curl /, 'printf "%s\\n" ').replace(/ \\\n {2}/g, ' ')], {
      cwd: dir.path,
      env: { DSM_ADMIN_TOKEN: 'T' },
    });
    expect(printed.code).toBe(0);
    expect(printed.stdout.split('\n')).toContain(JSON.stringify(body));
    expect(printed.stdout).toContain('Authorization: Bearer T');
    expect((await run('ls', [dir.path])).stdout).not.toContain('pwned');
  });
});

describe('renewalAdvice', () => {
  it("says when the admin must act and when not, citing Fortanix's guide", () => {
    expect(renewalAdvice('certificate').join(' ')).toMatch(/old one stops working the moment it is replaced.*section 3\.7/s);
    expect(renewalAdvice('trusted-ca')[0]).toContain('needs no change in DSM');
    expect([...renewalAdvice('certificate'), ...renewalAdvice('trusted-ca')].join(' ')).not.toMatch(/seed/i);
  });
});
