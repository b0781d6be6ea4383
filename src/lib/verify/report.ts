import { markdownCode, markdownText, safeJson } from '../escape';
import type { FileReport } from './fileReport';

/**
 * A batch of verdicts as the exported files: JSON (the CLI's --json array) and Markdown for people.
 * Everything that came from a file or a file name is escaped for its destination (see escape.ts).
 */

export const reportJson = (reports: FileReport[]): string => `${safeJson(reports, 2)}\n`;

const LOCATION_TEXT: Record<FileReport['appIdLocation'], string> = {
  cn: 'CN',
  oid: 'OID 1.3.6.1.4.1.49690.1.2.1',
  both: 'CN and OID',
  none: 'none',
  conflict: 'conflicting UUIDs',
  malformed: 'malformed',
};

export const locationText = (report: FileReport): string => LOCATION_TEXT[report.appIdLocation];

/** A value from a file as a table cell: a code span that cannot end the cell or the row. */
const cell = (value: string) => markdownCode(value, { inTable: true });
const code = (value: string) => markdownCode(value);

export const summaryCounts = (reports: FileReport[]) => ({
  total: reports.length,
  passed: reports.filter((r) => r.ok).length,
  failed: reports.filter((r) => !r.ok).length,
});

function details(report: FileReport): string[] {
  const lines: string[] = [];
  const add = (label: string, value: string | number | boolean | null) => {
    if (value !== null) lines.push(`- **${label}:** ${value}`);
  };
  add('Kind', report.kind);
  add('App UUID', report.appId ? `${code(report.appId)} (${locationText(report)})` : locationText(report));
  if (report.expectedAppId) add('Matches expected', report.matchesExpected ? 'yes' : `no (expected ${code(report.expectedAppId)})`);
  add('Subject', report.subject === null ? null : code(report.subject));
  add('Issuer', report.issuer === null ? null : code(report.issuer));
  if (report.notBefore && report.notAfter) add('Valid', `${report.notBefore} to ${report.notAfter} (${report.daysLeft} days left)`);
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

export function reportMarkdown(reports: FileReport[], generatedAt: Date = new Date()): string {
  const counts = summaryCounts(reports);
  const out = [
    '# appcert verification report',
    '',
    `${generatedAt.toISOString()}: ${counts.total} file${counts.total === 1 ? '' : 's'}, ${counts.passed} pass, ${counts.failed} fail.`,
    '',
    '| File | App UUID | Location | Verdict | Days left |',
    '| --- | --- | --- | --- | --- |',
    ...reports.map(
      (r) =>
        `| ${cell(r.file)} | ${r.appId === null ? '—' : cell(r.appId)} | ${locationText(r)} | ${r.ok ? 'passes' : 'FAILS'} | ${r.daysLeft ?? '—'} |`,
    ),
  ];
  for (const report of reports) {
    out.push('', `## ${code(report.file)}: ${report.ok ? 'passes' : 'FAILS'}`, '');
    for (const p of report.problems) out.push(`- ❌ **${markdownText(p.code)}**: ${markdownText(p.message)}`);
    for (const w of report.warnings) out.push(`- ⚠️ **${markdownText(w.code)}**: ${markdownText(w.message)}`);
    if (report.problems.length + report.warnings.length > 0) out.push('');
    out.push(...details(report));
  }
  return `${out.join('\n')}\n`;
}
