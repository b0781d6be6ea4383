/**
 * Hostile files (tests/fixtures/hostile.ts): each gets its verdict, and the work it costs is
 * counted (the budget's own counters and a counting WebCrypto), never timed. Real files made by
 * OpenSSL stay far below every cap.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WORK_LIMITS, WorkBudget, type WorkKind } from '../../src/lib/budget';
import { completeCsr } from '../../src/lib/complete';
import { openPkcs12 } from '../../src/lib/convert';
import { MAX_DER_DEPTH, scanDer } from '../../src/lib/derScan';
import { readPkcs12 } from '../../src/lib/pkcs12';
import { verifyFile } from '../../src/lib/verify/verify';
import type { FileReport } from '../../src/lib/verify/fileReport';
import { makeHostileFiles, type HostileFile } from '../fixtures/hostile';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

/** WebCrypto that counts what costs: PBKDF2 iterations, signatures made and checked (HMACs apart). */
function countingCrypto() {
  const counts = { pbkdf2Iterations: 0, signs: 0, verifies: 0, hmacs: 0, digests: 0 };
  const subtle = globalThis.crypto.subtle;
  const counting = new Proxy(subtle, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const algorithm = args[0] as { name?: string; iterations?: number } | string;
        const algorithmName = typeof algorithm === 'string' ? algorithm : algorithm.name;
        if ((name === 'deriveBits' || name === 'deriveKey') && typeof algorithm === 'object' && algorithmName === 'PBKDF2')
          counts.pbkdf2Iterations += algorithm.iterations ?? 0;
        if ((name === 'sign' || name === 'verify') && algorithmName === 'HMAC') counts.hmacs += 1;
        else if (name === 'sign') counts.signs += 1;
        else if (name === 'verify') counts.verifies += 1;
        if (name === 'digest') counts.digests += 1;
        return value.apply(target, args);
      };
    },
  });
  const crypto = {
    subtle: counting,
    getRandomValues: (array: Uint8Array) => globalThis.crypto.getRandomValues(array),
  } as unknown as Crypto;
  return { crypto, counts };
}

let files: Map<string, HostileFile>;
const file = (name: string) => files.get(name)!;

interface Run {
  report: FileReport;
  budget: WorkBudget;
  counts: ReturnType<typeof countingCrypto>['counts'];
}

async function verify(name: string): Promise<Run> {
  const { crypto, counts } = countingCrypto();
  const budget = new WorkBudget();
  const hostile = file(name);
  const report = await verifyFile(name, hostile.bytes, { password: hostile.password, crypto, budget });
  return { report, budget, counts };
}

/** What fails the file or stops it until someone acts (a wrong password). */
const codes = (report: FileReport) => [...report.problems, ...report.actions].map((p) => p.code);

/** Nothing was ever charged past a cap, whatever the file. */
function withinLimits(budget: WorkBudget) {
  for (const kind of Object.keys(WORK_LIMITS) as WorkKind[]) expect(budget.used[kind], kind).toBeLessThanOrEqual(WORK_LIMITS[kind]);
}

beforeAll(async () => {
  files = new Map((await makeHostileFiles()).map((f) => [f.name, f]));
});

describe('every hostile file gets its verdict within the budget', () => {
  it('makes one file per class, each at most 1 MiB', () => {
    expect(files.size).toBeGreaterThanOrEqual(19);
    for (const f of files.values()) expect(f.bytes.length).toBeLessThanOrEqual(1024 * 1024);
  });

  it.each([
    'p12-appendix-b-4-containers.p12',
    'p12-appendix-b-repeated.p12',
    'p12-appendix-b-many-small.p12',
    'p12-pbes2-sha512-small.p12',
    'p12-pbes2-sha512-large.p12',
    'p12-mac-sha512-no-password.p12',
    'p12-mac-sha512-wrong-password.p12',
    'p12-key-and-150-certificates.p12',
    'p12-key-and-2000-certificates.p12',
    'pem-siblings.pem',
    'pem-shuffled-chain-1mib.pem',
    'pem-shuffled-chain-250.pem',
    'cert-oid-million-arcs.der',
    'cert-oid-in-extension.der',
    'der-deep-nesting.der',
    'der-huge-length.der',
    'cert-many-rdns.der',
    'cert-many-extensions.der',
    'pem-many-blocks.pem',
  ])('%s', async (name) => {
    const { report, budget, counts } = await verify(name);
    expect(codes(report)).toContain(file(name).expected);
    if (file(name).expected === 'too-much-work') {
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0].message).toMatch(/^appcert stopped reading this file: (it|its|one of its) /);
    }
    withinLimits(budget);
    // WebCrypto's PBKDF2 never ran more than the budget paid for.
    expect(counts.pbkdf2Iterations).toBeLessThanOrEqual(WORK_LIMITS['key-derivation']);
  });
});

describe('what each class costs, counted', () => {
  it('refuses appendix B containers that ask for too much together before deriving any key', async () => {
    for (const name of ['p12-appendix-b-4-containers.p12', 'p12-appendix-b-repeated.p12', 'p12-appendix-b-many-small.p12']) {
      const { report, budget } = await verify(name);
      expect(report.problems[0].message, name).toMatch(
        /it asks for [\d,]+ encrypted containers, each asking for [\d,]+ iterations of the PKCS#12 key derivation/,
      );
      expect(budget.used['key-derivation'], name).toBe(0);
    }
  });

  it('refuses PBES2 at 8,388,607 PBKDF2-HMAC-SHA-512 iterations before WebCrypto starts', async () => {
    for (const name of ['p12-pbes2-sha512-small.p12', 'p12-pbes2-sha512-large.p12']) {
      const { report, counts } = await verify(name);
      expect(report.problems[0].message).toContain('8,388,607 PBKDF2-HMAC-SHA-512 iterations');
      expect(counts.pbkdf2Iterations).toBe(0);
    }
  });

  it('tries a 500,000-iteration SHA-512 MAC once for a wrong password, and not at all when two encodings would not fit', async () => {
    const wrong = await verify('p12-mac-sha512-wrong-password.p12');
    expect(codes(wrong.report)).toEqual(['wrong-password']);
    expect(wrong.budget.used['key-derivation']).toBe(500_000 * 4); // one encoding, SHA-512 weighs 4
    const none = await verify('p12-mac-sha512-no-password.p12');
    expect(none.report.problems[0].message).toContain('500,000 HMAC-SHA-512 key-derivation iterations for each of 2 password encodings');
    expect(none.budget.used['key-derivation']).toBe(0);
  });

  it('compares the key with 150 certificates without a single signature', async () => {
    const { report, budget, counts } = await verify('p12-key-and-150-certificates.p12');
    expect(codes(report)).toEqual(['key-mismatch']);
    expect(budget.used['key-matches']).toBe(150);
    expect(counts.signs).toBe(0);
  });

  it('stops counting certificates at the cap before comparing keys', async () => {
    const { report, budget } = await verify('p12-key-and-2000-certificates.p12');
    expect(report.problems[0].message).toMatch(/certificates per file|more than 20,000 elements/);
    expect(budget.used['key-matches']).toBe(0);
  });

  it('refuses thousands of PEM certificates before parsing one', async () => {
    for (const name of ['pem-siblings.pem', 'pem-shuffled-chain-1mib.pem']) {
      const { report, budget, counts } = await verify(name);
      expect(report.problems[0].message).toMatch(/it holds [\d,]{5,} certificates; appcert reads at most 300 certificates per file/);
      expect(budget.used['der-nodes']).toBe(0);
      expect(counts.verifies).toBe(0);
    }
  });

  it('orders a shuffled chain of 250 through the index: steps grow linearly', async () => {
    const { report, budget } = await verify('pem-shuffled-chain-250.pem');
    expect(report.chain).toMatchObject({ order: 'unordered', leafIndex: expect.any(Number) });
    expect(report.subject).toBe('CN = leaf');
    expect(budget.used['chain-steps']).toBeLessThanOrEqual(4 * 250);
    expect(budget.used.signatures).toBeLessThanOrEqual(251);
  });

  it('refuses a million-component OID, deep nesting, 60,000 RDNs and 25,000 extensions before asn1js builds them', async () => {
    const expectations: [string, RegExp][] = [
      ['cert-oid-million-arcs.der', /an OID with [\d,]+ components/],
      ['cert-oid-in-extension.der', /an OID with [\d,]+ components/],
      ['der-deep-nesting.der', new RegExp(`nested more than ${MAX_DER_DEPTH} levels`)],
      ['cert-many-rdns.der', /more than 20,000 elements/],
      ['cert-many-extensions.der', /more than 20,000 elements/],
    ];
    for (const [name, message] of expectations) {
      const { report, budget } = await verify(name);
      expect(report.problems[0].message, name).toMatch(message);
      expect(budget.used['der-nodes'], name).toBe(0); // refused inside the pre-scan, nothing charged
    }
  });
});

describe('many small PEM blocks', () => {
  it('are named once each, in a message of normal length', async () => {
    const { report } = await verify('pem-many-blocks.pem');
    expect(report.problems).toEqual([
      {
        code: 'not-a-certificate',
        message: expect.stringContaining('only a "X509 CRL" block, no certificate'),
        summary: expect.any(String),
      },
    ]);
    expect(report.problems[0].message.length).toBeLessThan(300);
  });
});

describe('Convert, Complete and the PKCS#12 reader report too-much-work too', () => {
  it('readPkcs12 and Convert', async () => {
    for (const name of ['p12-appendix-b-4-containers.p12', 'p12-pbes2-sha512-small.p12', 'p12-key-and-2000-certificates.p12']) {
      expect(await readPkcs12(file(name).bytes, ''), name).toMatchObject({ ok: false, code: 'too-much-work' });
      expect(await openPkcs12(file(name).bytes, 'x'), name).toMatchObject({
        ok: false,
        code: 'too-much-work',
        message: expect.stringContaining('appcert stopped reading'),
      });
    }
  });

  it('Complete with a CA file of thousands of certificates', async () => {
    const result = await completeCsr({
      keyText: '-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n',
      password: '',
      certificateFiles: [{ name: 'ca.pem', contents: file('pem-siblings.pem').bytes }],
      appId: 'da7f2800-4122-4681-aebf-90beb779b73f',
      placement: 'cn',
    });
    expect(result).toMatchObject({ ok: false, code: 'too-much-work' });
  });
});

describe('real files made by OpenSSL stay far below every cap', () => {
  let dirs: string[] = [];
  beforeAll(() => {
    for (const script of ['make-verify-fixtures.sh', 'make-p12-fixtures.sh']) {
      const dir = mkdtempSync(join(tmpdir(), 'appcert-hostile-'));
      execFileSync('bash', [join(import.meta.dirname, '..', 'fixtures', script), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
      dirs.push(dir);
    }
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs = [];
  });

  it('every fixture, with its password, uses under a fifth of each cap', async () => {
    const passwords = ['correct horse', readFileSync(join(dirs[1], 'utf8-password.txt'), 'utf8')];
    let checked = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir).filter((n) => /\.(pem|der|crt|p12|pfx|csr|p7b)$/.test(n))) {
        const bytes = new Uint8Array(readFileSync(join(dir, name)));
        const budget = new WorkBudget();
        const password = name.includes('utf8') ? passwords[1] : passwords[0];
        const report = await verifyFile(name, bytes, { password, budget });
        expect(codes(report), name).not.toContain('too-much-work');
        // Every PKCS#12 fixture opens with its password and shows its certificate.
        if (name.endsWith('.p12')) expect(report, name).toMatchObject({ kind: 'pkcs12', subject: expect.any(String) });
        if (name.endsWith('.p12')) expect(codes(report), name).not.toContain('not-a-certificate');
        for (const kind of Object.keys(WORK_LIMITS) as WorkKind[])
          expect(budget.used[kind], `${name} ${kind}`).toBeLessThanOrEqual(WORK_LIMITS[kind] / 5);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});

describe('scanDer', () => {
  it('counts the elements of a real certificate, looking into its extensions and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'appcert-scan-'));
    try {
      execFileSync('bash', [join(import.meta.dirname, '..', 'fixtures', 'make-p12-fixtures.sh'), dir], { stdio: 'ignore' });
      const pem = readFileSync(join(dir, 'rsa.crt'), 'utf8');
      const der = new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
      const budget = new WorkBudget();
      const shape = scanDer(der, budget);
      expect(shape.nodes).toBeGreaterThan(30);
      expect(shape.nodes).toBeLessThan(200);
      expect(shape.depth).toBeLessThan(12);
      expect(budget.used['der-nodes']).toBe(shape.nodes);
      expect(budget.used['oid-arcs']).toBe(shape.oidArcs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows BER indefinite lengths and leaves OCTET STRINGs that only look like DER', () => {
    // SEQUENCE (indefinite) { OCTET STRING { 30 05 ... cut short }, NULL } EOC
    const ber = new Uint8Array([0x30, 0x80, 0x04, 0x03, 0x30, 0x05, 0x01, 0x05, 0x00, 0x00, 0x00]);
    const shape = scanDer(ber, new WorkBudget());
    expect(shape.nodes).toBe(3);
  });

  it('stops at damage without throwing', () => {
    expect(() => scanDer(new Uint8Array([0x30, 0x10, 0x02, 0x01]), new WorkBudget())).not.toThrow();
    expect(() => scanDer(new Uint8Array([]), new WorkBudget())).not.toThrow();
  });
});

describe('key match by public key (issue 11, point 5): no false key-mismatch', () => {
  let dir: string;
  const PASSWORD = 'pw';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'appcert-keymatch-'));
    const sh = (script: string) =>
      execFileSync('bash', ['-c', `set -e; cd '${dir}'; export OPENSSL_CONF=/dev/null; ${script}`], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    // The same key types OpenSSL and Python open in a PKCS#12 file; each with a second key that does not match.
    sh(`
      openssl genpkey -algorithm ed25519 -out ed.key; openssl genpkey -algorithm ed25519 -out ed2.key
      openssl dsaparam -out dsa.param 2048 2>/dev/null
      openssl gendsa -out dsa.key dsa.param 2>/dev/null; openssl gendsa -out dsa2.key dsa.param 2>/dev/null
      openssl ecparam -name prime256v1 -genkey -noout -out ec.sec1; openssl pkcs8 -topk8 -nocrypt -in ec.sec1 -out ec.key
      for k in ed dsa ec; do openssl req -x509 -new -key $k.key -subj /CN=da7f2800-4122-4681-aebf-90beb779b73f -days 30 -out $k.crt; done
      for k in ed dsa ec; do openssl pkcs12 -export -in $k.crt -inkey $k.key -passout pass:${PASSWORD} -out $k.p12; done
    `);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
  const pem = (name: string) =>
    Uint8Array.from(Buffer.from(readFileSync(join(dir, name), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));

  it.each(['ed', 'dsa', 'ec'])(
    'a %s key and its certificate match, from its public key alone (no signature for DSA and Ed25519)',
    async (kind) => {
      const { crypto, counts } = countingCrypto();
      const budget = new WorkBudget();
      const report = await verifyFile(`${kind}.p12`, read(`${kind}.p12`), { password: PASSWORD, crypto, budget });
      // Only the key sent with it (an incident); no key-mismatch.
      expect(codes(report)).toEqual(['private-key']);
      expect(report.subject).toBe('CN = da7f2800-4122-4681-aebf-90beb779b73f');
      expect(report.warnings.map((w) => w.code)).not.toContain('key-match-unchecked');
      expect(budget.used['key-matches']).toBe(1);
      // EC is proven with one signature made and checked; DSA and Ed25519 by their public key.
      expect(counts.signs).toBe(kind === 'ec' ? 1 : 0);
    },
  );

  it.each([
    ['ed', 'ed2'],
    ['dsa', 'dsa2'],
  ])('a %s certificate with another key of its kind is a mismatch, with evidence', async (kind, other) => {
    const { matchKey } = await import('../../src/lib/keyMatch');
    const otherKey = pem(`${other}.key`);
    const otherPkcs8 = otherKey; // genpkey and gendsa write PKCS#8 ("PRIVATE KEY") for these
    expect(await matchKey(otherPkcs8, [pem(`${kind}.crt`)])).toEqual({ index: -1, verdict: 'mismatch' });
    expect(await matchKey(pem(`${kind}.key`), [pem(`${kind}.crt`)])).toEqual({ index: 0, verdict: 'match' });
  });

  it('a key whose public half cannot be derived is "unknown", never a mismatch, and the certificate is still shown', async () => {
    const { matchKey } = await import('../../src/lib/keyMatch');
    // An EC key on an unnamed curve without its public point: nothing to compare.
    const unknownKind = new Uint8Array([
      0x30, 0x13, 0x02, 0x01, 0x00, 0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x04, 0x03, 0x30, 0x01, 0x00,
    ]);
    expect(await matchKey(unknownKind, [pem('ec.crt')])).toEqual({ index: -1, verdict: 'unknown' });
  });
});
