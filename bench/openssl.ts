// The OpenSSL side of the bench: the command lines a team would type, timed wall clock from Node
// (process start included, as a user running them pays it too).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyType } from '../src/lib/plain/keys';
import { OID } from '../src/lib/plain/oids';

export const PKCS12_PASSWORD = 'bench-Password-1';

/** Runs a command and returns its wall-clock milliseconds; fails loudly with its stderr. */
export function timed(command: string, args: string[], cwd?: string): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.error) throw new Error(`Could not run ${command}: ${run.error.message}. Install it (Debian: apt-get install openssl).`);
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${run.status}):\n${run.stderr}`);
  return ms;
}

/** `openssl req`'s configuration: the seed's OID section plus the extensions appcert writes. */
export const REQ_CONFIG = `oid_section = new_oids
[ new_oids ]
my_app_id = ${OID.dsmAppId}
[ req ]
distinguished_name = dn
x509_extensions = client
[ dn ]
my_app_id = custom attribute for app id
[ client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/** The subject the bench page's createIdentity request describes. */
export const subjectLine = (appId: string) => `/C=US/O=Example Corp/OU=Payments/CN=payments-client/my_app_id=${appId}`;

const NEWKEY: Record<KeyType, string[]> = {
  'rsa-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'rsa-3072': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  'rsa-4096': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  'ec-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ec-p384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};

/** `openssl req -newkey` spelling of a key type. */
const REQ_NEWKEY: Record<KeyType, string[]> = {
  'rsa-2048': ['-newkey', 'rsa:2048'],
  'rsa-3072': ['-newkey', 'rsa:3072'],
  'rsa-4096': ['-newkey', 'rsa:4096'],
  'ec-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ec-p384': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};

export const genpkey = (dir: string, type: KeyType) => timed('openssl', ['genpkey', ...NEWKEY[type], '-out', join(dir, 'genpkey.pem')]);

const req = (dir: string, type: KeyType, appId: string) =>
  timed(
    'openssl',
    [
      'req',
      '-x509',
      ...REQ_NEWKEY[type],
      '-noenc',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '365',
      '-subj',
      subjectLine(appId),
      '-config',
      'req.cnf',
    ],
    dir,
  );

/** `openssl pkcs12 -export` of key.pem and cert.pem in dir; legacy is RC2/3DES with a SHA-1 MAC. */
export const pkcs12 = (dir: string, legacy: boolean) =>
  timed(
    'openssl',
    [
      'pkcs12',
      '-export',
      ...(legacy ? ['-legacy'] : []),
      '-inkey',
      'key.pem',
      '-in',
      'cert.pem',
      '-out',
      legacy ? 'legacy.p12' : 'modern.p12',
      '-passout',
      `pass:${PKCS12_PASSWORD}`,
    ],
    dir,
  );

/** The whole self-signed pipeline: key and certificate with the UUID in the OID, then PKCS#12. */
export function pipeline(dir: string, type: KeyType, appId: string): number {
  writeFileSync(join(dir, 'req.cnf'), REQ_CONFIG);
  return req(dir, type, appId) + pkcs12(dir, false);
}

/** Bumped whenever the recipe below changes, so a stale cache is made again. */
const CERTS_RECIPE = 'v1: 1000 self-signed, 8 keys (RSA-2048, P-256), UUID in CN, OID or nowhere';

/**
 * 1,000 distinct certificates made once by OpenSSL and cached (gitignored): each its own UUID and
 * serial, placements cycling CN / OID / none, over a few keys so making them takes seconds.
 */
export function ensureCertificates(cacheDir: string, count = 1000): string[] {
  const dir = join(cacheDir, 'certs');
  const stamp = join(dir, 'RECIPE');
  const files = () =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.pem'))
      .sort()
      .map((f) => join(dir, f));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === CERTS_RECIPE && files().length === count) return files();

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'keys'), { recursive: true });
  writeFileSync(join(dir, 'keys', 'req.cnf'), REQ_CONFIG);
  const keys = ['rsa-2048', 'ec-p256'].flatMap((type) => [0, 1, 2, 3].map((i) => `${type}-${i}.pem`));
  for (const key of keys)
    timed('openssl', ['genpkey', ...NEWKEY[key.startsWith('rsa') ? 'rsa-2048' : 'ec-p256'], '-out', join(dir, 'keys', key)]);

  const lines = Array.from({ length: count }, (_, i) => {
    const appId = crypto.randomUUID();
    const cn = i % 3 === 0 ? appId : `client-${i}.example.com`;
    const oid = i % 3 === 1 ? `/my_app_id=${appId}` : '';
    const name = `cert-${String(i).padStart(4, '0')}.pem`;
    return `openssl req -x509 -new -key keys/${keys[i % keys.length]} -subj '/C=US/O=Bench Org ${i}/OU=Team ${i % 7}/CN=${cn}${oid}' -days ${30 + i} -set_serial ${1000 + i} -config keys/req.cnf -out ${name}`;
  });
  // Two shell scripts side by side (2 cores) are much faster than a Node spawn per certificate.
  for (const half of [0, 1]) writeFileSync(join(dir, `make-${half}.sh`), `set -e\n${lines.filter((_, i) => i % 2 === half).join('\n')}\n`);
  const made = spawnSync('bash', ['-c', 'bash make-0.sh & a=$!; bash make-1.sh & b=$!; wait $a && wait $b'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (made.status !== 0 || files().length !== count) throw new Error(`Could not make the bench certificates with OpenSSL:\n${made.stderr}`);
  writeFileSync(stamp, CERTS_RECIPE);
  return files();
}

/** The OpenSSL side of verification: one `openssl x509` per file, as a shell loop would do it. */
export const x509Loop = (certDir: string) =>
  timed('bash', ['-c', 'for f in cert-*.pem; do openssl x509 -noout -subject -enddate -in "$f" || exit 1; done > /dev/null'], certDir);

/** key.pem and cert.pem in dir, for the PKCS#12 measures (not timed). */
export function identity(dir: string, appId: string): void {
  writeFileSync(join(dir, 'req.cnf'), REQ_CONFIG);
  req(dir, 'rsa-2048', appId);
}
