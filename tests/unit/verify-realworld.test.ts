import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionCode, ProblemCode, WarningCode } from '../../src/lib/verify/findings';
import { verifyFile } from '../../src/lib/verify/verify';
import type { FileReport, InputKind } from '../../src/lib/verify/fileReport';

// Real-world certificates that OpenSSL's and Python's writers refuse to make, built field by field
// by tests/fixtures/make-realworld.py (issue 11): each gets exactly the verdict written here.

const APP = 'da7f2800-4122-4681-aebf-90beb779b73f';
const SCRIPT = join(import.meta.dirname, '..', 'fixtures', 'make-realworld.py');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'appcert-realworld-'));
  execFileSync('/usr/bin/python3', [SCRIPT, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  file: string;
  kind?: InputKind;
  problems?: ProblemCode[];
  warnings?: WarningCode[];
  actions?: ActionCode[];
  /** Further facts of the report that must hold. */
  also?: Partial<FileReport>;
}

const notChecked: WarningCode[] = ['signature-not-checked'];
const CASES: Case[] = [
  // 1. Times: never an invented date; the RFC 5280 form decides; OpenSSL's reading is shown where it has one.
  { file: 'time-utc-no-seconds.der', problems: ['bad-time'] },
  { file: 'time-utc-11-digits.der', problems: ['bad-time'], also: { notBefore: null } },
  { file: 'time-utc-no-z.der', problems: ['bad-time'], also: { notBefore: null } },
  { file: 'time-utc-letter.der', problems: ['bad-time'], also: { notBefore: null } },
  { file: 'time-utc-month-13.der', problems: ['bad-time'], also: { notBefore: null } },
  { file: 'time-utc-feb-30.der', problems: ['bad-time'], also: { notBefore: null } },
  { file: 'time-utc-second-60.der', problems: ['bad-time'], also: { notAfter: null, daysLeft: null } },
  { file: 'time-utc-offset.der', problems: ['bad-time'] },
  { file: 'time-gen-fraction.der', problems: ['bad-time'] },
  { file: 'time-gen-short.der', problems: ['bad-time'], also: { notBefore: null, signatureValid: true } },
  { file: 'time-gen-garbage.der', problems: ['bad-time'], also: { notBefore: null, signatureValid: true } },
  { file: 'time-gen-before-2050.der' },
  { file: 'time-utc-1950.der', also: { notBefore: '1950-01-01T00:00:00.000Z' } },
  { file: 'time-gen-9999.der', also: { notAfter: '9999-12-31T23:59:59.000Z' } },
  // 2. Keys WebCrypto cannot use: not checked, never "altered".
  { file: 'key-dsa.der', warnings: notChecked, also: { signatureValid: null, selfSigned: true } },
  { file: 'key-dsa-sha1.der', problems: ['weak-signature'], warnings: notChecked },
  { file: 'key-dsa-oiw-sha1.der', problems: ['weak-signature'], warnings: notChecked },
  { file: 'key-ec-explicit.der', warnings: notChecked, also: { signatureValid: null } },
  { file: 'key-brainpool.der', warnings: notChecked },
  { file: 'key-secp256k1.der', warnings: notChecked },
  { file: 'key-p521.der', also: { signatureValid: true } },
  { file: 'key-ed25519.der', also: { signatureValid: true } },
  // Node's WebCrypto has Ed448 (Chromium's has not: there it is "not checked").
  { file: 'key-ed448.der', also: { signatureValid: true } },
  { file: 'key-p256-sha1.der', problems: ['weak-signature'], also: { signatureValid: true } },
  // 4. Every identifier of MD2, MD4, MD5 and SHA-1 is weak, checkable or not; unknown ones are named.
  { file: 'sig-oiw-sha1-rsa.der', problems: ['weak-signature'], also: { signatureValid: true } },
  { file: 'sig-oiw-md5-rsa.der', problems: ['weak-signature'], warnings: notChecked },
  { file: 'sig-md5-v1.der', problems: ['weak-signature'], warnings: notChecked },
  { file: 'sig-md4.der', problems: ['weak-signature'], warnings: notChecked },
  { file: 'sig-md2.der', problems: ['weak-signature'], warnings: notChecked },
  { file: 'sig-sha224.der', warnings: notChecked },
  { file: 'sig-unknown.der', warnings: ['unknown-signature-algorithm'], also: { signatureValid: null } },
  { file: 'sig-pss-sha256.der', also: { signatureValid: true, signatureAlgorithm: 'rsassaPss (SHA-256)' } },
  { file: 'sig-pss-default-sha1.der', problems: ['weak-signature'], also: { signatureValid: true } },
  { file: 'csr-md4.der', kind: 'csr', problems: ['weak-signature'], warnings: notChecked, actions: ['csr-needs-signing'] },
  { file: 'csr-md2.der', kind: 'csr', problems: ['weak-signature'], warnings: notChecked, actions: ['csr-needs-signing'] },
  { file: 'csr-md5.der', kind: 'csr', problems: ['weak-signature'], warnings: notChecked, actions: ['csr-needs-signing'] },
  { file: 'csr-sha256.der', kind: 'csr', actions: ['csr-needs-signing'], also: { signatureValid: true } },
  // 6. OpenSSL 3's short names and #hex dumps (compared with openssl itself in tests/interop/differential.test.ts).
  {
    file: 'names-ev.der',
    also: {
      subject: `jurisdictionC = US, jurisdictionST = Delaware, jurisdictionL = Wilmington, businessCategory = Private Organization, serialNumber = 1234567, organizationIdentifier = VATDE-123456789, street = 1 Main St, postalCode = 19801, O = "Example, Inc.", CN = ${APP}`,
    },
  },
  {
    file: 'names-person.der',
    also: {
      subject: `title = Engineer, GN = Ada, SN = Lovelace, initials = A. L., generationQualifier = III, dnQualifier = q1, pseudonym = countess, role = admin, DC = example, UID = ada, description = first programmer, CN = ${APP}`,
    },
  },
  { file: 'names-russian.der', also: { subject: `OGRN = 1027700132195, INN = 007702235133, SNILS = 12345678901, CN = ${APP}` } },
  { file: 'names-hex-dump.der', also: { subject: `O = #3003020105, CN = ${APP}` } },
  // Compared with `openssl x509 -subject` in tests/interop/verify-openssl.test.ts.
  { file: 'names-every-openssl-name.der', problems: ['no-app-id'] },
  // 7. Invalid strings: flagged, the raw bytes shown escaped, never U+FFFD.
  { file: 'string-bad-utf8.der', problems: ['bad-string-encoding'], also: { subject: `O = Caf\\E9 \\FF, CN = ${APP}` } },
  // asn1js (like OpenSSL and Python) cannot read a BMPString of odd length at all.
  { file: 'string-bmp-odd.der', kind: 'unknown', problems: ['not-a-certificate'] },
  // 8. Not certificates, said by name; PKCS#12 details.
  { file: 'not-crl.der', kind: 'unknown', problems: ['not-a-certificate'] },
  { file: 'not-ocsp-response.der', kind: 'unknown', problems: ['not-a-certificate'] },
  { file: 'not-pkcs7-empty.der', kind: 'unknown', problems: ['not-a-certificate'] },
  { file: 'not-certificate-pair.der', kind: 'unknown', problems: ['not-a-certificate'] },
  {
    file: 'p12-nul-name.p12',
    kind: 'pkcs12',
    problems: ['private-key'],
    also: { pkcs12: { legacy: false, friendlyName: `app ${APP}`, hasPrivateKey: true } },
  },
  { file: 'p12-no-mac.p12', kind: 'pkcs12', problems: ['private-key'], warnings: ['p12-no-mac'] },
];

describe('real-world certificates get the verdict OpenSSL would justify', () => {
  it('every generated file has a case', () => {
    expect(readdirSync(dir).sort()).toEqual(CASES.map((c) => c.file).sort());
  });

  it.each(CASES)('$file', async (c) => {
    const report = await verifyFile(c.file, new Uint8Array(readFileSync(join(dir, c.file))), { password: 'pw', expected: APP });
    expect({
      kind: report.kind,
      problems: report.problems.map((p) => p.code),
      actions: report.actions.map((a) => a.code),
      warnings: report.warnings.map((w) => w.code),
    }).toEqual({
      kind: c.kind ?? 'certificate',
      problems: c.problems ?? [],
      actions: c.actions ?? [],
      warnings: c.warnings ?? [],
    });
    if (c.also) expect(report).toMatchObject(c.also);
  });

  it('says what a non-certificate is, instead of "not valid DER"', async () => {
    const say = async (file: string) => (await verifyFile(file, new Uint8Array(readFileSync(join(dir, file))))).problems[0].message;
    expect(await say('not-crl.der')).toMatch(/certificate revocation list \(CRL\), not a certificate/);
    expect(await say('not-ocsp-response.der')).toMatch(/OCSP response, not a certificate/);
    expect(await say('not-pkcs7-empty.der')).toMatch(/PKCS#7 .* holds no certificate/);
    expect(await say('not-certificate-pair.der')).toMatch(/certificate pair/);
  });

  it('names the raw time and invents no date', async () => {
    const report = await verifyFile('t', new Uint8Array(readFileSync(join(dir, 'time-utc-11-digits.der'))));
    expect(report.problems[0].message).toMatch(/notBefore time is not a valid UTCTime .*YYMMDDHHMMSSZ.*No date can be read/);
    expect(report.problems.map((p) => p.code)).not.toContain('expired');
  });
});
