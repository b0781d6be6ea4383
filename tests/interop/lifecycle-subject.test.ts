/**
 * Renewal keeps the subject byte for byte: checked by OpenSSL (`-subject -nameopt RFC2253`) and by
 * Python `cryptography` (the subject's raw DER), for every UUID placement and key type, for CSRs,
 * and for subjects appcert's own form cannot type (made by Python: TeletexString, BMPString,
 * multi-valued RDNs, unusual order, a PrintableString app-id OID).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { KEY_TYPES, type KeyType } from '../../src/lib/plain/keys';
import { readExisting, renewIdentity, type ExistingCertificate, type RenewChoices } from '../../src/lib/renew';
import type { Placement } from '../../src/lib/plain/subject';
import { APP_A, identity } from './identities';
import { openssl, python, tempDir, type TempDir } from './tools';

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir('appcert-renew-subject-');
});
afterAll(async () => {
  await dir?.remove();
});

/** Subject DER (hex), key description and validity seconds of each PEM file, read by Python `cryptography`. */
const FACTS = `
import sys
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa, ec
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    if b'CERTIFICATE REQUEST' in data:
        item = x509.load_pem_x509_csr(data)
        days = '-'
    else:
        item = x509.load_pem_x509_certificate(data)
        days = int((item.not_valid_after - item.not_valid_before).total_seconds())
    key = item.public_key()
    kind = 'RSA-%d' % key.key_size if isinstance(key, rsa.RSAPublicKey) else 'EC-' + key.curve.name
    print(item.subject.public_bytes().hex(), kind, days)
`;

async function facts(...paths: string[]): Promise<string[]> {
  const result = await python(FACTS, paths);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n');
}

async function rfc2253(path: string): Promise<string> {
  const kind = path.endsWith('.csr') ? 'req' : 'x509';
  const result = await openssl([kind, '-in', path, '-noout', '-subject', '-nameopt', 'RFC2253']);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const hex = (bytes: Bytes) => Buffer.from(bytes).toString('hex');

async function read(name: string, bytes: Bytes): Promise<ExistingCertificate> {
  const existing = await readExisting({ name, bytes });
  if (!existing.ok) throw new Error(existing.message);
  return existing.value;
}

async function renewTo(existing: ExistingCertificate, choices: Partial<RenewChoices>, file: string): Promise<string> {
  const renewed = await renewIdentity(existing, { mode: 'self-signed', keyPassword: null, ...choices });
  if (!renewed.ok) throw new Error(renewed.message);
  const { certificate, csrPem } = renewed.value.identity;
  return dir.write(file, certificate?.pem ?? csrPem ?? '');
}

const PLACEMENTS: Placement[] = ['cn', 'oid', 'none'];
const CASES = PLACEMENTS.flatMap((placement) => (Object.keys(KEY_TYPES) as KeyType[]).map((keyType) => [placement, keyType] as const));

describe('appcert certificates, renewed: same subject bytes, key type and validity length', { timeout: 120_000 }, () => {
  it.each(CASES)('placement %s, %s', async (placement, keyType) => {
    const old = await identity({
      placement,
      keyType,
      keyPassword: null,
      days: 47,
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
    const oldPath = await dir.write(`old-${placement}-${keyType}.crt`, old.certificate?.pem ?? '');
    const existing = await read(oldPath, old.certificate?.der as Bytes);
    expect(existing).toMatchObject({ placement, keyType, days: 47, appId: placement === 'none' ? null : APP_A });
    const newPath = await renewTo(existing, { appId: placement === 'none' ? APP_A : undefined }, `new-${placement}-${keyType}.crt`);

    expect(await rfc2253(newPath)).toBe(await rfc2253(oldPath));
    const [before, after] = await facts(oldPath, newPath);
    expect(after).toBe(before);
    expect(after.split(' ')[0]).toBe(hex(existing.subjectDer));
  });

  it.each(PLACEMENTS)('placement %s, as a CSR for the CA', async (placement) => {
    const old = await identity({ placement, keyType: 'ec-p384', keyPassword: null });
    const oldPath = await dir.write(`old-csr-${placement}.crt`, old.certificate?.pem ?? '');
    const newPath = await renewTo(
      await read(oldPath, old.certificate?.der as Bytes),
      { mode: 'csr', appId: placement === 'none' ? APP_A : undefined },
      `new-${placement}.csr`,
    );
    expect(await rfc2253(newPath)).toBe(await rfc2253(oldPath));
    const [before, after] = await facts(oldPath, newPath);
    expect(after.split(' ').slice(0, 2)).toEqual(before.split(' ').slice(0, 2));
  });
});

/** A self-signed certificate with a subject only other tools make, written by Python `cryptography`. */
const UNUSUAL = `
import sys, datetime
from cryptography import x509
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = ec.generate_private_key(ec.SECP256R1())
A = x509.NameAttribute
name = x509.Name([
    x509.RelativeDistinguishedName([A(NameOID.COMMON_NAME, 'payments.example.com')]),
    x509.RelativeDistinguishedName([A(NameOID.ORGANIZATION_NAME, 'Caf\\u00e9 Teletex', _ASN1Type.T61String)]),
    x509.RelativeDistinguishedName([A(NameOID.ORGANIZATIONAL_UNIT_NAME, 'B\\u00fcro \\u2603', _ASN1Type.BMPString), A(NameOID.USER_ID, 'uid-7')]),
    x509.RelativeDistinguishedName([A(NameOID.DOMAIN_COMPONENT, 'example')]),
    x509.RelativeDistinguishedName([A(NameOID.ORGANIZATIONAL_UNIT_NAME, 'Second OU')]),
    x509.RelativeDistinguishedName([A(x509.ObjectIdentifier('1.3.6.1.4.1.49690.1.2.1'), sys.argv[2], _ASN1Type.PrintableString)]),
    x509.RelativeDistinguishedName([A(NameOID.COUNTRY_NAME, 'DE')]),
])
now = datetime.datetime.now(datetime.timezone.utc)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
    .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=10))
    .add_extension(x509.SubjectAlternativeName([x509.DNSName('payments.example.com'), x509.RFC822Name('team@example.com')]), False)
    .sign(key, hashes.SHA256()))
open(sys.argv[1], 'wb').write(cert.public_bytes(serialization.Encoding.PEM))
`;

describe('a subject the Create form cannot type survives renewal byte for byte', { timeout: 60_000 }, () => {
  it('TeletexString, BMPString, a multi-valued RDN, two OUs, CN first, and a PrintableString UUID OID', async () => {
    const oldPath = dir.file('unusual.crt');
    const made = await python(UNUSUAL, [oldPath, APP_A]);
    expect(made.code, made.stderr).toBe(0);
    const existing = await read(oldPath, new Uint8Array(await dir.read('unusual.crt')));
    expect(existing).toMatchObject({
      appId: APP_A,
      placement: 'oid',
      oidStringType: 'PrintableString',
      keyType: 'ec-p256',
      days: 10,
      altNames: { dns: ['payments.example.com'], email: ['team@example.com'] },
    });

    for (const mode of ['self-signed', 'csr'] as const) {
      const newPath = await renewTo(existing, { mode }, mode === 'csr' ? 'unusual-renewed.csr' : 'unusual-renewed.crt');
      expect(await rfc2253(newPath)).toBe(await rfc2253(oldPath));
      const [before, after] = await facts(oldPath, newPath);
      expect(after.split(' ')[0]).toBe(before.split(' ')[0]);
      // The string types, as OpenSSL names them, prove it beyond the bytes.
      const types = await openssl([
        mode === 'csr' ? 'req' : 'x509',
        '-in',
        newPath,
        '-noout',
        '-subject',
        '-nameopt',
        'multiline,show_type',
      ]);
      expect(types.stdout).toContain('T61STRING:Caf');
      expect(types.stdout).toContain('BMPSTRING:B');
      const alt = await openssl([mode === 'csr' ? 'req' : 'x509', '-in', newPath, '-noout', '-text']);
      expect(alt.stdout).toContain('DNS:payments.example.com, email:team@example.com');
    }
  });
});
