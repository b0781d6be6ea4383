import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTS, DELIBERATE, disagreements, runDifferential, unexplained, type Case } from './differential';

describe('differential fuzzing against OpenSSL 3 and Python cryptography', () => {
  let cases: Case[];
  beforeAll(async () => {
    cases = await runDifferential();
  }, 900_000);

  it('tries a few thousand mutants of certificates, CSRs and PKCS#12 files', () => {
    expect(cases.length).toBe(COUNTS.cert + COUNTS.csr + COUNTS.p12);
    // The mutants are questions worth asking: OpenSSL opens many and refuses many.
    const opened = cases.filter((c) => c.openssl.opens).length;
    expect(opened).toBeGreaterThan(cases.length / 5);
    expect(cases.length - opened).toBeGreaterThan(cases.length / 5);
  });

  it('has no disagreement that is not a documented deliberate difference', () => {
    const found = cases.flatMap(disagreements);
    const left = unexplained(found);
    const summary = new Map<string, number>();
    for (const d of found) summary.set(d.what, (summary.get(d.what) ?? 0) + 1);
    console.log(
      `differential: ${cases.length} mutants, ${found.length} disagreements, ${left.length} not explained by the ${DELIBERATE.length} deliberate differences:`,
      Object.fromEntries(summary),
    );
    expect(left.slice(0, 10)).toEqual([]);
    expect(left.length).toBe(0);
  });
});
