import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemCode, WarningCode } from '../../src/lib/verify/findings';
import { MAX_INPUT_BYTES } from '../../src/lib/verify/limits';
import { applyExpected, expectedAppId, parseExpected } from '../../src/lib/verify/expected';
import { failureMessage } from '../../src/lib/plain/result';
import { reportJson, reportMarkdown } from '../../src/lib/verify/report';
import { verifyFile } from '../../src/lib/verify/verify';
import { refuseLargeFile, type FileReport } from '../../src/lib/verify/fileReport';
import { APP, makeFixtures, P12_PASSWORD, TABLE } from './verify-fixtures';

let fixtures: ReturnType<typeof makeFixtures>;
beforeAll(() => {
  fixtures = makeFixtures();
});
afterAll(() => fixtures.remove());

const verify = (file: string, options: { expected?: string; password?: string } = {}) =>
  verifyFile(file, fixtures.read(file), { expected: options.expected ?? APP, password: options.password });

describe('verify: every fixture gets exactly its problem codes and UUID location', () => {
  it.each(TABLE)('$file ($why)', async (row) => {
    const report = await verify(row.file, row);
    expect({ kind: report.kind, location: report.appIdLocation, problems: report.problems.map((p) => p.code).sort() }).toEqual({
      kind: row.kind,
      location: row.location,
      problems: [...row.problems].sort(),
    });
    expect(report.warnings.map((w) => w.code).sort()).toEqual([...(row.warnings ?? [])].sort());
    expect(report.actions.map((a) => a.code)).toEqual(row.actions ?? []);
    const verdict = row.problems.length > 0 ? 'fails' : (row.actions ?? []).length > 0 ? 'needs-action' : 'passes';
    expect(report.outcome.verdict).toBe(verdict);
    expect(report.ok).toBe(verdict === 'passes');
    for (const finding of [...report.problems, ...report.actions, ...report.warnings]) {
      expect(finding.message.length).toBeGreaterThan(30);
      expect(finding.summary.length).toBeGreaterThan(5);
    }
  });

  it('covers every problem code the issue lists and every warning code', () => {
    const problems = new Set(TABLE.flatMap((t) => t.problems));
    const warnings = new Set(TABLE.flatMap((t) => t.warnings ?? []));
    const issueProblems: ProblemCode[] = [
      'not-a-certificate',
      'no-app-id',
      'uuid-in-wrong-attribute',
      'private-key',
      'malformed-uuid',
      'uuid-conflict',
      'uuid-mismatch',
      'oid-in-wrong-place',
      'expired',
      'not-yet-valid',
      'weak-key',
      'weak-signature',
      'bad-signature',
      'file-too-large',
    ];
    const actions = new Set(TABLE.flatMap((t) => t.actions ?? []));
    expect([...actions].sort()).toEqual(['csr-needs-signing', 'password-required', 'wrong-password']);
    const allWarnings: WarningCode[] = [
      'uppercase-uuid',
      'leaf-has-ca-true',
      'ca-certificate',
      'chain-order-reversed',
      'chain-unordered',
      'oid-in-issuer-only',
      'legacy-p12-encryption',
      'missing-client-auth',
      'expires-soon',
      'large-file',
      'uncommon-string-type',
      'signature-not-checked',
    ];
    expect(issueProblems.filter((code) => !problems.has(code))).toEqual([]);
    expect(allWarnings.filter((code) => !warnings.has(code))).toEqual([]);
  });
});

describe('verify: details', () => {
  const byCode = (report: FileReport, code: string) =>
    [...report.problems, ...report.actions, ...report.warnings].find((f) => f.code === code)?.message ?? '';

  it('reports the app UUID, the subject line and the UUID attribute with its string type', async () => {
    const report = await verify('oid-ok.pem');
    expect(report.appId).toBe(APP);
    expect(report.subject).toBe(`C = US, O = Example, CN = test.kmip.fortanix.com, 1.3.6.1.4.1.49690.1.2.1 = ${APP}`);
    expect(report.subjectAttributes.filter((a) => a.isAppId)).toEqual([
      {
        oid: '1.3.6.1.4.1.49690.1.2.1',
        shortName: '1.3.6.1.4.1.49690.1.2.1',
        value: APP,
        stringType: 'UTF8String',
        rdn: 3,
        encoding: 'text',
        isAppId: true,
      },
    ]);
    expect(report.subjectAttributes.map((a) => a.stringType)).toEqual(['PrintableString', 'UTF8String', 'UTF8String', 'UTF8String']);
    expect(report).toMatchObject({
      matchesExpected: true,
      clientAuth: true,
      ca: false,
      selfSigned: true,
      signatureValid: true,
      signatureAlgorithm: 'sha256WithRSAEncryption',
    });
    expect(report.key).toEqual({ algorithm: 'RSA', bits: 2048, curve: null, description: 'RSA 2048-bit' });
    expect(report.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('says what was not checked, and whose signature failed (issue 9, part 4)', async () => {
    // A CA-issued leaf without its CA: passes, but says its signature was never checked.
    const alone = await verify('issuer-only.pem');
    expect(byCode(alone, 'issuer-not-in-file')).toMatch(/issued by O = Example, CN = Example Issuing CA.*not in this file.*not checked/);
    // An altered leaf with its CA in the file: the message names that CA, not "self-signed".
    const altered = await verify('chain-leaf-altered.pem');
    expect(byCode(altered, 'bad-signature')).toMatch(/its issuer in the same file \(O = Example, CN = Example Issuing CA/);
    expect(byCode(altered, 'bad-signature')).not.toMatch(/self-signed/);
    expect(altered.selfSigned).toBe(false);
    // Subject = issuer but another key signed it (CA key rollover): not accused, not self-signed.
    const rollover = await verify('rollover.pem');
    expect(rollover).toMatchObject({ selfSigned: false, signatureValid: null });
    expect(byCode(rollover, 'issuer-not-in-file')).toMatch(/another CA key signed it/);
    // Self-signed with key identifiers that say so, and altered: that is evidence.
    expect(byCode(await verify('bad-signature.pem'), 'bad-signature')).toMatch(/self-signed .* damaged or altered/);
  });

  it('reads BMPString, UniversalString and TeletexString values as OpenSSL does', async () => {
    expect((await verify('type-bmp.pem')).subjectAttributes.map((a) => [a.stringType, a.value])).toEqual([
      ['BMPString', 'Example'],
      ['BMPString', APP],
    ]);
    expect((await verify('type-universal.pem')).subjectAttributes[2]).toMatchObject({
      stringType: 'UniversalString',
      value: APP,
      isAppId: true,
    });
    expect((await verify('type-teletex.pem')).subject).toBe(`O = M\\C3\\BCller GmbH, CN = ${APP}`);
  });

  it('says what to do: -u for REST clients when there is no UUID, the values on a conflict', async () => {
    expect(byCode(await verify('no-app-id.pem'), 'no-app-id')).toMatch(/curl -u <uuid>:.*PKCS#11 and KMIP/);
    expect(byCode(await verify('uuid-conflict.pem'), 'uuid-conflict')).toContain('acc15bf3-e626-47aa-9373-7b08b3f26ee8');
    expect(byCode(await verify('malformed-braces.pem'), 'malformed-uuid')).toMatch(/Remove the curly braces/);
    expect(byCode(await verify('other-app.pem'), 'uuid-mismatch')).toMatch(/not the expected da7f2800/);
  });

  it('never takes the issuer UUID as the app id', async () => {
    const report = await verify('issuer-only.pem');
    expect(report.appId).toBeNull();
    expect(report.issuer).toBe(`O = Example, CN = Example Issuing CA, 1.3.6.1.4.1.49690.1.2.1 = ${APP}`);
  });

  it('judges the leaf of a chain in any order and reports the order', async () => {
    const forward = await verify('chain-leaf-first.pem');
    const reversed = await verify('chain-reversed.pem');
    expect(forward.chain).toMatchObject({ order: 'leaf-first', leafIndex: 0 });
    expect(reversed.chain).toMatchObject({ order: 'reversed', leafIndex: 2 });
    expect(reversed.sha256).toBe(forward.sha256);
    // The leaf's signature verifies with the intermediate given next to it.
    expect(forward.signatureValid).toBe(true);
    expect(forward.chain?.certificates.map((c) => c.ca)).toEqual([false, true, true]);
  });

  it('counts days left from the injected clock', async () => {
    const report = await verifyFile('cn-ok.pem', fixtures.read('cn-ok.pem'), { now: new Date(Date.now() + 340 * 86_400_000) });
    expect(report.daysLeft).toBeGreaterThanOrEqual(24);
    expect(report.daysLeft).toBeLessThanOrEqual(25);
    expect(report.warnings.map((w) => w.code)).toEqual(['expires-soon']);
    const later = await verifyFile('cn-ok.pem', fixtures.read('cn-ok.pem'), { now: new Date(Date.now() + 400 * 86_400_000) });
    expect(later.problems.map((p) => p.code)).toEqual(['expired']);
  });

  it('reads a PKCS#12 after a wrong password; its private key is an incident', async () => {
    expect((await verify('modern.p12', { password: 'nope' })).outcome).toMatchObject({
      verdict: 'needs-action',
      code: 'wrong-password',
      who: 'admin',
      incident: false,
    });
    const report = await verify('modern.p12', { password: P12_PASSWORD });
    expect(report).toMatchObject({ ok: false, kind: 'pkcs12', appId: APP, pkcs12: { legacy: false, hasPrivateKey: true } });
    expect(report.outcome).toMatchObject({ verdict: 'fails', code: 'private-key', incident: true });
    expect(report.outcome.reason).toBe('holds the private key: exposed, must be replaced');
  });

  it('refuses a file over the limit by its size alone', () => {
    expect(refuseLargeFile('big.pem', MAX_INPUT_BYTES)).toBeNull();
    expect(refuseLargeFile('big.pem', MAX_INPUT_BYTES + 1)?.problems[0]).toMatchObject({
      code: 'file-too-large',
      message: expect.stringMatching(/not read/),
    });
  });

  it('reads bare base64 (a pasted certificate without BEGIN/END lines)', async () => {
    const pem = new TextDecoder().decode(fixtures.read('cn-ok.pem'));
    const body = pem.replace(/-----[A-Z ]+-----/g, '');
    const report = await verifyFile('pasted', new TextEncoder().encode(body), { expected: APP });
    expect(report).toMatchObject({ ok: true, format: 'base64', appIdLocation: 'cn' });
  });
});

describe('verify: the expectation and the exported report', () => {
  it('re-judges a finished report when the expected UUID changes, without checking the file again', async () => {
    const report = await verifyFile('cn-ok.pem', fixtures.read('cn-ok.pem'));
    expect(report).toMatchObject({ ok: true, expectedAppId: null, matchesExpected: null });
    const other = applyExpected(report, 'ACC15BF3-E626-47AA-9373-7B08B3F26EE8');
    expect(other).toMatchObject({ ok: false, expectedAppId: 'acc15bf3-e626-47aa-9373-7b08b3f26ee8', matchesExpected: false });
    expect(other.problems.map((p) => p.code)).toEqual(['uuid-mismatch']);
    expect(other.outcome).toMatchObject({ verdict: 'fails', reason: `for app ${APP}, not the expected one` });
    expect(applyExpected(other, APP)).toMatchObject({ ok: true, problems: [], matchesExpected: true });
    // Cleaned as the Create field cleans an app UUID.
    expect(applyExpected(other, ` urn:uuid:{${APP.toUpperCase()}} `)).toMatchObject({ ok: true, expectedAppId: APP });
    // Not a UUID even after cleaning: nothing is judged against it.
    expect(applyExpected(other, 'nope')).toMatchObject({ ok: true, problems: [], expectedAppId: null, matchesExpected: null });
    expect(applyExpected(other, '  ')).toMatchObject({ ok: true, expectedAppId: null });
  });

  it('parses the expected UUID like Create: cleaned with a note, or a field error', () => {
    expect(parseExpected(`{${APP}}`)).toEqual({ ok: true, value: { appId: APP, note: 'the same UUID without the curly braces.' } });
    expect(parseExpected(APP)).toEqual({ ok: true, value: { appId: APP, note: null } });
    expect(parseExpected('')).toEqual({ ok: true, value: null });
    const invalid = parseExpected(`${APP}0`);
    expect(invalid).toMatchObject({ ok: false, code: 'invalid-expected-uuid' });
    expect(failureMessage(invalid)).toMatch(
      /^The expected app UUID is not valid: A UUID has 32 hexadecimal digits .* Copy it again from the DSM app page\.$/,
    );
    expect(expectedAppId(invalid)).toBeNull();
    expect(expectedAppId(parseExpected(` ${APP.toUpperCase()} `))).toBe(APP);
  });

  it('exports JSON that reads back as the reports, and Markdown with a reason per file, failures first', async () => {
    const reports = [await verify('cn-ok.pem'), await verify('no-app-id.pem'), await verifyFile('a|b.pem', new Uint8Array(0))];
    expect((JSON.parse(reportJson(reports)) as (FileReport & { batch: unknown })[]).map(({ batch, ...report }) => [report, batch])).toEqual(
      reports.map((r) => [r, { role: 'submission', issuedBy: null }]),
    );
    const markdown = reportMarkdown(reports, new Date('2026-01-02T03:04:05Z'), { expected: APP });
    expect(markdown).toContain('2026-01-02T03:04:05.000Z: 3 files: 1 pass, 2 fail.');
    expect(markdown).toContain(`Checked against the expected app UUID \`${APP}\`.`);
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toEqual([
      '| `no-app-id.pem` | FAILS | no app UUID (not as CN, not in OID 1.3.6.1.4.1.49690.1.2.1) | — | none | 364 days left |',
      '| `a\\|b.pem` | FAILS | no readable certificate in the file | — | none | — |',
      `| \`cn-ok.pem\` | passes | — | \`${APP}\` | CN | 364 days left |`,
    ]);
    expect(markdown).toMatch(/## `no-app-id\.pem`: FAILS\n\n- ❌ \*\*no-app-id\*\*: No app UUID/);
    expect(reportMarkdown(reports)).toContain('No expected app UUID was given');
  });
});
