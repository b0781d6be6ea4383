/**
 * Throwaway certificate authorities made by OpenSSL at test time (never checked in): a root, an
 * issuing CA under it that signs CSRs the way a company CA does, and a TLS server certificate
 * for 127.0.0.1. Everything lives in the caller's temporary folder.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { openssl, type TempDir } from './tools';

// The machine's openssl.cnf must not change what is made.
const env = { OPENSSL_CONF: '/dev/null' };

async function ok(args: string[], dir: TempDir): Promise<void> {
  const result = await openssl(args, { cwd: dir.path, env });
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${result.stderr}`);
}

const serial = () => `0x${randomBytes(12).toString('hex')}`;
const P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface Authority {
  /** Paths of the CA's certificate (PEM) and key. */
  certificate: string;
  key: string;
}

export interface TestPki {
  root: Authority;
  issuing: Authority;
  /** Signs a CSR (PEM path) with the issuing CA, keeping the extensions the CSR asked for. Returns the certificate's path. */
  sign(csr: string, out: string, options?: { days?: number; by?: Authority }): Promise<string>;
  /** root + issuing CA certificates, PEM text. */
  caPem(): Promise<{ root: string; issuing: string }>;
}

/** A root CA and an issuing CA under it, named after `label` so several can coexist. */
export async function makePki(dir: TempDir, label = 'Throwaway'): Promise<TestPki> {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const root = { certificate: dir.file(`${slug}-root.pem`), key: dir.file(`${slug}-root.key`) };
  const issuing = { certificate: dir.file(`${slug}-issuing.pem`), key: dir.file(`${slug}-issuing.key`) };
  const caExt = await dir.write(`${slug}-ca.ext`, 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  await ok(
    [
      'req',
      '-x509',
      ...P256,
      '-keyout',
      root.key,
      '-out',
      root.certificate,
      '-subj',
      `/O=${label}/CN=${label} Root CA`,
      '-days',
      '3',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const issuingCsr = dir.file(`${slug}-issuing.csr`);
  await ok(['req', '-new', ...P256, '-keyout', issuing.key, '-out', issuingCsr, '-subj', `/O=${label}/CN=${label} Issuing CA`], dir);
  await ok(
    [
      'x509',
      '-req',
      '-in',
      issuingCsr,
      '-CA',
      root.certificate,
      '-CAkey',
      root.key,
      '-set_serial',
      serial(),
      '-days',
      '3',
      '-extfile',
      caExt,
      '-out',
      issuing.certificate,
    ],
    dir,
  );

  return {
    root,
    issuing,
    async sign(csr, out, options = {}) {
      const by = options.by ?? issuing;
      const path = dir.file(out);
      await ok(
        [
          'x509',
          '-req',
          '-in',
          csr,
          '-CA',
          by.certificate,
          '-CAkey',
          by.key,
          '-set_serial',
          serial(),
          '-days',
          String(options.days ?? 30),
          '-copy_extensions',
          'copyall',
          '-out',
          path,
        ],
        dir,
      );
      return path;
    },
    async caPem() {
      return { root: await readFile(root.certificate, 'utf8'), issuing: await readFile(issuing.certificate, 'utf8') };
    },
  };
}

export interface ServerIdentity {
  /** The CA that curl is told to trust (`--cacert`). */
  caCertificate: string;
  certificate: string;
  key: string;
}

/** A TLS server certificate for 127.0.0.1 from its own throwaway CA. */
export async function makeServerIdentity(dir: TempDir): Promise<ServerIdentity> {
  const ca = await makePki(dir, 'Server');
  const csr = dir.file('server.csr');
  const key = dir.file('server.key');
  await ok(['req', '-new', ...P256, '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1'], dir);
  const ext = await dir.write(
    'server.ext',
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n',
  );
  const certificate = dir.file('server.pem');
  await ok(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.root.certificate,
      '-CAkey',
      ca.root.key,
      '-set_serial',
      serial(),
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      certificate,
    ],
    dir,
  );
  return { caCertificate: ca.root.certificate, certificate, key };
}
