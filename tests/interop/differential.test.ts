import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTS, disagreements, runDifferential, type Case, type Disagreement } from './differential';

/**
 * The deliberate differences, each with its reason (the README's Verify section has the same
 * table). A disagreement is explained when one of these says so; anything else fails the test.
 */
export const DELIBERATE: { what: string; reason: string; applies: (d: Disagreement) => boolean }[] = [];

describe('differential fuzzing against OpenSSL 3 and Python cryptography', () => {
  let cases: Case[];
  beforeAll(async () => {
    cases = await runDifferential();
  }, 300_000);

  it('tries a few thousand mutants of certificates, CSRs and PKCS#12 files', () => {
    expect(cases.length).toBe(COUNTS.cert + COUNTS.csr + COUNTS.p12);
    // The mutants are questions worth asking: OpenSSL opens many and refuses many.
    const opened = cases.filter((c) => c.openssl.opens).length;
    expect(opened).toBeGreaterThan(cases.length / 5);
    expect(cases.length - opened).toBeGreaterThan(cases.length / 5);
  });

  it('has no disagreement that is not a documented deliberate difference', () => {
    const all = cases.flatMap(disagreements);
    const unexplained = all.filter((d) => !DELIBERATE.some((rule) => rule.applies(d)));
    const summary = new Map<string, number>();
    for (const d of all) summary.set(d.what, (summary.get(d.what) ?? 0) + 1);
    console.log(`differential: ${cases.length} mutants, ${all.length} disagreements before the allow-list:`, Object.fromEntries(summary));
    expect(
      unexplained.slice(0, 10).map((d) => ({
        what: d.what,
        file: d.case.file,
        seed: d.case.seed,
        applied: d.case.applied,
        appcert: { kind: d.case.appcert.kind, subject: d.case.appcert.subject, notBefore: d.case.appcert.notBefore, notAfter: d.case.appcert.notAfter, problems: d.case.appcert.problems.map((p) => p.code) },
        openssl: d.case.openssl,
        python: d.case.python,
      })),
    ).toEqual([]);
    expect(unexplained.length).toBe(0);
  });
});
