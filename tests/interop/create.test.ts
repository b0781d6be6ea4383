/**
 * What the Create core writes, read by real tools: OpenSSL 3, Debian's Python `cryptography` and
 * Java's keytool.
 * Every placement of the app UUID with every key type, plus byte-for-byte comparisons with
 * certificates and CSRs that OpenSSL itself makes from the same key, serial, dates and subject.
 */
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { toHex } from '../../src/lib/plain/bytes';
import { createSelfSignedCertificate } from '../../src/lib/certificate';
import { createIdentity, type CreatedIdentity, type CreateRequest } from '../../src/lib/create';
import { createCsr } from '../../src/lib/csr';
import { generateKeyPair, KEY_TYPES, keyAlgorithm, type KeyType } from '../../src/lib/plain/keys';
import { parsePem, toPem } from '../../src/lib/pem';
import { decryptPkcs8, exportPkcs8, importPkcs8, pkcs8KeyType, privateKeyPem } from '../../src/lib/privateKey';
import { EMPTY_SUBJECT, formatSubject, subjectAttributes, type Placement, type SubjectAttribute } from '../../src/lib/plain/subject';
import type { AppId } from '../../src/lib/plain/uuid';
import { keytool, openssl, python, runBinary, tempDir, type RunOptions, type TempDir } from './tools';

const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f';
const DSM_APP_ID = '1.3.6.1.4.1.49690.1.2.1';
const PASSWORD = 'Tr0ub4dor&3 staple';
const TYPES = Object.keys(KEY_TYPES) as KeyType[];
const PLACEMENTS: Placement[] = ['cn', 'oid', 'none'];
// Values OpenSSL has to quote or escape when it prints them, and UTF-8 beyond Latin-1.
const SUBJECT = {
  country: 'us',
  state: '東京',
  locality: 'Zürich',
  organization: 'Example, "Quoted" \\ Inc',
  organizationalUnit: '#1 team',
  commonName: 'payments.example.com',
  email: 'team@example.com',
};
const ALT_NAMES = { dns: ['payments.example.com'], email: ['team@example.com'] };
// The machine's openssl.cnf must not change what OpenSSL makes or prints.
const ENV: RunOptions = { env: { OPENSSL_CONF: '/dev/null' } };

let dir: TempDir;
const pairs = new Map<KeyType, CryptoKeyPair>();

beforeAll(async () => {
  dir = await tempDir('appcert-create-');
  // RSA-4096 takes seconds: one key pair per type for the whole file.
  for (const type of TYPES) pairs.set(type, await generateKeyPair(type));
});

afterAll(async () => {
  await dir?.remove();
});

const hex = (bytes: ArrayBuffer | Uint8Array) => toHex(new Uint8Array(bytes) as Bytes);

/** Runs openssl and fails the test, showing its error output, unless it exits 0. */
async function ossl(args: string[], options: RunOptions = {}): Promise<string> {
  const result = await openssl(args, { ...ENV, ...options });
  expect(result.code, `openssl ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

async function create(changes: Partial<CreateRequest>, keyPair?: CryptoKeyPair): Promise<CreatedIdentity> {
  const outcome = await createIdentity(
    {
      appId: APP_ID,
      placement: 'oid',
      oidStringType: 'UTF8String',
      subject: SUBJECT,
      keyType: 'ec-p256',
      mode: 'self-signed',
      days: 365,
      altNames: ALT_NAMES,
      keyPassword: PASSWORD,
      ...changes,
    },
    { keyPair },
  );
  if (!outcome.ok) throw new Error(`createIdentity refused: ${JSON.stringify(outcome.problems)}`);
  return outcome.value;
}

/** Writes the files of an identity under a prefix; returns their paths by kind. */
async function writeFiles(identity: CreatedIdentity, prefix: string): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  for (const file of identity.files) paths[file.kind] = await dir.write(`${prefix}-${file.name}`, file.text);
  return paths;
}

/** The trimmed lines of an extensions block of `openssl x509 -text` or `openssl req -text`. */
function extensionLines(text: string, heading: string): string[] {
  const block = text.split(heading)[1]?.split(/\n\s*Signature Algorithm:/)[0] ?? '';
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

// For each (kind, path) argument pair: the subject RDNs as lists of {oid, type, value}, and the extensions.
const READ_SUBJECT = `
import json, sys
from cryptography import x509
def read(kind, path):
    data = open(path, 'rb').read()
    obj = x509.load_pem_x509_certificate(data) if kind == 'certificate' else x509.load_pem_x509_csr(data)
    return {
        'rdns': [[{'oid': a.oid.dotted_string, 'type': a._type.name, 'value': a.value} for a in rdn] for rdn in obj.subject.rdns],
        'extensions': [[e.oid.dotted_string, e.critical] for e in obj.extensions],
    }
args = sys.argv[1:]
print(json.dumps([read(args[i], args[i + 1]) for i in range(0, len(args), 2)]))
`;

type PythonView = { rdns: { oid: string; type: string; value: string }[][]; extensions: [string, boolean][] };

/** What Python's cryptography reads from each file (one interpreter start for all of them). */
async function pythonReads(...files: ['certificate' | 'csr', string][]): Promise<PythonView[]> {
  const result = await python(READ_SUBJECT, files.flat());
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as PythonView[];
}

const expectedRdns = (subject: SubjectAttribute[]) => subject.map((a) => [{ oid: a.oid, type: a.stringType, value: a.value }]);

const PUBLIC_KEY_TEXT: Record<KeyType, string[]> = {
  'rsa-2048': ['Public Key Algorithm: rsaEncryption', 'Public-Key: (2048 bit)'],
  'rsa-3072': ['Public Key Algorithm: rsaEncryption', 'Public-Key: (3072 bit)'],
  'rsa-4096': ['Public Key Algorithm: rsaEncryption', 'Public-Key: (4096 bit)'],
  'ec-p256': ['Public Key Algorithm: id-ecPublicKey', 'Public-Key: (256 bit)', 'NIST CURVE: P-256'],
  'ec-p384': ['Public Key Algorithm: id-ecPublicKey', 'Public-Key: (384 bit)', 'NIST CURVE: P-384'],
};
const SIGNATURE_TEXT: Record<KeyType, string> = {
  'rsa-2048': 'sha256WithRSAEncryption',
  'rsa-3072': 'sha256WithRSAEncryption',
  'rsa-4096': 'sha256WithRSAEncryption',
  'ec-p256': 'ecdsa-with-SHA256',
  'ec-p384': 'ecdsa-with-SHA384',
};

describe.each(TYPES)('%s', (type) => {
  describe.each(PLACEMENTS)('placement %s', (placement) => {
    let certificate: CreatedIdentity;
    let csr: CreatedIdentity;
    let certificateFiles: Record<string, string>;
    let csrFiles: Record<string, string>;
    let started: number;

    beforeAll(async () => {
      started = Date.now();
      // The file's key pair, so RSA-4096 is generated once; the CSR's key is written as a plain PKCS#8.
      certificate = await create({ keyType: type, placement }, pairs.get(type));
      csr = await create({ keyType: type, placement, mode: 'csr', keyPassword: null }, pairs.get(type));
      certificateFiles = await writeFiles(certificate, `${type}-${placement}-self-signed`);
      csrFiles = await writeFiles(csr, `${type}-${placement}-csr`);
    });

    it('openssl x509 -text shows the subject with the UUID where it belongs, and exactly the client extensions', async () => {
      const text = await ossl(['x509', '-in', certificateFiles.certificate, '-noout', '-text']);
      const line = certificate.subjectLine;
      expect(text).toContain('Version: 3 (0x2)');
      expect(text).toContain(`Issuer: ${line}\n`);
      expect(text).toContain(`Subject: ${line}\n`);
      if (placement === 'cn') expect(line).toContain(`CN = ${APP_ID},`);
      if (placement === 'oid')
        expect(line).toMatch(new RegExp(`, CN = payments\\.example\\.com, .*, ${DSM_APP_ID.replaceAll('.', '\\.')} = ${APP_ID}$`));
      if (placement === 'none') expect(text).not.toContain(APP_ID);
      for (const expected of [...PUBLIC_KEY_TEXT[type], `Signature Algorithm: ${SIGNATURE_TEXT[type]}`]) expect(text).toContain(expected);

      // OpenSSL's own SHA-1 of the public key bits ("Public key OCSP hash") is RFC 5280's key id.
      const ocsp = await ossl(['x509', '-in', certificateFiles.certificate, '-noout', '-ocspid']);
      const keyId = /Public key OCSP hash: ([0-9A-F]{40})/.exec(ocsp)![1].match(/../g)!.join(':');
      expect(extensionLines(text, 'X509v3 extensions:')).toEqual([
        'X509v3 Basic Constraints: critical',
        'CA:FALSE',
        'X509v3 Key Usage: critical',
        KEY_TYPES[type].family === 'RSA' ? 'Digital Signature, Key Encipherment' : 'Digital Signature',
        'X509v3 Extended Key Usage:',
        'TLS Web Client Authentication',
        'X509v3 Subject Key Identifier:',
        keyId,
        'X509v3 Authority Key Identifier:',
        keyId,
        'X509v3 Subject Alternative Name:',
        'DNS:payments.example.com, email:team@example.com',
      ]);
    });

    it('openssl -subject prints exactly formatSubject, for the certificate and the CSR', async () => {
      expect(await ossl(['x509', '-in', certificateFiles.certificate, '-noout', '-subject'])).toBe(
        `subject=${formatSubject(certificate.subject)}\n`,
      );
      expect(await ossl(['req', '-in', csrFiles.csr, '-noout', '-subject'])).toBe(`subject=${formatSubject(csr.subject)}\n`);
      expect(csr.subjectLine).toBe(certificate.subjectLine);
    });

    it('is valid from five minutes ago for 365 days, as OpenSSL reads it', async () => {
      const dates = await ossl(['x509', '-in', certificateFiles.certificate, '-noout', '-startdate', '-enddate', '-dateopt', 'iso_8601']);
      const iso = (date: Date) => date.toISOString().replace('T', ' ').replace('.000Z', 'Z');
      expect(dates).toBe(`notBefore=${iso(certificate.certificate!.notBefore)}\nnotAfter=${iso(certificate.certificate!.notAfter)}\n`);
      const notBefore = certificate.certificate!.notBefore.getTime();
      expect(notBefore).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000 - 5 * 60_000);
      expect(notBefore).toBeLessThanOrEqual(Date.now() - 5 * 60_000);
      expect(certificate.certificate!.notAfter.getTime() - notBefore).toBeGreaterThanOrEqual(365 * 86_400_000 + 5 * 60_000 - 1000);
    });

    it('openssl verify -check_ss_sig accepts it as its own trust anchor', async () => {
      // A CA:FALSE leaf can be trusted directly: OpenSSL checks CA-ness only of issuers further up
      // the chain, and a chain of one has none. -check_ss_sig makes it check the self-signature too.
      const path = certificateFiles.certificate;
      expect(await ossl(['verify', '-CAfile', path, path])).toBe(`${path}: OK\n`);
      expect(await ossl(['verify', '-check_ss_sig', '-purpose', 'sslclient', '-CAfile', path, path])).toBe(`${path}: OK\n`);
    });

    it('openssl req -verify accepts the CSR, which asks for the same extensions but the authority key id', async () => {
      const result = await openssl(['req', '-in', csrFiles.csr, '-noout', '-verify', '-text'], ENV);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('Certificate request self-signature verify OK');
      expect(result.stdout).toContain(`Subject: ${csr.subjectLine}\n`);
      expect(result.stdout).toContain(`Signature Algorithm: ${SIGNATURE_TEXT[type]}`);
      const lines = extensionLines(result.stdout, 'Requested Extensions:');
      expect(lines.filter((l) => l.startsWith('X509v3'))).toEqual([
        'X509v3 Basic Constraints: critical',
        'X509v3 Key Usage: critical',
        'X509v3 Extended Key Usage:',
        'X509v3 Subject Key Identifier:',
        'X509v3 Subject Alternative Name:',
      ]);
      expect(lines).toContain(KEY_TYPES[type].family === 'RSA' ? 'Digital Signature, Key Encipherment' : 'Digital Signature');
    });

    it('Python cryptography reads each attribute, in its own RDN, with the expected string type', async () => {
      const [fromCertificate, fromCsr] = await pythonReads(['certificate', certificateFiles.certificate], ['csr', csrFiles.csr]);
      expect(fromCertificate.rdns).toEqual(expectedRdns(certificate.subject));
      expect(fromCertificate.rdns.flat().find((a) => a.oid === DSM_APP_ID)).toEqual(
        placement === 'oid' ? { oid: DSM_APP_ID, type: 'UTF8String', value: APP_ID } : undefined,
      );
      expect(fromCertificate.extensions).toEqual([
        ['2.5.29.19', true],
        ['2.5.29.15', true],
        ['2.5.29.37', false],
        ['2.5.29.14', false],
        ['2.5.29.35', false],
        ['2.5.29.17', false],
      ]);
      expect(fromCsr.rdns).toEqual(expectedRdns(csr.subject));
      expect(fromCsr.extensions.map(([oid]) => oid)).toEqual(['2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.14', '2.5.29.17']);
    });

    it('the encrypted key opens with its password and matches the certificate; the plain key matches the CSR', async () => {
      const fromKey = await ossl(['pkey', '-in', certificateFiles.privateKey, '-passin', `pass:${PASSWORD}`, '-pubout']);
      expect(fromKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(await ossl(['x509', '-in', certificateFiles.certificate, '-noout', '-pubkey'])).toBe(fromKey);
      const fromCsrKey = await ossl(['pkey', '-in', csrFiles.privateKey, '-pubout']);
      expect(await ossl(['req', '-in', csrFiles.csr, '-noout', '-pubkey'])).toBe(fromCsrKey);
    });
  });
});

describe('the encrypted private key', () => {
  let identity: CreatedIdentity;
  let keyPath: string;

  beforeAll(async () => {
    identity = await create({ keyType: 'rsa-2048', placement: 'cn' }, pairs.get('rsa-2048'));
    keyPath = await dir.write('encrypted.key', identity.privateKeyPem);
  });

  it('is PKCS#8 PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC', async () => {
    const structure = await ossl(['asn1parse', '-in', keyPath]);
    for (const name of [':PBES2', ':PBKDF2', ':hmacWithSHA256', ':aes-256-cbc']) expect(structure).toContain(name);
    expect(structure).toMatch(/INTEGER\s+:0927C0\n/); // 600 000 iterations
  });

  it('refuses a wrong password in OpenSSL', async () => {
    const result = await openssl(['pkey', '-in', keyPath, '-passin', 'pass:wrong', '-noout'], ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not read key|bad decrypt/);
  });

  it('opens in OpenSSL to the very key createIdentity holds', async () => {
    const der = await runBinary(
      'openssl',
      ['pkcs8', '-topk8', '-nocrypt', '-in', keyPath, '-passin', `pass:${PASSWORD}`, '-outform', 'DER'],
      ENV,
    );
    expect(der.code, der.stderr).toBe(0);
    expect(hex(der.stdout)).toBe(hex(await exportPkcs8(identity.keyPair.privateKey)));
  });
});

describe('keys OpenSSL encrypted (openssl pkcs8 -topk8), read back by decryptPkcs8', () => {
  let plain: string;
  let pkcs8: Bytes;

  beforeAll(async () => {
    pkcs8 = await exportPkcs8(pairs.get('ec-p256')!.privateKey);
    plain = await dir.write('openssl-plain.key', privateKeyPem(pkcs8));
  });

  const encryptWithOpenssl = async (name: string, options: string[]) => {
    const path = dir.file(name);
    await ossl(['pkcs8', '-topk8', '-in', plain, ...options, '-passout', `pass:${PASSWORD}`, '-outform', 'DER', '-out', path]);
    return new Uint8Array(await dir.read(name)) as Bytes;
  };

  it.each([
    ['OpenSSL 3 defaults (AES-256-CBC, HMAC-SHA256)', []],
    ['AES-128-CBC with HMAC-SHA1 (OpenSSL 1.1 era)', ['-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA1']],
    ['AES-192-CBC with HMAC-SHA512', ['-v2', 'aes-192-cbc', '-v2prf', 'hmacWithSHA512', '-iter', '10000']],
  ])('%s', async (label, options) => {
    const encrypted = await encryptWithOpenssl(`openssl-${label.replace(/[^a-z0-9]+/gi, '-')}.der`, options);
    const decrypted = await decryptPkcs8(encrypted, PASSWORD);
    expect(decrypted.ok && hex(decrypted.value)).toBe(hex(pkcs8));
    expect(await decryptPkcs8(encrypted, 'not it')).toMatchObject({ ok: false, code: 'wrong-password' });
  });

  it.each([
    ['PBES2 with 3DES', ['-v2', 'des3']],
    ['PKCS#12 PBE with 3DES (-v1)', ['-v1', 'PBE-SHA1-3DES']],
  ])('names %s as unsupported', async (label, options) => {
    const encrypted = await encryptWithOpenssl(`openssl-${label.replace(/[^a-z0-9]+/gi, '-')}.der`, options);
    expect(await decryptPkcs8(encrypted, PASSWORD)).toMatchObject({
      ok: false,
      code: 'unsupported-encryption',
      message: expect.stringContaining('openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out new.key'),
    });
  });
});

describe('keys OpenSSL generated (openssl genpkey), read by pkcs8KeyType and importPkcs8', () => {
  it.each([
    ['rsa-2048', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
    ['ec-p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ['ec-p384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']],
    [null, ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521']],
    [null, ['-algorithm', 'ED25519']],
    [null, ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']],
  ] as const)('%s from genpkey %j', async (type, options) => {
    // PEM: OpenSSL 3 writes PKCS#8 there, but the older per-algorithm formats with -outform DER.
    const name = `genpkey-${options.join('-').replace(/[^a-z0-9]+/gi, '-')}.key`;
    await ossl(['genpkey', ...options, '-out', dir.file(name)]);
    const pem = parsePem((await dir.read(name)).toString());
    if (!pem.ok) throw new Error(pem.message);
    expect(pem.value[0].label).toBe('PRIVATE KEY');
    const der = pem.value[0].der;
    expect(pkcs8KeyType(der)).toBe(type);
    if (type === null) return;
    // The key signs, and OpenSSL's own public key verifies the signature.
    const key = await importPkcs8(der, type);
    const data = new TextEncoder().encode('appcert');
    const algorithm = type.startsWith('ec')
      ? { name: 'ECDSA', hash: type === 'ec-p384' ? 'SHA-384' : 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5' };
    const signature = await crypto.subtle.sign(algorithm, key, data);
    const spki = await runBinary('openssl', ['pkey', '-in', dir.file(name), '-pubout', '-outform', 'DER'], ENV);
    expect(spki.code, spki.stderr).toBe(0);
    const publicKey = await crypto.subtle.importKey('spki', new Uint8Array(spki.stdout), keyAlgorithm(type), false, ['verify']);
    expect(await crypto.subtle.verify(algorithm, publicKey, signature, data)).toBe(true);
  });
});

describe('a non-ASCII key password', () => {
  it('is UTF-8, as OpenSSL reads it from its command line', async () => {
    const identity = await create({ keyPassword: 'pässwörd ✓' }, pairs.get('ec-p256'));
    const key = await dir.write('utf8-password.key', identity.privateKeyPem);
    const fromKey = await ossl(['pkey', '-in', key, '-passin', 'pass:pässwörd ✓', '-pubout']);
    expect(fromKey).toBe(
      await ossl([
        'pkey',
        '-pubin',
        '-in',
        await dir.write(
          'utf8-password.pub',
          toPem(new Uint8Array(await crypto.subtle.exportKey('spki', pairs.get('ec-p256')!.publicKey)), 'PUBLIC KEY'),
        ),
        '-pubout',
      ]),
    );
  });
});

describe('Java keytool', () => {
  it.each(['rsa-2048', 'ec-p384'] as const)(
    'prints the %s certificate and CSR with the OID attribute first (it lists RDNs in reverse)',
    async (type) => {
      const certificate = await create({ keyType: type }, pairs.get(type));
      const csr = await create({ keyType: type, mode: 'csr', keyPassword: null }, pairs.get(type));
      const certificatePath = (await writeFiles(certificate, `keytool-${type}-self-signed`)).certificate;
      const csrPath = (await writeFiles(csr, `keytool-${type}-csr`)).csr;
      const utf8 = { env: { LC_ALL: 'C.UTF-8' } };
      const printed = await keytool(['-printcert', '-file', certificatePath], utf8);
      expect(printed.code, printed.stderr + printed.stdout).toBe(0);
      expect(printed.stdout).toContain(
        `Owner: OID.${DSM_APP_ID}=${APP_ID}, EMAILADDRESS=team@example.com, CN=payments.example.com, OU="#1 team", O="Example, \\"Quoted\\" \\\\ Inc", L=Zürich, ST=東京, C=US\n`,
      );
      expect(printed.stdout).toContain(`Signature algorithm name: ${type === 'rsa-2048' ? 'SHA256withRSA' : 'SHA384withECDSA'}`);
      expect(printed.stdout).toContain('Version: 3');
      const request = await keytool(['-printcertreq', '-file', csrPath], utf8);
      expect(request.code, request.stderr + request.stdout).toBe(0);
      expect(request.stdout).toContain(`Subject: OID.${DSM_APP_ID}=${APP_ID},`);
    },
  );
});

describe('the OID as PrintableString', () => {
  it('is read by Python cryptography as a PrintableString, and printed by OpenSSL the same way', async () => {
    const identity = await create({ oidStringType: 'PrintableString' }, pairs.get('ec-p256'));
    const paths = await writeFiles(identity, 'printable');
    const [read] = await pythonReads(['certificate', paths.certificate]);
    expect(read.rdns.at(-1)).toEqual([{ oid: DSM_APP_ID, type: 'PrintableString', value: APP_ID }]);
    expect(await ossl(['x509', '-in', paths.certificate, '-noout', '-subject'])).toBe(`subject=${identity.subjectLine}\n`);
  });
});

describe('a CA:FALSE self-signed certificate in OpenSSL', () => {
  let leaf: string;
  let leafKey: string;
  let leafDer: Bytes;

  beforeAll(async () => {
    const identity = await create({ keyType: 'rsa-2048', placement: 'cn', keyPassword: null }, pairs.get('rsa-2048'));
    leafDer = identity.certificate!.der;
    const paths = await writeFiles(identity, 'leaf');
    leaf = paths.certificate;
    leafKey = paths.privateKey;
  });

  it('cannot issue certificates: OpenSSL calls it an invalid CA', async () => {
    await ossl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      dir.file('child.key'),
      '-subj',
      '/CN=child',
      '-out',
      dir.file('child.csr'),
    ]);
    await ossl([
      'x509',
      '-req',
      '-in',
      dir.file('child.csr'),
      '-CA',
      leaf,
      '-CAkey',
      leafKey,
      '-set_serial',
      '7',
      '-days',
      '1',
      '-out',
      dir.file('child.pem'),
    ]);
    const result = await openssl(['verify', '-CAfile', leaf, dir.file('child.pem')], ENV);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('error 79 at 1 depth lookup: invalid CA certificate');
  });

  it('fails -check_ss_sig once a signature byte is changed', async () => {
    const der = new Uint8Array(leafDer);
    der[der.length - 5] ^= 0xff;
    const tampered = await dir.write('tampered.pem', toPem(der, 'CERTIFICATE'));
    const result = await openssl(['verify', '-check_ss_sig', '-CAfile', tampered, tampered], ENV);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('error 7 at 0 depth lookup: certificate signature failure');
  });
});

describe('formatSubject against openssl x509 -noout -subject', () => {
  const VALUES = [
    'plain',
    'Acme, Inc',
    'R+D',
    'a;b',
    '<x>',
    'say "hi"',
    'back\\slash',
    ' leading space',
    'trailing space ',
    '#1',
    'no#1',
    'a=b',
    '"a", b',
    'Zürich',
    '東京',
    '😀 emoji',
    ' #"all, of\\ them" ',
    'Ünï, "q" \\ ; + < > # = end',
    'tab\there',
    'del\x7f and \x01',
  ];

  it.each(VALUES)('prints %j the same way', async (value) => {
    const attributes: SubjectAttribute[] = [
      { oid: '2.5.4.6', shortName: 'C', value: 'US', stringType: 'PrintableString', isAppId: false },
      { oid: '2.5.4.10', shortName: 'O', value, stringType: 'UTF8String', isAppId: false },
      { oid: DSM_APP_ID, shortName: DSM_APP_ID, value: APP_ID, stringType: 'UTF8String', isAppId: true },
    ];
    const issued = await createSelfSignedCertificate({ keyPair: pairs.get('ec-p256')!, keyType: 'ec-p256', subject: attributes });
    const path = await dir.write(`subject-${hex(new TextEncoder().encode(value))}.crt`, toPem(issued.der, 'CERTIFICATE'));
    expect(await ossl(['x509', '-in', path, '-noout', '-subject'])).toBe(`subject=${formatSubject(attributes)}\n`);
  });
});

/**
 * The strongest reference there is: OpenSSL building the same certificate from the same key,
 * serial, dates, subject and extensions. `openssl ca -selfsign -preserveDN` takes the subject
 * bytes from a CSR made with `-utf8` (so the string types are OpenSSL's own choice: C
 * PrintableString, emailAddress IA5String, the rest UTF8String), and -startdate/-enddate set the
 * validity. RSA PKCS#1 v1.5 signatures are deterministic, so the whole DER must be identical.
 */
describe('byte-for-byte against OpenSSL', () => {
  const CONFIG = `oid_section = new_oids
[ new_oids ]
dsmAppId = ${DSM_APP_ID}
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
prompt = no
[ dn ]
CN = unused
[ ca ]
default_ca = appcert
[ appcert ]
database = index.txt
new_certs_dir = .
serial = serial
policy = anything
unique_subject = no
[ anything ]
commonName = optional
[ client_rsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:payments.example.com, email:team@example.com
[ client_ec ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:payments.example.com, email:team@example.com
[ request_rsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:payments.example.com, email:team@example.com
`;
  const SUBJECT_FIELDS = {
    ...EMPTY_SUBJECT,
    country: 'US',
    state: 'California',
    locality: 'Zürich',
    organization: 'Example, "Quoted" Inc',
    organizationalUnit: 'Engineering',
    commonName: 'payments.example.com',
    email: 'team@example.com',
  };
  const SUBJ = `/C=US/ST=California/L=Zürich/O=Example, "Quoted" Inc/OU=Engineering/CN=payments.example.com/emailAddress=team@example.com/dsmAppId=${APP_ID}`;
  const SERIAL = Uint8Array.from({ length: 16 }, (_, i) => 0x41 + i);
  const subject = subjectAttributes(SUBJECT_FIELDS, APP_ID as AppId, 'oid');
  let work: TempDir;

  beforeAll(async () => {
    work = await tempDir('appcert-reference-');
    await work.write('ca.cnf', CONFIG);
  });

  afterAll(async () => {
    await work?.remove();
  });

  /** OpenSSL's own certificate for the key, made the way the comment above describes. */
  async function opensslCertificate(
    name: string,
    key: string,
    md: string,
    extensions: string,
    startdate: string,
    enddate: string,
  ): Promise<Bytes> {
    const cwd = { cwd: work.path };
    await work.write('index.txt', '');
    await work.write('serial', `${toHex(SERIAL as Bytes)}\n`);
    await ossl(['req', '-new', '-config', 'ca.cnf', '-utf8', '-key', key, '-subj', SUBJ, '-out', `${name}.csr`], cwd);
    await ossl(
      [
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-selfsign',
        '-keyfile',
        key,
        '-in',
        `${name}.csr`,
        '-preserveDN',
        '-notext',
        '-md',
        md,
        '-extensions',
        extensions,
        '-startdate',
        startdate,
        '-enddate',
        enddate,
        '-out',
        `${name}.pem`,
      ],
      cwd,
    );
    const der = await runBinary('openssl', ['x509', '-in', `${name}.pem`, '-outform', 'DER'], { ...ENV, ...cwd });
    expect(der.code, der.stderr).toBe(0);
    return new Uint8Array(der.stdout);
  }

  const writeKey = async (type: KeyType) => work.write(`${type}.key`, privateKeyPem(await exportPkcs8(pairs.get(type)!.privateKey)));

  it('RSA-2048 certificate: identical DER (UTCTime validity)', async () => {
    const key = await writeKey('rsa-2048');
    const reference = await opensslCertificate('rsa', key, 'sha256', 'client_rsa', '20300101000000Z', '20310101000500Z');
    const ours = await createSelfSignedCertificate({
      keyPair: pairs.get('rsa-2048')!,
      keyType: 'rsa-2048',
      subject,
      altNames: ALT_NAMES,
      serialNumber: SERIAL,
      now: new Date('2030-01-01T00:05:00Z'),
      days: 365,
    });
    expect(reference.length).toBeGreaterThan(1000);
    expect(hex(ours.der)).toBe(hex(reference));
  });

  it('RSA-2048 CSR: identical DER to openssl req -new', async () => {
    const key = await writeKey('rsa-2048');
    await ossl(
      ['req', '-new', '-config', 'ca.cnf', '-utf8', '-key', key, '-subj', SUBJ, '-reqexts', 'request_rsa', '-out', 'request.csr'],
      { cwd: work.path },
    );
    const reference = await runBinary('openssl', ['req', '-in', 'request.csr', '-outform', 'DER'], { ...ENV, cwd: work.path });
    expect(reference.code, reference.stderr).toBe(0);
    const ours = await createCsr({ keyPair: pairs.get('rsa-2048')!, keyType: 'rsa-2048', subject, altNames: ALT_NAMES });
    expect(hex(ours)).toBe(hex(reference.stdout));
  });

  it('P-384 certificate ending in 2050: identical to-be-signed bytes (GeneralizedTime), both signatures verify', async () => {
    // ECDSA signatures are randomized, so only the TBSCertificate and the algorithm can be equal.
    const key = await writeKey('ec-p384');
    const reference = pkijs.Certificate.fromBER(
      await opensslCertificate('p384', key, 'sha384', 'client_ec', '20491230235500Z', '20500101000000Z'),
    );
    const issued = await createSelfSignedCertificate({
      keyPair: pairs.get('ec-p384')!,
      keyType: 'ec-p384',
      subject,
      altNames: ALT_NAMES,
      serialNumber: SERIAL,
      now: new Date('2049-12-31T00:00:00Z'),
      days: 1,
    });
    const ours = pkijs.Certificate.fromBER(issued.der);
    expect(hex(ours.tbsView)).toBe(hex(reference.tbsView));
    expect(hex(ours.signatureAlgorithm.toSchema().toBER(false))).toBe(hex(reference.signatureAlgorithm.toSchema().toBER(false)));
    const path = await work.write('ours-p384.pem', toPem(issued.der, 'CERTIFICATE'));
    // Valid only in 2049-2050: check the signature, not the dates.
    expect(await ossl(['verify', '-check_ss_sig', '-no_check_time', '-CAfile', path, path])).toBe(`${path}: OK\n`);
  });
});
