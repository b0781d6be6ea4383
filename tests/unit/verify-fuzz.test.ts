import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../src/lib/pem';
import { verifyFile } from '../../src/lib/verify/verify';
import type { FileReport } from '../../src/lib/verify/fileReport';
import { APP, makeFixtures, P12_PASSWORD } from './verify-fixtures';
import { random, type Rng } from '../interop/mutate';

// Any byte sequence gets a verdict: thousands of mutated fixtures and random inputs go through the
// verifier; none may throw, hang or come back without a verdict. The generator is seeded, so a
// failure names an input that can be made again.

let fixtures: ReturnType<typeof makeFixtures>;
let seeds: Uint8Array<ArrayBuffer>[];
beforeAll(() => {
  fixtures = makeFixtures();
  seeds = readdirSync(fixtures.dir)
    .filter((name) => name !== 'too-large.bin' && name !== 'large.pem')
    .map((name) => fixtures.read(name));
});
afterAll(() => fixtures.remove());

const MUTATIONS: ((input: Uint8Array<ArrayBuffer>, rng: Rng, other: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>)[] = [
  // flip a few bytes
  (input, rng) => {
    const out = input.slice();
    for (let i = 0, n = 1 + rng.int(4); i < n && out.length > 0; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  },
  // cut short
  (input, rng) => input.slice(0, rng.int(input.length + 1)),
  // insert random bytes
  (input, rng) => {
    const at = rng.int(input.length + 1);
    return Uint8Array.from([...input.slice(0, at), ...rng.bytes(1 + rng.int(16)), ...input.slice(at)]);
  },
  // splice two files
  (input, rng, other) => Uint8Array.from([...input.slice(0, rng.int(input.length + 1)), ...other.slice(rng.int(other.length + 1))]),
  // damaged DER re-wrapped as valid PEM, so the parser (not the base64 check) meets the damage
  (input, rng) => {
    const out = input.slice();
    if (out.length > 0) out[rng.int(out.length)] = rng.int(256);
    return new TextEncoder().encode(toPem(out, 'CERTIFICATE'));
  },
  // a length byte changed: nested lengths that lie
  (input, rng) => {
    const out = input.slice();
    const at = out.findIndex((b, i) => i > rng.int(Math.max(1, out.length)) && (b === 0x30 || b === 0x31 || b === 0x04));
    if (at >= 0 && at + 1 < out.length) out[at + 1] = rng.int(256);
    return out;
  },
  // random bytes, sometimes shaped like a DER SEQUENCE
  (_input, rng) => {
    const body = rng.bytes(rng.int(600));
    return rng.int(2) === 0 ? body : Uint8Array.from([0x30, 0x82, body.length >> 8, body.length & 0xff, ...body]);
  },
];

const KINDS = new Set(['certificate', 'csr', 'pkcs12', 'unknown']);

/** A hang guard, not a speed claim: the work budget bounds the cost (hostile.test.ts counts it). */
async function verdictWithin(name: string, bytes: Uint8Array<ArrayBuffer>, password: string): Promise<FileReport> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no verdict within 5 s`)), 5000);
  });
  try {
    return await Promise.race([verifyFile(name, bytes, { expected: APP, password }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('verify fuzz', () => {
  it('gives every one of 4000 mutated and random inputs a verdict, never an exception', { timeout: 120_000 }, async () => {
    const rng = random(0x5eed);
    const kinds = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const seed = seeds[rng.int(seeds.length)];
      const other = seeds[rng.int(seeds.length)];
      const mutation = rng.int(MUTATIONS.length);
      const input = MUTATIONS[mutation](seed, rng, other);
      const report = await verdictWithin(`input ${i} (mutation ${mutation})`, input, P12_PASSWORD);
      expect(KINDS.has(report.kind)).toBe(true);
      expect(report.ok).toBe(report.problems.length + report.actions.length === 0);
      for (const finding of [...report.problems, ...report.warnings]) expect(finding.message).not.toBe('');
      if (!report.ok && report.kind === 'unknown') expect(report.problems.length).toBeGreaterThan(0);
      kinds.set(report.kind, (kinds.get(report.kind) ?? 0) + 1);
      // Handled on purpose, not by the last-resort catch in verifyFile.
      expect(report.problems.filter((p) => p.message.startsWith('The file could not be read ('))).toEqual([]);
    }
    // The mutations reach past the sniffing: some inputs are still read as certificates.
    expect(kinds.get('certificate')).toBeGreaterThan(100);
    expect(kinds.get('unknown')).toBeGreaterThan(100);
  });
});
