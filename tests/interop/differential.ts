import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePem } from '../../src/lib/pem';
import * as pkijs from 'pkijs';
import type { Bytes } from '../../src/lib/plain/bytes';
import { verifyFile } from '../../src/lib/verify/verify';
import type { FileReport } from '../../src/lib/verify/fileReport';
import { makeFixtures, P12_PASSWORD } from '../unit/verify-fixtures';
import { mutate, random } from './mutate';
import { PYTHON } from './tools';

/**
 * The machinery of tests/interop/differential.test.ts. Differential fuzzing (issue 11): thousands of mutants of valid and odd certificates, CSRs and
 * PKCS#12 files, each judged by appcert and by the two parsers people trust, OpenSSL 3 and Python
 * `cryptography`. For every mutant: does it open, subject, issuer, dates, fingerprint, and the
 * signature verdict. Each disagreement is either a bug or one of the deliberate differences in
 * DELIBERATE (also in the README's Verify section). The seed is fixed, so a failure names a
 * mutant that can be made again; the counts are printed for the record.
 */

const SEED = 20261202;
export const COUNTS = { cert: 2400, csr: 500, p12: 160 };
const OPENSSL_ENV = { ...process.env, OPENSSL_CONF: '/dev/null' };

export type Kind = 'cert' | 'csr' | 'p12';

interface OpensslView {
  opens: boolean;
  subject?: string;
  issuer?: string;
  notBefore?: string | null;
  notAfter?: string | null;
  sha256?: string;
  /** CSR: whether `openssl req -verify` accepts the self-signature. */
  signature?: boolean;
}

interface PythonView {
  file: string;
  opens: boolean;
  notBefore?: string;
  notAfter?: string;
  sha256?: string;
  selfSignature?: boolean | null;
}

export interface Case extends Input {
  appcert: FileReport;
  openssl: OpensslView;
  python: PythonView;
}

function runOpenssl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('openssl', args, { env: OPENSSL_ENV, encoding: 'latin1', timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const line = (out: string, name: string) =>
  out
    .split('\n')
    .find((l) => l.startsWith(`${name}=`))
    ?.slice(name.length + 1);
/** OpenSSL's "Dec  1 06:27:31 2026 GMT" as ISO 8601; null for "Bad time value". */
function opensslDate(text: string | undefined): string | null | undefined {
  if (text === undefined) return undefined;
  const m = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)(?:\.\d+)? (\d+) GMT$/.exec(text);
  if (!m) return null;
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(m[1]) / 3;
  const date = new Date(0);
  date.setUTCFullYear(Number(m[6]), month, Number(m[2]));
  date.setUTCHours(Number(m[3]), Number(m[4]), Number(m[5]), 0);
  return date.toISOString();
}

async function opensslView(path: string, kind: Kind): Promise<OpensslView> {
  if (kind === 'cert') {
    const run = await runOpenssl([
      'x509',
      '-inform',
      'DER',
      '-in',
      path,
      '-noout',
      '-subject',
      '-issuer',
      '-dates',
      '-fingerprint',
      '-sha256',
    ]);
    if (run.code !== 0) return { opens: false };
    return {
      opens: true,
      subject: line(run.stdout, 'subject'),
      issuer: line(run.stdout, 'issuer'),
      notBefore: opensslDate(line(run.stdout, 'notBefore')),
      notAfter: opensslDate(line(run.stdout, 'notAfter')),
      sha256: line(run.stdout, 'sha256 Fingerprint'),
    };
  }
  if (kind === 'csr') {
    // One run: -verify reports "verify failure" and still prints the subject, but an algorithm it
    // cannot check (MD2, MD4) ends the run after loading; only a load error means "does not open".
    const run = await runOpenssl(['req', '-inform', 'DER', '-in', path, '-noout', '-subject', '-verify']);
    const subject = line(run.stdout, 'subject');
    const loaded = subject !== undefined || !/unable to load|could not read/i.test(run.stderr);
    if (!loaded) return { opens: false };
    return {
      opens: true,
      subject,
      signature: subject === undefined ? undefined : run.code === 0 && /verify OK/.test(run.stderr + run.stdout),
    };
  }
  const run = await runOpenssl(['pkcs12', '-in', path, '-passin', `pass:${P12_PASSWORD}`, '-noout']);
  return { opens: run.code === 0 };
}

/** Runs `work` over `items` with `limit` in flight (OpenSSL is one process per mutant). */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

/** The seeds: every fixture of the Verify table and the real-world generator, by kind, as DER. */
function seeds(): Record<Kind, { name: string; der: Uint8Array }[]> {
  const out: Record<Kind, { name: string; der: Uint8Array }[]> = { cert: [], csr: [], p12: [] };
  const fixtures = makeFixtures();
  const realworld = mkdtempSync(join(tmpdir(), 'appcert-realworld-seeds-'));
  try {
    execFileSync(PYTHON, [join(import.meta.dirname, '..', 'fixtures', 'make-realworld.py'), realworld], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (const name of readdirSync(fixtures.dir)) {
      const bytes = fixtures.read(name);
      if (name.endsWith('.p12')) out.p12.push({ name, der: bytes });
      else if (name.endsWith('.pem') && name !== 'large.pem') {
        const blocks = parsePem(new TextDecoder().decode(bytes));
        if (!blocks.ok) continue;
        for (const block of blocks.value) {
          if (block.label === 'CERTIFICATE') out.cert.push({ name, der: block.der });
          if (block.label === 'CERTIFICATE REQUEST') out.csr.push({ name, der: block.der });
        }
      }
    }
    for (const name of readdirSync(realworld)) {
      const der = new Uint8Array(readFileSync(join(realworld, name)));
      if (name.startsWith('csr-')) out.csr.push({ name, der });
      else if (/^(time|key|sig|names|string)-/.test(name)) out.cert.push({ name, der });
    }
  } finally {
    fixtures.remove();
    rmSync(realworld, { recursive: true, force: true });
  }
  return out;
}

export interface Input {
  file: string;
  kind: Kind;
  /** Where it came from: the seed a mutant was made from, or the corpus file. */
  seed: string;
  /** The mutations applied (none for corpus files). */
  applied: string[];
  der: Bytes;
}

export interface PeerViews {
  openssl: OpensslView[];
  python: Map<string, PythonView>;
}

/** Asks OpenSSL (two processes at a time) and Python (one process for all) about each input. */
export async function askPeers(inputs: Input[]): Promise<PeerViews> {
  const dir = mkdtempSync(join(tmpdir(), 'appcert-differential-'));
  try {
    for (const input of inputs) writeFileSync(join(dir, input.file), input.der);
    const python = new Map<string, PythonView>();
    const pythonRun = new Promise<void>((resolve, reject) => {
      execFile(
        PYTHON,
        [join(import.meta.dirname, 'python-peer.py'), dir, P12_PASSWORD],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, stdout) => {
          if (error) return reject(error);
          for (const l of stdout.split('\n').filter(Boolean)) {
            const view = JSON.parse(l) as PythonView;
            python.set(view.file, view);
          }
          resolve();
        },
      );
    });
    const openssl = await pool(inputs, 2, (c) => opensslView(join(dir, c.file), c.kind));
    await pythonRun;
    return { openssl, python };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** appcert's verdict on each input, next to the peers'. */
export async function judge(inputs: Input[], peers: PeerViews): Promise<Case[]> {
  const cases: Case[] = [];
  for (const [i, input] of inputs.entries()) {
    const appcert = await verifyFile(input.file, input.der, { password: P12_PASSWORD });
    cases.push({
      ...input,
      appcert,
      openssl: peers.openssl[i],
      python: peers.python.get(input.file) ?? { file: input.file, opens: false },
    });
  }
  return cases;
}

export const judgeAll = async (inputs: Input[]): Promise<Case[]> => judge(inputs, await askPeers(inputs));

/** The seeded mutants of every seed. */
export function mutants(counts = COUNTS): Input[] {
  const bySeed = seeds();
  const rng = random(SEED);
  const inputs: Input[] = [];
  for (const kind of ['cert', 'csr', 'p12'] as Kind[]) {
    for (let i = 0; i < counts[kind]; i++) {
      const seed = rng.pick(bySeed[kind]);
      const { der, applied } = mutate(seed.der, rng, kind === 'p12');
      inputs.push({
        file: `${String(inputs.length).padStart(5, '0')}.${kind}.der`,
        kind,
        seed: seed.name,
        applied,
        der: new Uint8Array(der),
      });
    }
  }
  return inputs;
}

export const runDifferential = (counts = COUNTS): Promise<Case[]> => judgeAll(mutants(counts));

/** What appcert says, in the terms the peers can be compared on. */
function appcertOpens(c: Case): boolean {
  const r = c.appcert;
  if (c.kind === 'cert') return r.kind === 'certificate';
  if (c.kind === 'csr') return r.kind === 'csr';
  return r.kind === 'pkcs12' && r.subject !== null;
}

export interface Disagreement {
  case: Case;
  what: string;
}

/** Every way appcert's view differs from OpenSSL's or Python's (before the allow-list). */
export function disagreements(c: Case): Disagreement[] {
  const out: Disagreement[] = [];
  const add = (what: string) => out.push({ case: c, what });
  const ours = appcertOpens(c);
  const theirs = c.openssl.opens;
  if (ours && !theirs) add('appcert opens, OpenSSL refuses');
  if (!ours && theirs) add('OpenSSL opens, appcert refuses');
  if (c.kind !== 'p12' && ours && theirs) {
    if (c.openssl.subject !== undefined && c.appcert.subject !== c.openssl.subject) add('subject');
    if (c.kind === 'cert') {
      if (c.appcert.issuer !== c.openssl.issuer) add('issuer');
      if (c.appcert.notBefore !== c.openssl.notBefore) add('notBefore');
      if (c.appcert.notAfter !== c.openssl.notAfter) add('notAfter');
      if (c.appcert.sha256 !== c.openssl.sha256) add('fingerprint');
    }
    if (
      c.kind === 'csr' &&
      c.appcert.signatureValid !== null &&
      c.openssl.signature !== undefined &&
      c.appcert.signatureValid !== c.openssl.signature
    )
      add('CSR signature (OpenSSL)');
  }
  if (c.kind === 'cert' && ours && c.python.opens) {
    if (c.appcert.sha256 !== c.python.sha256) add('fingerprint (Python)');
    const self = c.python.selfSignature;
    if (
      c.appcert.selfSigned &&
      c.appcert.signatureValid !== null &&
      self !== null &&
      self !== undefined &&
      c.appcert.signatureValid !== self
    )
      add('self-signature (Python)');
  }
  if (c.kind === 'cert' && ours && !c.python.opens && theirs && c.appcert.ok) add('Python refuses, appcert passes');
  return out;
}

const has = (d: Disagreement, code: string) => [...d.case.appcert.problems, ...d.case.appcert.warnings].some((f) => f.code === code);

/** Our name line with each dotted-OID label allowed to be any OpenSSL short name. */
function sameButOidLabels(ours: string | null, theirs: string | undefined): boolean {
  if (ours === null || theirs === undefined) return false;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = ours
    .split(/(?<=^|, | \+ )\d+(?:\.\d+)+(?= = )/)
    .map(escape)
    .join('[\\w.-]+');
  return new RegExp(`^${pattern}$`).test(theirs);
}

/** Whether asn1js (under pkijs) throws on the bytes, as it does for a malformed time anywhere. */
function asn1jsThrows(c: Case): boolean {
  try {
    if (c.kind === 'csr') pkijs.CertificationRequest.fromBER(c.der);
    else pkijs.Certificate.fromBER(c.der);
    return false;
  } catch (error) {
    return /Wrong input string for conversion/.test(String(error));
  }
}

/**
 * The deliberate differences, each with its reason (the README's Verify section has the same
 * table). A disagreement is explained when one of these says so; anything else fails the test.
 */
export const DELIBERATE: { what: string; reason: string; applies: (d: Disagreement) => boolean }[] = [
  {
    what: 'appcert reads a certificate or CSR OpenSSL refuses, when a name holds bytes invalid for its string type',
    reason:
      'Issue 11 point 7: appcert shows the bytes escaped and fails the file with bad-string-encoding instead of only saying "unreadable".',
    applies: (d) => d.what === 'appcert opens, OpenSSL refuses' && has(d, 'bad-string-encoding') && !d.case.appcert.ok,
  },
  {
    what: 'Python refuses a certificate that OpenSSL reads; appcert reads it like OpenSSL',
    reason:
      'Python is stricter (bytes after the certificate, string contents, negative or padded integers). DSM and most TLS stacks use OpenSSL, so where the two disagree appcert follows OpenSSL.',
    applies: (d) => d.what === 'Python refuses, appcert passes' && d.case.openssl.opens,
  },
  {
    what: 'a name attribute whose type is an OID OpenSSL knows but that is not a directory attribute (id-ecPublicKey, basicConstraints, RSA-SHA1...)',
    reason:
      "appcert carries OpenSSL's short names for the attribute arcs only (X.520, pilot, PKCS#9, EV, Russian); other OIDs never name attributes in real certificates and print as dotted OIDs.",
    applies: (d) =>
      (d.what === 'subject' && sameButOidLabels(d.case.appcert.subject, d.case.openssl.subject)) ||
      (d.what === 'issuer' && sameButOidLabels(d.case.appcert.issuer, d.case.openssl.issuer)),
  },
  {
    what: 'the SHA-256 fingerprint of a certificate whose outer fields are not canonical DER',
    reason:
      'appcert hashes the certificate bytes as given (what sha256sum of the DER says); OpenSSL hashes its own re-encoding of the outer fields. They differ only for encodings that are not DER.',
    applies: (d) => d.what === 'fingerprint' && d.case.applied.some((m) => m === 'length' || m === 'tag' || m === 'append'),
  },
  {
    what: 'OpenSSL reads a certificate or CSR with a malformed time value outside the validity; appcert refuses it',
    reason:
      'asn1js cannot decode a damaged GeneralizedTime anywhere; appcert rescues the validity times only. The file fails as unreadable, never passes.',
    applies: (d) => d.what === 'OpenSSL opens, appcert refuses' && asn1jsThrows(d.case) && !d.case.appcert.ok,
  },
  {
    what: 'appcert reads a certificate or CSR that OpenSSL refuses, and fails it',
    reason:
      'asn1js and pkijs are more lenient than OpenSSL with some damaged outlines (a field too many, lengths OpenSSL checks); appcert reads on to name what else is wrong (bad signature, weak algorithm), and the verdict fails.',
    applies: (d) => d.what === 'appcert opens, OpenSSL refuses' && !d.case.appcert.ok,
  },
  {
    what: 'OpenSSL reads a damaged certificate or CSR that appcert refuses',
    reason:
      'OpenSSL keeps some damaged parts as raw bytes (lengths inside algorithm parameters, fields it skips); appcert refuses the file as unreadable. The file fails, never passes.',
    applies: (d) =>
      d.what === 'OpenSSL opens, appcert refuses' &&
      !d.case.appcert.ok &&
      d.case.applied.some((m) => ['length', 'flip', 'dropChild', 'append', 'tag'].includes(m)),
  },
];

/** The disagreements no deliberate difference explains, in a form that says what to look at. */
export function unexplained(found: Disagreement[]) {
  return found
    .filter((d) => !DELIBERATE.some((rule) => rule.applies(d)))
    .map((d) => ({
      what: d.what,
      file: d.case.file,
      seed: d.case.seed,
      applied: d.case.applied,
      appcert: {
        kind: d.case.appcert.kind,
        ok: d.case.appcert.ok,
        subject: d.case.appcert.subject,
        issuer: d.case.appcert.issuer,
        notBefore: d.case.appcert.notBefore,
        notAfter: d.case.appcert.notAfter,
        problems: d.case.appcert.problems.map((p) => p.code),
      },
      openssl: d.case.openssl,
      python: d.case.python,
    }));
}
