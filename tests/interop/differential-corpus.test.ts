import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePem } from '../../src/lib/pem';
import { disagreements, judgeAll, unexplained, type Case, type Input } from './differential';

/**
 * A second public corpus no one here wrote, run the same way as the fuzz test: every certificate
 * and CSR that Debian ships in Mozilla's CA list (ca-certificates) and in Go's crypto and net
 * sources and test data (golang-1.19-src: x509, tls, http test certificates, some deliberately
 * odd). Each is judged by appcert, OpenSSL and Python; every disagreement must be a documented
 * deliberate difference (DELIBERATE in differential.ts).
 */

const MOZILLA = '/usr/share/ca-certificates/mozilla';
const GO = '/usr/lib/go-1.19/src';

function files(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, keep, out);
    else if (keep(name)) out.push(path);
  }
  return out;
}

/** Every PEM certificate and CSR block in the corpus files (Go keeps them in raw string literals). */
function corpus(): Input[] {
  const inputs: Input[] = [];
  const seen = new Set<string>();
  const sources = [
    ...files(MOZILLA, (n) => n.endsWith('.crt')),
    ...['crypto', 'net'].flatMap((d) => files(join(GO, d), (n) => /\.(go|pem|crt)$/.test(n))),
  ];
  for (const source of sources) {
    const text = readFileSync(source, 'latin1');
    if (!text.includes('-----BEGIN')) continue;
    // Take each block on its own: one malformed block must not hide the others.
    for (const block of text.match(/-----BEGIN (CERTIFICATE|CERTIFICATE REQUEST)-----[A-Za-z0-9+/=\s]*-----END \1-----/g) ?? []) {
      const parsed = parsePem(block);
      if (!parsed.ok) continue;
      for (const { label, der } of parsed.value) {
        const key = Buffer.from(der).toString('base64');
        if (seen.has(key)) continue;
        seen.add(key);
        const kind = label === 'CERTIFICATE' ? 'cert' : 'csr';
        inputs.push({ file: `${String(inputs.length).padStart(4, '0')}.${kind}.der`, kind, seed: source, applied: [], der });
      }
    }
  }
  return inputs;
}

describe('the Mozilla CA list and Go test certificates: appcert agrees with OpenSSL and Python', () => {
  let cases: Case[];
  beforeAll(async () => {
    cases = await judgeAll(corpus());
  }, 900_000);

  it('reads the whole corpus', () => {
    // 142 Mozilla roots in Debian 12's ca-certificates, and Go's test certificates.
    expect(cases.filter((c) => c.seed.startsWith(MOZILLA)).length).toBeGreaterThan(100);
    expect(cases.filter((c) => c.seed.startsWith(GO)).length).toBeGreaterThan(50);
  });

  it('has no disagreement that is not a documented deliberate difference', () => {
    const found = cases.flatMap(disagreements);
    const summary = new Map<string, number>();
    for (const d of found) summary.set(d.what, (summary.get(d.what) ?? 0) + 1);
    const left = unexplained(found);
    console.log(
      `corpus: ${cases.length} certificates and CSRs, ${found.length} disagreements, ${left.length} not explained:`,
      Object.fromEntries(summary),
    );
    expect(left).toEqual([]);
  });

  it('gives every Mozilla root a verdict without false accusations', () => {
    const roots = cases.filter((c) => c.seed.startsWith(MOZILLA));
    // Roots are CA certificates without an app UUID: never a bad signature, never a bad time or string.
    const accused = roots.filter((c) =>
      c.appcert.problems.some((p) => ['bad-signature', 'bad-time', 'bad-string-encoding', 'not-a-certificate'].includes(p.code)),
    );
    expect(accused.map((c) => ({ root: c.seed, problems: c.appcert.problems.map((p) => p.code) }))).toEqual([]);
  });
});
