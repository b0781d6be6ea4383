import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileReport } from '../../src/lib/verify/fileReport';
import type { Verdict } from '../../src/lib/verify/outcome';
import { verifyFile } from '../../src/lib/verify/verify';
import { APP, P12_PASSWORD } from './verify-fixtures';

// The committed record of what every Verify fixture gets (issue 10): the fixtures are made fresh
// by the checked-in scripts at each run, with whatever OpenSSL and Python `cryptography` the
// machine has, so a change in their behaviour (or in appcert's) would otherwise pass silently
// wherever the hand-written tables do not look. This test makes them all again, verifies each
// file, asks OpenSSL what it reads in it, and compares with tests/fixtures/verify-expectations.json.
// After an intended change, rewrite the manifest and review its diff:
//   APPCERT_UPDATE_MANIFEST=1 npx vitest run tests/unit/verify-manifest.test.ts

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const MANIFEST = join(FIXTURES, 'verify-expectations.json');
const UPDATE_COMMAND = 'APPCERT_UPDATE_MANIFEST=1 npx vitest run tests/unit/verify-manifest.test.ts';
const UPDATE = process.env.APPCERT_UPDATE_MANIFEST === '1';
const OPENSSL_ENV = { ...process.env, OPENSSL_CONF: '/dev/null' };

interface Generator {
  script: string;
  interpreter: string;
  /** The password a PKCS#12 file of this script opens with. */
  password: (dir: string, file: string) => string;
}

const GENERATORS: Generator[] = [
  { script: 'make-verify-fixtures.sh', interpreter: 'bash', password: () => P12_PASSWORD },
  { script: 'make-realworld.py', interpreter: '/usr/bin/python3', password: () => 'pw' },
  {
    script: 'make-p12-fixtures.sh',
    interpreter: 'bash',
    password: (dir, file) => readFileSync(join(dir, file === 'rsa-utf8.p12' ? 'utf8-password.txt' : 'password.txt'), 'utf8'),
  },
];

/** What OpenSSL 3 reads in a file: a certificate or CSR (its subject line and self-signature), a PKCS#12 it opens, or nothing. */
type OpensslView =
  | { reads: 'certificate'; subject: string; selfSignature?: boolean }
  | { reads: 'csr'; subject: string; signature: boolean }
  | { reads: 'pkcs12' }
  | { reads: 'nothing' };

interface Expectation {
  verdict: Verdict;
  kind: FileReport['kind'];
  location: FileReport['appIdLocation'];
  problems: string[];
  /** What someone must do before the file can be judged or used (a password, a CA's signature). */
  actions: string[];
  warnings: string[];
  signatureValid: boolean | null;
  openssl: OpensslView;
}

interface Manifest {
  about: string;
  /** `openssl version` when it was written; not compared, for the reader of a diff. */
  writtenWith: string;
  fixtures: Record<string, Expectation>;
}

/** The one place that turns a report into its verdict word. */
const verdictOf = (report: FileReport): Verdict => report.outcome.verdict;

function openssl(args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('openssl', args, { env: OPENSSL_ENV, encoding: 'latin1', timeout: 20_000 }, (error, out, err) =>
      resolve({ ok: !error, out, err }),
    );
  });
}

const subjectOf = (out: string) =>
  out
    .split('\n')
    .find((line) => line.startsWith('subject='))
    ?.slice('subject='.length) ?? '';

/** At most two OpenSSL runs a file: the reading that appcert's kind suggests first, then the other. */
async function opensslView(path: string, password: string, kind: FileReport['kind']): Promise<OpensslView> {
  if (path.endsWith('.p12')) {
    const opened = await openssl(['pkcs12', '-in', path, '-passin', `pass:${password}`, '-noout']);
    return opened.ok ? { reads: 'pkcs12' } : { reads: 'nothing' };
  }
  const inform = path.endsWith('.der') || path.endsWith('.bin') ? 'DER' : 'PEM';
  const readers = kind === 'csr' ? [csrView, certificateView] : [certificateView, csrView];
  for (const read of readers) {
    const view = await read(path, inform);
    if (view) return view;
  }
  return { reads: 'nothing' };
}

async function certificateView(path: string, inform: string): Promise<OpensslView | null> {
  // Prints the subject and issuer lines, then the certificate as PEM: the file `verify` needs.
  const x509 = await openssl(['x509', '-in', path, '-inform', inform, '-subject', '-issuer']);
  if (!x509.ok) return null;
  const subject = subjectOf(x509.out);
  if (!x509.out.split('\n').includes(`issuer=${subject}`)) return { reads: 'certificate', subject };
  // Self-issued: does OpenSSL accept the signature under the certificate's own key?
  const self = `${path}.self.pem`;
  writeFileSync(self, x509.out, 'latin1');
  const verified = await openssl(['verify', '-check_ss_sig', '-no_check_time', '-partial_chain', '-CAfile', self, self]);
  rmSync(self);
  return { reads: 'certificate', subject, selfSignature: verified.ok };
}

async function csrView(path: string, inform: string): Promise<OpensslView | null> {
  const req = await openssl(['req', '-in', path, '-inform', inform, '-noout', '-subject', '-verify']);
  // OpenSSL 3.0 exits 0 either way; it says "verify OK" or "verify failure".
  if (!req.ok && !/self-signature verify/.test(req.err)) return null;
  return { reads: 'csr', subject: subjectOf(req.out), signature: /verify OK/.test(req.err) };
}

async function expectation(dir: string, file: string, password: string): Promise<Expectation> {
  const path = join(dir, file);
  const report = await verifyFile(file, new Uint8Array(readFileSync(path)), { expected: APP, password });
  return {
    verdict: verdictOf(report),
    kind: report.kind,
    location: report.appIdLocation,
    problems: report.problems.map((p) => p.code).sort(),
    actions: report.actions.map((a) => a.code).sort(),
    warnings: report.warnings.map((w) => w.code).sort(),
    signatureValid: report.signatureValid,
    openssl: await opensslView(path, password, report.kind),
  };
}

/** Makes every generator's fixtures and records each file; keys are `<script>/<file>`, sorted. */
async function record(root: string): Promise<Record<string, Expectation>> {
  const entries: [string, Expectation][] = [];
  for (const generator of GENERATORS) {
    const dir = join(root, generator.script);
    execFileSync(generator.interpreter, [join(FIXTURES, generator.script), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const files = readdirSync(dir).sort();
    // A few at a time: two cores, and each file costs one to three OpenSSL runs.
    for (let i = 0; i < files.length; i += 4) {
      const batch = files.slice(i, i + 4);
      const made = await Promise.all(batch.map((file) => expectation(dir, file, generator.password(dir, file))));
      batch.forEach((file, j) => entries.push([`${generator.script}/${file}`, made[j]]));
    }
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One line per fixture that is new, gone or different, so a failure reads as a diff. */
function differences(committed: Record<string, Expectation>, now: Record<string, Expectation>): string[] {
  const lines: string[] = [];
  for (const name of [...new Set([...Object.keys(committed), ...Object.keys(now)])].sort()) {
    const before = committed[name] === undefined ? undefined : JSON.stringify(committed[name]);
    const after = now[name] === undefined ? undefined : JSON.stringify(now[name]);
    if (before === after) continue;
    lines.push(`${name}:`);
    if (before === undefined || after === undefined) {
      lines.push(before === undefined ? `  + ${after}` : `  - ${before} (no longer made)`);
      continue;
    }
    const [was, is] = [committed[name], now[name]];
    for (const key of Object.keys({ ...was, ...is }) as (keyof Expectation)[]) {
      const [a, b] = [JSON.stringify(was[key]), JSON.stringify(is[key])];
      if (a !== b) lines.push(`  ${key}: ${a} → ${b}`);
    }
  }
  return lines;
}

let root: string;
let recorded: Record<string, Expectation>;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'appcert-manifest-'));
  recorded = await record(root);
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('every Verify fixture gets what tests/fixtures/verify-expectations.json records', () => {
  it(UPDATE ? 'rewrites the manifest (APPCERT_UPDATE_MANIFEST=1)' : 'matches the committed manifest', async () => {
    if (UPDATE) {
      const manifest: Manifest = {
        about: `What appcert's Verify gives each file the fixture scripts make (expected UUID ${APP}), and what OpenSSL reads in it. Written by: ${UPDATE_COMMAND}`,
        writtenWith: execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim(),
        fixtures: recorded,
      };
      const text = await format(JSON.stringify(manifest, null, 2), { ...(await resolveConfig(MANIFEST)), filepath: MANIFEST });
      writeFileSync(MANIFEST, text);
    }
    const committed = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest).fixtures;
    expect(differences(committed, recorded), `fixtures differ from the manifest; if intended, run ${UPDATE_COMMAND}`).toEqual([]);
  });

  it('records facts that can fail: passes and failures, OpenSSL reading and refusing', () => {
    const all = Object.values(recorded);
    expect(all.length).toBeGreaterThan(100);
    expect(new Set(all.map((e) => e.verdict))).toEqual(new Set(['passes', 'needs-action', 'fails']));
    expect(new Set(all.map((e) => e.openssl.reads))).toEqual(new Set(['certificate', 'csr', 'pkcs12', 'nothing']));
    expect(recorded['make-verify-fixtures.sh/cn-ok.pem']).toMatchObject({ verdict: 'passes', location: 'cn', problems: [] });
    expect(recorded['make-verify-fixtures.sh/bad-signature.pem']).toMatchObject({
      problems: ['bad-signature'],
      openssl: { reads: 'certificate', selfSignature: false },
    });
  });
});
