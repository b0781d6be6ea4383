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
      }).toEqual({
        file: row?.file,
        kind: row?.kind,
        location: row?.location,
        problems: [...(row?.problems ?? [])].sort(),
      });
      expect(report.ok).toBe(report.problems.length === 0);
      for (const finding of [...report.problems, ...report.warnings]) expect(Object.keys(finding)).toEqual(['code', 'message']);
      if (report.appId !== null) expect(report.appId).toBe(report.appId.toLowerCase());
    }
  });

  it('opens PKCS#12 files with --password, and reports a wrong one', () => {
    const right = JSON.parse(appcert('--json', '--password', P12_PASSWORD, 'modern.p12', 'legacy.p12').stdout) as FileReport[];
    expect(right.map((r) => [r.kind, r.ok, r.appId])).toEqual([
      ['pkcs12', true, APP],
      ['pkcs12', true, APP],
    ]);
    const wrong = appcert('--json', '--password', 'nope', 'modern.p12');
    expect(wrong.status).toBe(1);
    expect((JSON.parse(wrong.stdout) as FileReport[])[0].problems.map((p) => p.code)).toEqual(['wrong-password']);
  });

  it('gives a file that cannot be opened its own failing verdict', () => {
    const run = appcert('--json', 'cn-ok.pem', 'missing.pem');
    expect(run.status).toBe(1);
    const [good, missing] = JSON.parse(run.stdout) as FileReport[];
    expect(good.ok).toBe(true);
    expect(missing.problems).toEqual([{ code: 'not-a-certificate', message: expect.stringMatching(/ENOENT/) }]);
  });

  it.each([
    [[], /name at least one/],
    [['--expect', `urn:uuid:${APP}`, 'cn-ok.pem'], /invalid-expected-uuid/],
    [['--colour', 'cn-ok.pem'], /Unknown option/],
  ])('exits 2 on a usage error: %j', (args, message) => {
    const run = appcert(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
