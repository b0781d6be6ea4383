import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { terminalText } from '../lib/escape.ts';
import { locationText, reportJson, summaryCounts } from '../lib/verify/report.ts';
import { parseExpected } from '../lib/verify/expected.ts';
import { refuseLargeFile, unopenedFile, type FileReport } from '../lib/verify/fileReport.ts';
import { verifyFile, type VerifyOptions } from '../lib/verify/verify.ts';
import { readSecret } from './secret.ts';
import { EXIT, UsageError } from './usage.ts';

/** A file that cannot be opened still gets a verdict, so one bad path does not hide the others. */
async function verifyPath(path: string, options: VerifyOptions): Promise<FileReport> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return unopenedFile(path, 'not a regular file');
    size = info.size;
  } catch (error) {
    return unopenedFile(path, (error as { code?: string }).code ?? String(error));
  }
  // Refused by its size before a byte is read.
  return refuseLargeFile(path, size) ?? verifyFile(path, new Uint8Array(await readFile(path)), options);
}

/** One verdict for people. Names, subjects and messages quote the file: shown, never obeyed, by the terminal. */
function printText(report: FileReport): void {
  console.log(`${report.ok ? '✓ passes' : '✗ FAILS '}  ${terminalText(report.file)}`);
  if (report.subject !== null) console.log(`    subject: ${terminalText(report.subject)}`);
  if (report.kind !== 'unknown') console.log(`    app UUID: ${terminalText(report.appId ?? '—')} (${locationText(report)})`);
  if (report.notAfter !== null) console.log(`    expires: ${report.notAfter.slice(0, 10)} (${report.daysLeft} days left)`);
  for (const p of report.problems) console.log(`    problem [${p.code}]: ${terminalText(p.message)}`);
  for (const w of report.warnings) console.log(`    warning [${w.code}]: ${terminalText(w.message)}`);
}

/** `appcert verify`: the Verify screen's checks on files; exit 0 when every file passes, 1 otherwise. */
export async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      expect: { type: 'string' },
      password: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('name at least one certificate, CSR or PKCS#12 file to check.');
  const expected = parseExpected(values.expect);
  if (expected.problem) throw new UsageError(`--expect: ${expected.problem.message} [${expected.problem.code}]`);

  const options: VerifyOptions = { expected: values.expect, password: await readSecret('--password', values.password) };
  const reports: FileReport[] = [];
  for (const path of positionals) reports.push(await verifyPath(path, options));

  if (values.json) {
    process.stdout.write(reportJson(reports));
  } else {
    reports.forEach(printText);
    const counts = summaryCounts(reports);
    console.log(`\n${counts.passed} of ${counts.total} file${counts.total === 1 ? '' : 's'} pass${counts.total === 1 ? 'es' : ''}.`);
  }
  return reports.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
}
