import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENSSL_SHORT_NAMES } from '../../src/lib/name/shortNames';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyFile } from '../../src/lib/verify/verify';
import { APP, makeFixtures, P12_PASSWORD, SINGLE_CERTIFICATES, TABLE } from '../unit/verify-fixtures';

// Verify's view of every fixture must be OpenSSL's: the subject line, dates, fingerprint and
// self-signature of certificates, the subject and signature of CSRs, and what is not readable at all.

let fixtures: ReturnType<typeof makeFixtures>;
beforeAll(() => {
  fixtures = makeFixtures();
});
afterAll(() => fixtures.remove());

function openssl(args: string[], input?: Uint8Array): { ok: boolean; out: string; err: string } {
  const run = spawnSync('openssl', args, { input, encoding: 'buffer', env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  return { ok: run.status === 0, out: run.stdout.toString('utf8'), err: run.stderr.toString('utf8') };
}

const field = (out: string, name: string) =>
  out
    .split('\n')
    .find((line) => line.startsWith(`${name}=`))
    ?.slice(name.length + 1) ?? null;
const form = (file: string) => (file.endsWith('.der') ? 'DER' : 'PEM');
const path = (file: string) => join(fixtures.dir, file);

describe('verify agrees with openssl x509 on every certificate fixture', () => {
  it.each(SINGLE_CERTIFICATES)('%s', async (file) => {
    const report = await verifyFile(file, fixtures.read(file), { expected: APP });
    const x509 = openssl([
      'x509',
      '-in',
      path(file),
      '-inform',
      form(file),
      '-noout',
      '-subject',
      '-issuer',
      '-dates',
      '-fingerprint',
      '-sha256',
    ]);
    expect(x509.ok).toBe(true);
    expect(report.subject).toBe(field(x509.out, 'subject'));
    expect(report.issuer).toBe(field(x509.out, 'issuer'));
    expect(report.notBefore).toBe(new Date(field(x509.out, 'notBefore') ?? '').toISOString());
    expect(report.notAfter).toBe(new Date(field(x509.out, 'notAfter') ?? '').toISOString());
    expect(report.sha256).toBe(field(x509.out, 'sha256 Fingerprint'));

    if (report.selfSigned) {
      const pem = openssl(['x509', '-in', path(file), '-inform', form(file)]).out;
      const self = join(fixtures.dir, `${file}.self.pem`);
      writeFileSync(self, pem);
      const verified = openssl(['verify', '-check_ss_sig', '-no_check_time', '-partial_chain', '-CAfile', self, self]).ok;
      // MD5 cannot be checked by WebCrypto; OpenSSL still can, and the file fails anyway (weak-signature).
      if (file === 'md5.pem') expect(report.signatureValid).toBeNull();
      else expect(report.signatureValid).toBe(verified);
    } else {
      // Issued by a CA not in the file, or self-issued but signed by another key (OpenSSL's X509_self_signed says no).
      expect(['issuer-only.pem', 'self-issued-altered.pem', 'rollover.pem']).toContain(file);
    }
  });

  it.each(['chain-leaf-first.pem', 'chain-reversed.pem', 'chain-unordered.pem'])(
    '%s: every certificate of the chain, in file order',
    async (file) => {
      const report = await verifyFile(file, fixtures.read(file));
      const bundle = openssl(['crl2pkcs7', '-nocrl', '-certfile', path(file)]).out;
      const printed = openssl(['pkcs7', '-print_certs', '-noout'], new TextEncoder().encode(bundle)).out;
      const subjects = printed
        .split('\n')
        .filter((l) => l.startsWith('subject='))
        .map((l) => l.slice('subject='.length));
      expect(report.chain?.certificates.map((c) => c.subject)).toEqual(subjects);
      expect(report.chain?.certificates[report.chain.leafIndex].subject).toBe(`O = Example, CN = ${APP}`);
    },
  );

  it.each(TABLE.filter((t) => t.kind === 'csr').map((t) => t.file))('%s: the CSR subject and self-signature', async (file) => {
    const report = await verifyFile(file, fixtures.read(file));
    const req = openssl(['req', '-in', path(file), '-inform', form(file), '-noout', '-subject']);
    expect(req.ok).toBe(true);
    expect(report.subject).toBe(field(req.out, 'subject'));
    // OpenSSL 3.0 exits 0 either way; it says "verify OK" or "verify failure".
    const verify = openssl(['req', '-in', path(file), '-inform', form(file), '-noout', '-verify']).err;
    expect(verify).toMatch(/self-signature verify (OK|failure)/);
    expect(report.signatureValid).toBe(/verify OK/.test(verify));
  });

  it.each(TABLE.filter((t) => t.kind === 'unknown' && t.file !== 'too-large.bin').map((t) => t.file))(
    '%s: neither reads it as a certificate or CSR',
    async (file) => {
      const report = await verifyFile(file, fixtures.read(file));
      expect(report.kind).toBe('unknown');
      for (const inform of ['PEM', 'DER']) {
        expect(openssl(['x509', '-in', path(file), '-inform', inform, '-noout']).ok).toBe(false);
        expect(openssl(['req', '-in', path(file), '-inform', inform, '-noout']).ok).toBe(false);
      }
    },
  );

  it.each(['modern.p12', 'legacy.p12'])('%s: the certificate inside, and a wrong password refused by both', async (file) => {
    const report = await verifyFile(file, fixtures.read(file), { password: P12_PASSWORD });
    const cert = openssl(['pkcs12', '-in', path(file), '-passin', `pass:${P12_PASSWORD}`, '-nokeys', '-clcerts']).out;
    const fingerprint = field(
      openssl(['x509', '-noout', '-fingerprint', '-sha256'], new TextEncoder().encode(cert)).out,
      'sha256 Fingerprint',
    );
    expect(report.sha256).toBe(fingerprint);
    expect(openssl(['pkcs12', '-in', path(file), '-passin', 'pass:wrong', '-nokeys']).ok).toBe(false);
    expect((await verifyFile(file, fixtures.read(file), { password: 'wrong' })).actions.map((a) => a.code)).toEqual(['wrong-password']);
  });
});

describe('Verify prints every attribute type of its OpenSSL table as OpenSSL 3 does', () => {
  it('one certificate with all of them: the subject line equals openssl x509 -noout -subject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appcert-names-'));
    try {
      execFileSync('/usr/bin/python3', [join(import.meta.dirname, '..', 'fixtures', 'make-realworld.py'), dir], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const file = join(dir, 'names-every-openssl-name.der');
      const report = await verifyFile('names.der', new Uint8Array(readFileSync(file)));
      const x509 = openssl(['x509', '-inform', 'DER', '-in', file, '-noout', '-subject']);
      expect(x509.ok).toBe(true);
      expect(report.subject).toBe(field(x509.out, 'subject'));
      expect(report.subjectAttributes.length).toBe(Object.keys(OPENSSL_SHORT_NAMES).length);
      expect(report.subjectAttributes.every((a) => a.shortName === OPENSSL_SHORT_NAMES[a.oid])).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
