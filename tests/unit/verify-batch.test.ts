import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchChains, linkBatch } from '../../src/lib/verify/group';
import { reportJson, reportMarkdown } from '../../src/lib/verify/report';
import { batchRows, countRows, countsText, sortRows, submissions, validityText } from '../../src/lib/verify/summary';
import { judgeOutcome } from '../../src/lib/verify/outcome';
import { action, problem, warning } from '../../src/lib/verify/findings';
import { verifyFile } from '../../src/lib/verify/verify';
import type { FileReport } from '../../src/lib/verify/fileReport';
import { APP, makeFixtures } from './verify-fixtures';
import { ALTERED_CA_CHAIN, EXPIRED_CA_CHAIN, makeChainFixtures } from './verify-chains';

// A batch as the admin sees it: three outcomes, one reason per row, chains dropped as separate files.

let fixtures: ReturnType<typeof makeFixtures>;
// OpenSSL makes about 80 files: allow for a busy machine.
beforeAll(() => {
  fixtures = makeFixtures();
  makeChainFixtures(fixtures.dir);
}, 120_000);
afterAll(() => fixtures.remove());

const verify = (file: string, expected: string | null = APP) => verifyFile(file, fixtures.read(file), { expected });
const verifyAll = (files: string[]) => Promise.all(files.map((f) => verify(f)));

describe('outcome: passes, needs action, fails', () => {
  it('fails on a problem, needs action on an action alone, passes otherwise; the first finding is the reason', () => {
    const expired = problem('expired', 'x'.repeat(40), 'expired 701 days ago');
    const locked = action('password-required', 'admin', 'y'.repeat(40));
    const soon = warning('expires-soon', 'z'.repeat(40), 'expires in 3 days');
    expect(judgeOutcome([expired, problem('weak-key', 'w'.repeat(40))], [locked], [soon])).toEqual({
      verdict: 'fails',
      code: 'expired',
      reason: 'expired 701 days ago, and 1 more',
      who: null,
      incident: false,
    });
    expect(judgeOutcome([], [locked], [soon])).toMatchObject({ verdict: 'needs-action', code: 'password-required', who: 'admin' });
    expect(judgeOutcome([], [], [soon])).toMatchObject({ verdict: 'passes', reason: 'expires in 3 days' });
    expect(judgeOutcome([], [], [])).toMatchObject({ verdict: 'passes', code: null, reason: '' });
  });

  it('a CSR and a locked .p12 need action, by the app team and the admin; a .p12 with its key is an incident', async () => {
    expect((await verify('csr-cn.pem')).outcome).toMatchObject({ verdict: 'needs-action', code: 'csr-needs-signing', who: 'app-team' });
    expect((await verify('modern.p12')).outcome).toMatchObject({ verdict: 'needs-action', code: 'password-required', who: 'admin' });
    const keyAlone = await verify('private-key.pem');
    expect(keyAlone.outcome).toMatchObject({ verdict: 'fails', code: 'private-key', incident: true });
    expect(keyAlone.problems[0].message).toMatch(/exposed.*new key pair/);
    // Problems outrank actions: a CSR without a UUID fails.
    expect((await verify('csr-no-app-id.pem')).outcome).toMatchObject({ verdict: 'fails', code: 'no-app-id' });
  });

  it('names the expiry in words, never as a bare negative number', async () => {
    const expired = await verify('expired.pem');
    expect(expired.outcome.reason).toMatch(/^expired \d+ days ago$/);
    expect(validityText(expired)).toBe(expired.outcome.reason);
    const early = await verify('not-yet-valid.pem');
    expect(early.outcome.reason).toBe('not valid until 2099-01-01');
    expect(validityText(early)).toBe('not valid until 2099-01-01');
    expect(validityText(await verify('cn-ok.pem'))).toMatch(/^36[45] days left$/);
  });
});

describe('a UUID where DSM does not read it is named', () => {
  it.each([
    ['uuid-in-ou.pem', 'OU'],
    ['uuid-in-o.pem', 'O'],
    ['uuid-in-san.pem', 'the subject alternative name (URI)'],
  ])('%s: in %s', async (file, where) => {
    const report = await verify(file);
    expect(report).toMatchObject({ appId: null, appIdLocation: 'misplaced', appIdElsewhere: { where, value: APP } });
    expect(report.outcome).toMatchObject({
      verdict: 'fails',
      code: 'uuid-in-wrong-attribute',
      reason: `the app UUID is in ${where}; DSM reads it only from CN or OID 1.3.6.1.4.1.49690.1.2.1`,
    });
    expect(report.problems[0].message).toContain(`The app UUID ${APP} is in ${where}`);
  });

  it('highlights the attribute that holds it', async () => {
    const report = await verify('uuid-in-ou.pem');
    expect(report.subjectAttributes.filter((a) => a.isAppId).map((a) => a.shortName)).toEqual(['OU']);
  });

  it('gives CA:TRUE one rule: an end certificate without keyCertSign is leaf-has-ca-true, placed UUID or not', async () => {
    const codes = async (file: string) => (await verify(file)).warnings.map((w) => w.code);
    expect(await codes('seed-sample.pem')).toEqual(['leaf-has-ca-true']);
    expect(await codes('ca-true-uuid-in-ou.pem')).toEqual(['leaf-has-ca-true']);
    // A real CA (keyCertSign) is called one, whatever its subject holds.
    expect(await codes('ca-certificate.pem')).toEqual(['ca-certificate']);
    expect(await codes('chain-part-intermediate.pem')).toContain('ca-certificate');
  });
});

describe('a chain dropped as separate files is one submission', () => {
  const PARTS = ['chain-part-root.pem', 'chain-part-leaf.pem', 'chain-part-intermediate.pem'];

  it('links root, intermediate and leaf in any order of arrival, by verified signatures', async () => {
    for (const order of [PARTS, [...PARTS].reverse(), [PARTS[1], PARTS[0], PARTS[2]]]) {
      const reports = await verifyAll(order);
      const chains = await linkBatch(reports);
      const at = (name: string) => order.indexOf(name);
      expect(chains.issuerOf(at('chain-part-leaf.pem'))).toBe(at('chain-part-intermediate.pem'));
      expect(chains.issuerOf(at('chain-part-intermediate.pem'))).toBe(at('chain-part-root.pem'));
      expect(chains.issuerOf(at('chain-part-root.pem'))).toBeNull();
      const rows = batchRows(reports, chains.issuerOf);
      expect(rows.map((r) => [r.report.file, r.chain.map((i) => order[i])])).toEqual([
        ['chain-part-leaf.pem', ['chain-part-intermediate.pem', 'chain-part-root.pem']],
      ]);
      // The leaf's signature was checked with the intermediate's key: no "issuer not in the file".
      expect(rows[0].report).toMatchObject({ signatureValid: true, ok: true, warnings: [] });
      expect(countsText(countRows(rows, reports.length))).toBe('3 files: 1 pass, 0 fail (2 are the chain of another file).');
    }
  });

  it('links files that arrive at the same time, and unlinks a file that leaves', async () => {
    const [root, leaf, intermediate] = await verifyAll(PARTS);
    const chains = new BatchChains();
    await Promise.all([chains.add(1, leaf), chains.add(2, intermediate), chains.add(0, root)]);
    expect([chains.issuerOf(1), chains.issuerOf(2)]).toEqual([2, 0]);
    expect(chains.remove(2)).toBe(true);
    expect(chains.issuerOf(1)).toBeNull();
    expect(await chains.add(2, intermediate)).toBe(true);
    expect([chains.issuerOf(1), chains.issuerOf(2)]).toEqual([2, 0]);
  });

  it('does not link a certificate whose signature does not verify, nor copies of a self-signed one', async () => {
    // The altered leaf names the intermediate as issuer, but its signature fails.
    const reports = await verifyAll(['chain-leaf-altered.pem', 'chain-part-intermediate.pem', 'cn-ok.pem', 'cn-ok.der']);
    const chains = await linkBatch(reports);
    expect(reports.map((_, i) => chains.issuerOf(i))).toEqual([null, null, null, null]);
  });

  it('stays cheap for a hostile batch: many same-named certificates cost a bounded number of checks', async () => {
    const leaf = await verify('chain-part-leaf.pem');
    // The same leaf 100 times: each waits for an issuer named like the intermediate, none arrives.
    const chains = await linkBatch(Array.from({ length: 100 }, () => leaf));
    // Then 50 certificates named like the intermediate that did not sign it: each would look at all 100.
    const impostor = await verify('impostor-intermediate.pem');
    for (let i = 0; i < 50; i++) expect(await chains.add(1000 + i, impostor)).toBe(false);
    // The work grows with the number of files, not its square: linking stops at the budget.
    expect(chains.stopped).toBe(true);
    expect(chains.budget.used['chain-steps']).toBeLessThanOrEqual(1_000 + 20 * 150);
    expect(chains.budget.used.signatures).toBeLessThanOrEqual(16 + 2 * 150);
  }, 60_000);

  it('fails the leaf when a CA of its chain expired, as openssl verify -untrusted does', async () => {
    const reports = await verifyAll(EXPIRED_CA_CHAIN);
    // The leaf alone is sound; the intermediate expired in 2021.
    expect(reports[0].outcome.verdict).toBe('passes');
    expect(reports[1].problems.map((p) => p.code)).toContain('expired');
    const rows = batchRows(reports, (await linkBatch(reports)).issuerOf);
    expect(rows.map((r) => [r.report.file, r.chain])).toEqual([['expired-ca-leaf.pem', [1, 2]]]);
    const leaf = rows[0].report;
    expect(leaf.outcome).toMatchObject({ verdict: 'fails', code: 'chain-ca-expired' });
    expect(leaf.outcome.reason).toMatch(/^its CA expired-ca-intermediate\.pem: expired \d+ days ago$/);
    expect(leaf.problems[0].message).toContain("DSM's Trusted CA method checks the chain");
    expect(countsText(countRows(rows, reports.length))).toBe('3 files: 0 pass, 1 fail (2 are the chain of another file).');
    // OpenSSL agrees: the same three files fail its chain check at the intermediate.
    const openssl = spawnSync(
      'openssl',
      ['verify', '-CAfile', EXPIRED_CA_CHAIN[2], '-untrusted', EXPIRED_CA_CHAIN[1], EXPIRED_CA_CHAIN[0]],
      {
        cwd: fixtures.dir,
        encoding: 'utf8',
      },
    );
    expect(openssl.status).not.toBe(0);
    expect(openssl.stdout + openssl.stderr).toContain('certificate has expired');
  });

  it('fails the leaf when a CA of its chain was altered (its own signature fails), and names which', async () => {
    const reports = await verifyAll(ALTERED_CA_CHAIN);
    expect(reports[2].problems.map((p) => p.code)).toContain('bad-signature');
    const rows = batchRows(reports, (await linkBatch(reports)).issuerOf);
    expect(rows.map((r) => [r.report.file, r.chain])).toEqual([['altered-ca-leaf.pem', [1, 2]]]);
    expect(rows[0].report.outcome).toMatchObject({
      verdict: 'fails',
      code: 'chain-ca-invalid',
      reason: 'its CA altered-ca-root.pem: the signature does not verify: damaged or altered',
    });
    // The sound chain next to it is not failed by its CA's warnings (ca-certificate, issuer-not-in-file).
    const sound = await verifyAll(['chain-part-leaf.pem', 'chain-part-intermediate.pem', 'chain-part-root.pem']);
    expect(batchRows(sound, (await linkBatch(sound)).issuerOf)[0].report.outcome.verdict).toBe('passes');
  });

  it('puts a second file with the same CA certificate on the chain too, not among the submissions', async () => {
    const order = ['chain-part-leaf.pem', 'chain-part-intermediate.pem', 'chain-part-root.pem', 'ca-certificate.pem'];
    const reports = await verifyAll(order);
    const chains = await linkBatch(reports);
    const rows = batchRows(reports, chains.issuerOf);
    expect(rows.map((r) => [r.report.file, r.chain.map((i) => order[i]), r.chain.map(r.copyOf)])).toEqual([
      ['chain-part-leaf.pem', ['chain-part-intermediate.pem', 'chain-part-root.pem', 'ca-certificate.pem'], [null, null, 2]],
    ]);
    const json = JSON.parse(reportJson(reports, chains.issuerOf)) as { batch: { role: string } }[];
    expect(json.map((r) => r.batch.role)).toEqual(['submission', 'chain', 'chain', 'chain']);
    expect(reportMarkdown(reports, new Date(), { issuerOf: chains.issuerOf })).toContain(
      '`ca-certificate.pem` (the same certificate as `chain-part-root.pem`)',
    );
  });

  it('keeps the copy on the chain whichever of the two files the link went to', async () => {
    const order = ['ca-certificate.pem', 'chain-part-intermediate.pem', 'chain-part-root.pem', 'chain-part-leaf.pem'];
    const reports = await verifyAll(order);
    // The intermediate was linked to the later file of the two with the root's certificate.
    const issuer = new Map([
      [3, 1],
      [1, 2],
    ]);
    const rows = batchRows(reports, (i) => issuer.get(i) ?? null);
    expect(rows.map((r) => [r.index, r.chain, r.chain.map(r.copyOf)])).toEqual([[3, [1, 2, 0], [null, null, 2]]]);
  });

  it('shows every file once even when issuers form a loop', () => {
    const issuer = new Map([
      [0, 1],
      [1, 0],
      [2, 0],
    ]);
    expect(submissions([0, 1, 2, 3], (id) => issuer.get(id) ?? null)).toEqual([
      { id: 2, chain: [0, 1] },
      { id: 3, chain: [] },
    ]);
    expect(submissions([0, 1], (id) => issuer.get(id) ?? null)).toEqual([
      { id: 0, chain: [] },
      { id: 1, chain: [] },
    ]);
  });
});

describe('the summary and the reports', () => {
  const files = ['cn-ok.pem', 'expired.pem', 'csr-cn.pem', 'chain-part-leaf.pem', 'chain-part-intermediate.pem', 'no-app-id.pem'];

  it('sorts failures first, then needs action, then passes; filters to the rows that do not pass; sorts by file and expiry', async () => {
    const reports = await verifyAll(files);
    const rows = batchRows(reports, (await linkBatch(reports)).issuerOf);
    const names = (sorted: { report: FileReport }[]) => sorted.map((r) => r.report.file);
    expect(names(sortRows(rows))).toEqual(['expired.pem', 'no-app-id.pem', 'csr-cn.pem', 'cn-ok.pem', 'chain-part-leaf.pem']);
    expect(names(sortRows(rows, 'verdict', true))).toEqual(['expired.pem', 'no-app-id.pem', 'csr-cn.pem']);
    expect(names(sortRows(rows, 'file'))).toEqual(['chain-part-leaf.pem', 'cn-ok.pem', 'csr-cn.pem', 'expired.pem', 'no-app-id.pem']);
    expect(names(sortRows(rows, 'expiry'))[0]).toBe('expired.pem');
    expect(names(sortRows(rows, 'expiry')).at(-1)).toBe('csr-cn.pem');
  });

  it('writes the reasons, the expected UUID and the chains into Markdown and JSON', async () => {
    const reports = await verifyAll(files);
    const chains = await linkBatch(reports);
    const markdown = reportMarkdown(reports, new Date('2026-01-02T00:00:00Z'), { issuerOf: chains.issuerOf, expected: APP });
    expect(markdown).toContain('6 files: 2 pass, 1 need action, 2 fail (1 is the chain of another file).');
    expect(markdown).toContain(`Checked against the expected app UUID \`${APP}\`.`);
    expect(markdown).toMatch(/\| `expired\.pem` \| FAILS \| expired \d+ days ago \|/);
    expect(markdown).toContain(
      '| `csr-cn.pem` | NEEDS ACTION | a CSR, not a certificate: have it signed, then send the certificate — by the app team |',
    );
    expect(markdown).toContain('| `chain-part-leaf.pem` with its chain `chain-part-intermediate.pem` | passes |');
    expect(markdown).toMatch(
      /- \*\*Chain from this batch:\*\* `chain-part-intermediate\.pem` \(its signature on the certificate below verifies\)/,
    );
    const json = JSON.parse(reportJson(reports, chains.issuerOf)) as (FileReport & { batch: unknown })[];
    expect(json.map((r) => [r.file, r.outcome.verdict, r.batch])).toEqual([
      ['cn-ok.pem', 'passes', { role: 'submission', issuedBy: null }],
      ['expired.pem', 'fails', { role: 'submission', issuedBy: null }],
      ['csr-cn.pem', 'needs-action', { role: 'submission', issuedBy: null }],
      ['chain-part-leaf.pem', 'passes', { role: 'submission', issuedBy: 4 }],
      ['chain-part-intermediate.pem', 'passes', { role: 'chain', issuedBy: null }],
      ['no-app-id.pem', 'fails', { role: 'submission', issuedBy: null }],
    ]);
    expect(json.every((r) => r.expectedAppId === APP)).toBe(true);
    expect(json[1].outcome.reason).toMatch(/^expired \d+ days ago$/);
  });

  it('puts an incident at the top of its section', async () => {
    const markdown = reportMarkdown([await verify('cert-and-key.pem')]);
    expect(markdown).toContain('| `cert-and-key.pem` | 🚨 FAILS | holds the private key: exposed, must be replaced |');
    expect(markdown).toMatch(/## `cert-and-key\.pem`: 🚨 FAILS\n\n> \*\*Incident: a private key was sent with this file\.\*\*/);
  });
});
