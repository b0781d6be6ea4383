import { markdownCode, markdownText, safeJson } from '../escape';
import type { FileReport } from './fileReport';
import { rowReason, verdictText, whoText } from './outcome';
import { batchRows, chainProblems, countRows, countsText, sortRows, validityText, type Row } from './summary';

/**
 * A batch of verdicts as the exported files: JSON (the CLI's --json array) and Markdown for people.
 * Both say what each file was checked against and why it fails or needs action (`outcome`), and
 * which files are another file's chain. Everything that came from a file or a file name is escaped
 * for its destination (see escape.ts).
 */

/** Where a file stands in its batch: a submission, or the chain of others (positions in the array). */
export interface BatchPlace {
  role: 'submission' | 'chain';
  /** The file of the batch whose certificate issued this one's, or null. */
  issuedBy: number | null;
}

export type IssuerOf = (index: number) => number | null;

/** Each report with its place in the batch, in the order given. */
export function reportJson(reports: FileReport[], issuerOf: IssuerOf = () => null): string {
  // Every file is a row of its own (a submission) or on a submission's chain.
  const rows = new Map(batchRows(reports, issuerOf).map((row) => [row.index, row]));
  const entries = reports.map((report, i) => ({
    ...(rows.get(i)?.report ?? report),
    batch: { role: rows.has(i) ? 'submission' : 'chain', issuedBy: issuerOf(i) } satisfies BatchPlace,
  }));
  return `${safeJson(entries, 2)}\n`;
}

const LOCATION_TEXT: Record<FileReport['appIdLocation'], string> = {
  cn: 'CN',
  oid: 'OID 1.3.6.1.4.1.49690.1.2.1',
  both: 'CN and OID',
  none: 'none',
  conflict: 'conflicting UUIDs',
  malformed: 'malformed',
  misplaced: 'misplaced',
};

export const locationText = (report: FileReport): string =>
  report.appIdElsewhere ? `${report.appIdElsewhere.where}, where DSM does not read it` : LOCATION_TEXT[report.appIdLocation];

/** A value from a file as a table cell: a code span that cannot end the cell or the row. */
const cell = (value: string) => markdownCode(value, { inTable: true });
const code = (value: string) => markdownCode(value);

function details(report: FileReport): string[] {
  const lines: string[] = [];
  const add = (label: string, value: string | number | boolean | null) => {
    if (value !== null) lines.push(`- **${label}:** ${value}`);
  };
  add('Kind', report.kind);
  const shownId = report.appId ?? report.appIdElsewhere?.value ?? null;
  add('App UUID', shownId ? `${code(shownId)} (${markdownText(locationText(report))})` : locationText(report));
  if (report.expectedAppId) add('Matches expected', report.matchesExpected ? 'yes' : `no (expected ${code(report.expectedAppId)})`);
  add('Subject', report.subject === null ? null : code(report.subject));
  add('Issuer', report.issuer === null ? null : code(report.issuer));
  if (report.notBefore && report.notAfter) add('Valid', `${report.notBefore} to ${report.notAfter} (${validityText(report)})`);
  add('Key', report.key ? markdownText(report.key.description) : null);
  add('Signature', report.signatureAlgorithm === null ? null : markdownText(report.signatureAlgorithm));
  add('Self-signed', report.selfSigned === null ? null : report.selfSigned ? 'yes' : 'no');
  add('Signature verifies', report.signatureValid === null ? null : report.signatureValid ? 'yes' : 'NO');
  add(
    'clientAuth',
    report.clientAuth === null ? (report.key ? 'no extended key usage (any use)' : null) : report.clientAuth ? 'yes' : 'no',
  );
  add('CA', report.ca === null ? null : report.ca ? 'CA:TRUE' : 'CA:FALSE');
  add('SHA-256', report.sha256 === null ? null : code(report.sha256));
  if (report.chain && report.chain.certificates.length > 1)
    add('Chain', `${report.chain.certificates.length} certificates, ${report.chain.order}`);
  return lines;
}

const verdictCell = (report: FileReport) =>
  `${report.outcome.incident ? '🚨 ' : ''}${report.outcome.verdict === 'passes' ? 'passes' : verdictText(report.outcome.verdict).toUpperCase()}`;

function section(row: Row, reports: FileReport[]): string[] {
  const report = row.report;
  const out = ['', `## ${code(report.file)}: ${verdictCell(report)}`, ''];
  if (report.outcome.incident)
    out.push('> **Incident: a private key was sent with this file.** The key is exposed and must be replaced.', '');
  for (const p of report.problems) out.push(`- ❌ **${markdownText(p.code)}**: ${markdownText(p.message)}`);
  for (const a of report.actions) out.push(`- ✋ **${markdownText(a.code)}** for ${whoText(a.who)}: ${markdownText(a.message)}`);
  for (const w of report.warnings) out.push(`- ⚠️ **${markdownText(w.code)}**: ${markdownText(w.message)}`);
  if (report.problems.length + report.actions.length + report.warnings.length > 0) out.push('');
  out.push(...details(report));
  if (row.chain.length > 0)
    out.push(
      `- **Chain from this batch:** ${row.chain
        .map((i) => {
          const original = row.copyOf(i);
          const state = original === null ? reasonOrOk(reports[i]) : `the same certificate as ${code(reports[original].file)}`;
          return `${code(reports[i].file)} (${state})`;
        })
        .join(', then ')}`,
    );
  return out;
}

/** A chain file's own state, leaving out what only an app's certificate must have. */
const reasonOrOk = (report: FileReport) => {
  const own = chainProblems(report);
  return own.length > 0 ? markdownText(own.map((p) => p.summary).join('; ')) : 'its signature on the certificate below verifies';
};

export interface MarkdownOptions {
  issuerOf?: IssuerOf;
  /** The expected app UUID the files were checked against (lower case), or null for none. */
  expected?: string | null;
}

export function reportMarkdown(reports: FileReport[], generatedAt: Date = new Date(), options: MarkdownOptions = {}): string {
  const expected = options.expected ?? null;
  const rows = sortRows(batchRows(reports, options.issuerOf));
  const out = [
    '# appcert verification report',
    '',
    `${generatedAt.toISOString()}: ${countsText(countRows(rows, reports.length))}`,
    '',
    expected
      ? `Checked against the expected app UUID ${code(expected)}.`
      : 'No expected app UUID was given: each file is checked for an app UUID of its own.',
    '',
    '| File | Verdict | Why | App UUID | Location | Validity |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(({ report: r, chain }) => {
      const file = chain.length > 0 ? `${cell(r.file)} with its chain ${chain.map((i) => cell(reports[i].file)).join(', ')}` : cell(r.file);
      const uuid = r.appId ?? r.appIdElsewhere?.value ?? null;
      return `| ${file} | ${verdictCell(r)} | ${markdownText(rowReason(r.outcome))} | ${uuid === null ? '—' : cell(uuid)} | ${markdownText(locationText(r))} | ${validityText(r)} |`;
    }),
  ];
  for (const row of rows) out.push(...section(row, reports));
  return `${out.join('\n')}\n`;
}
