import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { toHex } from '../../src/lib/plain/bytes';
import { createIdentity, type CreateRequest } from '../../src/lib/create';
import { NO_ALT_NAMES } from '../../src/lib/extensions';
import { generateKeyPair } from '../../src/lib/plain/keys';
import { parsePem } from '../../src/lib/pem';
import { decryptPkcs8, exportPkcs8 } from '../../src/lib/privateKey';
import { EMPTY_SUBJECT, formatSubject } from '../../src/lib/plain/subject';

// Key generation (RSA-4096 above all) and PBKDF2 take seconds on a busy two-core machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f';
const SERIAL = Uint8Array.from({ length: 16 }, (_, i) => 0x50 + i);
const NOW = new Date('2031-03-04T05:06:07Z');
const PASSWORD = 'correct horse battery staple';

const request = (changes: Partial<CreateRequest> = {}): CreateRequest => ({
  appId: APP_ID,
  placement: 'oid',
  oidStringType: 'UTF8String',
  subject: { ...EMPTY_SUBJECT, country: 'US', organization: 'Example Corp', commonName: 'payments' },
  keyType: 'ec-p256',
  mode: 'self-signed',
  days: 90,
  altNames: NO_ALT_NAMES,
  keyPassword: PASSWORD,
  ...changes,
});

let ecPair: CryptoKeyPair;
let rsaPair: CryptoKeyPair;
beforeAll(async () => {
  ecPair = await generateKeyPair('ec-p256');
  rsaPair = await generateKeyPair('rsa-2048');
});

/** The real WebCrypto, counting key generations, to prove a refused request generates nothing. */
function countingCrypto() {
  const counter = { generated: 0 };
  const subtle = new Proxy(crypto.subtle, {
    get(target, property) {
      if (property === 'generateKey') counter.generated += 1;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const counting = { subtle, getRandomValues: crypto.getRandomValues.bind(crypto), randomUUID: crypto.randomUUID.bind(crypto) } as Crypto;
  return { counter, crypto: counting };
}

/** The DER of the first PEM block; fails the test when there is none. */
function derOf(pem: string): Bytes {
  const parsed = parsePem(pem);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value[0].der;
}

const pemLabels = (text: string) => {
  const parsed = parsePem(text);
  return parsed.ok ? parsed.value.map((b) => b.label) : parsed.code;
};

describe('createIdentity refuses bad requests, per field, and generates nothing', () => {
  it('reports every field at once with its own message', async () => {
    const { counter, crypto } = countingCrypto();
    const outcome = await createIdentity(
      request({
        appId: `{{${APP_ID}}}`, // one pair of braces is cleaned away, two are a question
        subject: { ...EMPTY_SUBJECT, country: 'USA', organization: 'x'.repeat(65), email: 'nope' },
        days: 0,
        altNames: { dns: ['not a host'], email: [] },
        keyPassword: '',
      }),
      { crypto },
    );
    const problems = [
      {
        field: 'appId',
        code: 'malformed-uuid',
        message: 'Remove the curly braces: DSM writes the UUID without them, e.g. da7f2800-4122-4681-aebf-90beb779b73f.',
      },
      { field: 'country', code: 'country-not-iso-code', message: 'Use the two-letter ISO 3166 country code, e.g. US, GB or DE.' },
      {
        field: 'organization',
        code: 'subject-value-too-long',
        message: 'Organization can be at most 64 characters (RFC 5280); this has 65.',
      },
      { field: 'email', code: 'subject-email-invalid', message: 'Enter one email address in plain ASCII, like team@example.com.' },
      { field: 'days', code: 'days-out-of-range', message: 'Validity must be a whole number of days from 1 to 3650.' },
      {
        field: 'altNames',
        code: 'alt-name-not-dns',
        message: '"not a host" is not a DNS name: use letters, digits, hyphens and dots, like app.example.com.',
      },
      {
        field: 'keyPassword',
        code: 'key-password-empty',
        message: 'Enter a password to protect the private key file, or choose to download the key unencrypted.',
      },
    ];
    // The first problem's code, and every message in order for a one-line banner.
    expect(outcome).toEqual({ ok: false, code: 'malformed-uuid', message: problems.map((p) => p.message).join(' '), problems });
    expect(counter.generated).toBe(0);
  });

  it.each([
    ['an empty UUID', { appId: '' }, 'appId', 'empty-uuid', /^Enter the app UUID/],
    ['a UUID without hyphens', { appId: APP_ID.replaceAll('-', '') }, 'appId', 'malformed-uuid', /hyphens are missing/],
    [
      'an empty subject for placement none',
      { placement: 'none', subject: EMPTY_SUBJECT },
      'commonName',
      'subject-empty',
      /subject would be empty/,
    ],
    ['fractional days', { days: 1.5 }, 'days', 'days-out-of-range', /whole number of days/],
    ['too many days', { days: 3651 }, 'days', 'days-out-of-range', /from 1 to 3650/],
    ['a bad email alt name', { altNames: { dns: [], email: ['x'] } }, 'altNames', 'alt-name-not-email', /"x" is not an email address/],
  ] as const)('refuses %s', async (_, changes, field, code, message) => {
    const outcome = await createIdentity(request(changes as Partial<CreateRequest>), { keyPair: ecPair });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.problems).toHaveLength(1);
      expect(outcome.problems[0]).toMatchObject({ field, code });
      expect(outcome.problems[0].message).toMatch(message);
    }
  });

  it('does not check days for a CSR, which has no validity of its own', async () => {
    const outcome = await createIdentity(request({ mode: 'csr', days: 0 }), { keyPair: ecPair });
    expect(outcome.ok).toBe(true);
  });
});

describe('a self-signed certificate with an encrypted key', () => {
  it('uses the injected key, serial and clock, names the files after the app and encrypts the key', async () => {
    const outcome = await createIdentity(request(), { keyPair: ecPair, serialNumber: SERIAL, now: NOW });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const identity = outcome.value;
    expect(identity.appId).toBe(APP_ID);
    expect(identity.notes).toEqual([]);
    expect(identity.csrPem).toBeNull();
    expect(identity.files.map((f) => [f.kind, f.name, pemLabels(f.text)])).toEqual([
      ['certificate', `app-${APP_ID}.crt`, ['CERTIFICATE']],
      ['privateKey', `app-${APP_ID}.key`, ['ENCRYPTED PRIVATE KEY']],
    ]);
    expect(identity.files[1].text).toBe(identity.privateKeyPem);

    const certificate = identity.certificate!;
    expect(certificate.serialHex).toBe(toHex(SERIAL as Bytes));
    expect(certificate.notBefore.toISOString()).toBe('2031-03-04T05:01:07.000Z');
    expect(certificate.notAfter.toISOString()).toBe('2031-06-02T05:06:07.000Z');
    expect(toHex(derOf(certificate.pem))).toBe(toHex(certificate.der));
    const x509 = pkijs.Certificate.fromBER(certificate.der);
    expect(toHex(new Uint8Array(x509.subjectPublicKeyInfo.toSchema().toBER(false)) as Bytes)).toBe(
      toHex(new Uint8Array(await crypto.subtle.exportKey('spki', ecPair.publicKey)) as Bytes),
    );

    const decrypted = await decryptPkcs8(derOf(identity.privateKeyPem), PASSWORD);
    expect(decrypted.ok && toHex(decrypted.value)).toBe(toHex(await exportPkcs8(ecPair.privateKey)));
    expect(await decryptPkcs8(derOf(identity.privateKeyPem), 'wrong')).toMatchObject({ ok: false, code: 'wrong-password' });
  });

  it('reports the subject as built, OID last, as OpenSSL prints it', async () => {
    const outcome = await createIdentity(request({ subject: { ...EMPTY_SUBJECT, country: 'us', organization: 'Example, Inc.' } }), {
      keyPair: ecPair,
    });
    expect(outcome.ok && outcome.value.subjectLine).toBe(`C = US, O = "Example, Inc.", 1.3.6.1.4.1.49690.1.2.1 = ${APP_ID}`);
    expect(outcome.ok && formatSubject(outcome.value.subject)).toBe(outcome.ok && outcome.value.subjectLine);
  });

  it('uses upper case UUIDs in lower case and says which UUID it uses', async () => {
    const outcome = await createIdentity(request({ appId: `  ${APP_ID.toUpperCase()} `, placement: 'cn' }), { keyPair: ecPair });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.notes).toEqual([`Using ${APP_ID}: the same UUID in lower case, as DSM shows it.`]);
    expect(outcome.value.subjectLine).toBe(`C = US, O = Example Corp, CN = ${APP_ID}`);
    expect(outcome.value.files.map((f) => f.name)).toEqual([`app-${APP_ID}.crt`, `app-${APP_ID}.key`]);
  });

  it('is byte-for-byte reproducible for an RSA key with the same serial and clock', async () => {
    const make = async () => {
      const outcome = await createIdentity(request({ keyType: 'rsa-2048' }), { keyPair: rsaPair, serialNumber: SERIAL, now: NOW });
      return outcome.ok ? outcome.value.certificate!.pem : outcome.problems;
    };
    const first = await make();
    expect(first).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(await make()).toBe(first);
  });
});

describe('a CSR with a plain key', () => {
  it('writes the CSR and an unencrypted PKCS#8 key, and no certificate', async () => {
    const outcome = await createIdentity(request({ mode: 'csr', keyPassword: null }), { keyPair: ecPair });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.certificate).toBeNull();
    expect(outcome.value.files.map((f) => [f.kind, f.name, pemLabels(f.text)])).toEqual([
      ['csr', `app-${APP_ID}.csr`, ['CERTIFICATE REQUEST']],
      ['privateKey', `app-${APP_ID}.key`, ['PRIVATE KEY']],
    ]);
    expect(toHex(derOf(outcome.value.privateKeyPem))).toBe(toHex(await exportPkcs8(ecPair.privateKey)));
    expect(await pkijs.CertificationRequest.fromBER(derOf(outcome.value.csrPem!)).verify()).toBe(true);
  });

  it('generates a key of the requested type when none is injected', async () => {
    const outcome = await createIdentity(request({ mode: 'csr', keyType: 'ec-p384', keyPassword: null }));
    expect(outcome.ok && outcome.value.keyPair.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-384' });
  });
});

describe('the login command (seed, section 4.0)', () => {
  const command = async (changes: Partial<CreateRequest>) => {
    const outcome = await createIdentity(request(changes), { keyPair: ecPair });
    return outcome.ok ? outcome.value.authCommand : outcome.problems;
  };
  const base = [
    'curl https://<your-dsm-mtls-endpoint>/sys/v1/session/auth -X POST',
    `  --cert app-${APP_ID}.crt`,
    `  --key app-${APP_ID}.key`,
  ];

  it.each(['cn', 'oid'] as const)('for placement %s, with an encrypted key, passes the key password and no user', async (placement) => {
    expect(await command({ placement })).toBe([...base, "  --pass '<key password>'"].join(' \\\n'));
  });

  it('for placement none sends the UUID as the basic-auth user with an empty password', async () => {
    expect(await command({ placement: 'none', subject: { ...EMPTY_SUBJECT, commonName: 'payments' }, keyPassword: null })).toBe(
      [...base, `  -u ${APP_ID}:`].join(' \\\n'),
    );
    expect(await command({ placement: 'none', subject: { ...EMPTY_SUBJECT, commonName: 'payments' } })).toBe(
      [...base, "  --pass '<key password>'", `  -u ${APP_ID}:`].join(' \\\n'),
    );
  });
});
