import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { terminalText } from '../lib/escape.ts';
import { locationText, reportJson } from '../lib/verify/report.ts';
import { parseExpected } from '../lib/verify/expected.ts';
import { refuseLargeFile, unopenedFile, type FileReport } from '../lib/verify/fileReport.ts';
import { linkBatch } from '../lib/verify/group.ts';
import { whoText } from '../lib/verify/outcome.ts';
import { batchRows, countRows, countsText, validityText, type Row } from '../lib/verify/summary.ts';
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

const VERDICT_LINE = { passes: '✓ passes      ', 'needs-action': '! NEEDS ACTION', fails: '✗ FAILS       ' } as const;

/** One verdict for people. Names, subjects and messages quote the file: shown, never obeyed, by the terminal. */
function printText({ report, chain }: Row, reports: FileReport[]): void {
  const { outcome } = report;
  console.log(`${VERDICT_LINE[outcome.verdict]}  ${terminalText(report.file)}${outcome.reason ? `: ${terminalText(outcome.reason)}` : ''}`);
  if (outcome.incident) console.log('    INCIDENT: this file holds a private key. The key is exposed and must be replaced.');
  if (report.subject !== null) console.log(`    subject: ${terminalText(report.subject)}`);
  const shownId = report.appId ?? report.appIdElsewhere?.value ?? '—';
  if (report.kind !== 'unknown') console.log(`    app UUID: ${terminalText(shownId)} (${terminalText(locationText(report))})`);
  if (report.notAfter !== null) console.log(`    expires: ${report.notAfter.slice(0, 10)} (${validityText(report)})`);
  if (chain.length > 0) console.log(`    chain from the files given: ${chain.map((i) => terminalText(reports[i].file)).join(', then ')}`);
  for (const p of report.problems) console.log(`    problem [${p.code}]: ${terminalText(p.message)}`);
  for (const a of report.actions) console.log(`    action [${a.code}] for ${whoText(a.who)}: ${terminalText(a.message)}`);
  for (const w of report.warnings) console.log(`    warning [${w.code}]: ${terminalText(w.message)}`);
}

/**
 * `appcert verify`: the Verify screen's checks on files. Exit 0 when every file (leaving out the
 * files that are another's chain) passes; 1 when any fails or needs action (a script must not take
 * a locked .p12 or a CSR for a usable certificate).
 */
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
  const read = parseExpected(values.expect);
  if (!read.ok) throw new UsageError(`--expect: ${read.message} [${read.code}]`);
  const expected = read.value;

  const options: VerifyOptions = { expected: expected?.appId ?? null, password: await readSecret('--password', values.password) };
  const reports: FileReport[] = [];
  for (const path of positionals) reports.push(await verifyPath(path, options));
  const chains = await linkBatch(reports);
  const rows = batchRows(reports, chains.issuerOf);

  if (values.json) {
    process.stdout.write(reportJson(reports, chains.issuerOf));
  } else {
    if (expected) console.log(`Checking against ${expected.appId}${expected.note ? `: ${expected.note}` : '.'}\n`);
    for (const row of rows) printText(row, reports);
    const counts = countRows(rows, reports.length);
    console.log(
      `\n${counts.passed} of ${counts.files} file${counts.files === 1 ? '' : 's'} pass${counts.files === 1 ? 'es' : ''}. ${countsText(counts)}`,
    );
  }
  return rows.every((r) => r.report.outcome.verdict === 'passes') ? EXIT.ok : EXIT.failed;
}
