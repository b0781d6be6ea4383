import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileReport } from '../../src/lib/verify/fileReport';
import { APP, makeFixtures, P12_PASSWORD, TABLE } from '../unit/verify-fixtures';

// `appcert verify` on the fixtures: exit codes, the JSON shape, and the same codes as the core.

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'appcert.mjs');
let fixtures: ReturnType<typeof makeFixtures>;
beforeAll(() => {
  fixtures = makeFixtures();
});
afterAll(() => fixtures.remove());

function appcert(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, 'verify', ...args], { cwd: fixtures.dir, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const KEYS = [
  'file',
  'kind',
  'ok',
  'appId',
  'appIdLocation',
  'problems',
  'warnings',
  'subject',
  'issuer',
  'notBefore',
  'notAfter',
  'daysLeft',
  'key',
  'signatureAlgorithm',
  'selfSigned',
  'signatureValid',
  'clientAuth',
  'ca',
  'sha256',
  'chain',
];

describe('appcert verify', () => {
  it('exits 0 when every file passes, and says so', () => {
    const run = appcert('--expect', APP.toUpperCase(), 'cn-ok.pem', 'oid-ok.pem', 'both-ok.pem', 'cn-ok.der');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/4 of 4 files pass\./);
    expect(run.stdout).toContain('subject: C = US, O = Example, CN = test.kmip.fortanix.com, 1.3.6.1.4.1.49690.1.2.1 = da7f2800');
  });

  it('prints one JSON object per file with the codes the core gives, and exits 1 when any fails', () => {
    const rows = TABLE.filter((t) => t.expected === undefined && t.password === undefined);
    const files = [...new Set(rows.map((t) => t.file))];
    const run = appcert('--json', '--expect', APP, ...files);
    expect(run.status).toBe(1);
    const reports = JSON.parse(run.stdout) as FileReport[];
    expect(reports.map((r) => r.file)).toEqual(files);
    for (const report of reports) {
      expect(Object.keys(report)).toEqual(expect.arrayContaining(KEYS));
      const row = rows.find((t) => t.file === report.file);
      expect({
        file: report.file,
        kind: report.kind,
        location: report.appIdLocation,
        problems: report.problems.map((p) => p.code).sort(),
        actions: report.actions.map((a) => a.code),
      }).toEqual({
        file: row?.file,
        kind: row?.kind,
        location: row?.location,
        problems: [...(row?.problems ?? [])].sort(),
        actions: row?.actions ?? [],
      });
      expect(report.ok).toBe(report.problems.length + report.actions.length === 0);
      for (const finding of [...report.problems, ...report.warnings]) expect(Object.keys(finding)).toEqual(['code', 'message', 'summary']);
      if (report.appId !== null) expect(report.appId).toBe(report.appId.toLowerCase());
    }
  });

  it('opens PKCS#12 files with --password, and reports a wrong one', () => {
    const right = JSON.parse(appcert('--json', '--password', P12_PASSWORD, 'modern.p12', 'legacy.p12').stdout) as FileReport[];
    // Opened, and each holds the private key: an incident.
    expect(right.map((r) => [r.kind, r.outcome.verdict, r.outcome.incident, r.appId])).toEqual([
      ['pkcs12', 'fails', true, APP],
      ['pkcs12', 'fails', true, APP],
    ]);
    const wrong = appcert('--json', '--password', 'nope', 'modern.p12');
    expect(wrong.status).toBe(1);
    expect((JSON.parse(wrong.stdout) as FileReport[])[0].actions.map((a) => a.code)).toEqual(['wrong-password']);
  });

  it('gives a file that cannot be opened its own failing verdict', () => {
    const run = appcert('--json', 'cn-ok.pem', 'missing.pem');
    expect(run.status).toBe(1);
    const [good, missing] = JSON.parse(run.stdout) as FileReport[];
    expect(good.ok).toBe(true);
    expect(missing.problems).toEqual([
      { code: 'not-a-certificate', message: expect.stringMatching(/ENOENT/), summary: expect.any(String) },
    ]);
  });

  it('cleans --expect as Create cleans an app UUID, and says what it checks against', () => {
    const run = appcert('--expect', `urn:uuid:{${APP.toUpperCase()}}`, 'cn-ok.pem');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Checking against ${APP}: the same UUID without the "urn:uuid:" prefix and without the curly braces`);
  });

  it('exits 1 when a file needs action, and names who acts; a chain given as separate files is one submission', () => {
    const locked = appcert('modern.p12', 'csr-cn.pem');
    expect(locked.status).toBe(1);
    expect(locked.stdout).toMatch(/! NEEDS ACTION {2}modern\.p12: locked: needs its password/);
    expect(locked.stdout).toMatch(/action \[csr-needs-signing\] for the app team/);
    const chain = appcert('--json', 'chain-part-root.pem', 'chain-part-leaf.pem', 'chain-part-intermediate.pem');
    expect(chain.status).toBe(0);
    const reports = JSON.parse(chain.stdout) as (FileReport & { batch: { role: string; issuedBy: number | null } })[];
    expect(reports.map((r) => r.batch)).toEqual([
      { role: 'chain', issuedBy: null },
      { role: 'submission', issuedBy: 2 },
      { role: 'chain', issuedBy: 0 },
    ]);
  });

  it.each([
    [[], /name at least one/],
    [['--expect', `${APP}0`, 'cn-ok.pem'], /invalid-expected-uuid/],
    [['--colour', 'cn-ok.pem'], /Unknown option/],
  ])('exits 2 on a usage error: %j', (args, message) => {
    const run = appcert(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
