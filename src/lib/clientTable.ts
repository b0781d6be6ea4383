/**
 * docs/pkcs12-clients.md, rendered from the client table (clients.ts) so the document and the
 * picker cannot drift: `npx tsx scripts/client-table.ts > docs/pkcs12-clients.md` writes it, and
 * a unit test fails when the committed file differs.
 */
import { CLIENTS, FORMAT_LABELS, FORMATS, type Evidence } from './clients';

/** Text inside a Markdown table cell: no pipes or line breaks that would split the row. */
const cellText = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');

function evidenceCell(evidence: Evidence): string {
  switch (evidence.kind) {
    case 'tested':
      return `${evidence.opens ? '✅ **tested here, opens**' : '❌ **tested here, refused**'}: ${evidence.tests.map((t) => `\`${t.file}\` › “${t.name}”`).join('; ')}${evidence.note ? `. ${evidence.note}` : ''}`;
    case 'reported': {
      const links = evidence.sources.map((s) => `[${s.title}](${s.url})`).join('; ');
      return `${evidence.opens ? '✅ **reported to open**' : '❌ **reported to fail**'}: ${links}${evidence.note ? `. ${evidence.note}` : ''}`;
    }
    case 'unknown':
      return `❔ **unknown**${evidence.note ? `: ${evidence.note}` : ''}`;
  }
}

export function clientTableMarkdown(): string {
  const header = `| client | ${FORMATS.map((f) => FORMAT_LABELS[f]).join(' | ')} | appcert gives it |`;
  const rows = CLIENTS.map((client) => {
    const cells = FORMATS.map((f) => cellText(evidenceCell(client.cells[f])));
    const pick = client.recommended ? `**${FORMAT_LABELS[client.recommended]}**: ` : '**no recommendation**: ';
    return `| ${cellText(client.name)} (\`--for ${client.id}\`) | ${cells.join(' | ')} | ${cellText(pick + client.reason)} |`;
  });
  return [
    '# Which file for which client',
    '',
    '<!-- Generated from src/lib/clients.ts by `npx tsx scripts/client-table.ts > docs/pkcs12-clients.md`; edit the data, not this file. -->',
    '',
    'appcert asks where the key will live and picks the file from this table. Each cell is **tested here**',
    '(the named test runs that client on the build machine against what appcert writes), **reported**',
    '(public sources someone read: issue threads, release notes, vendor documents) or **unknown**. A',
    'client is recommended only a file its row says opens. *Modern* is PBES2 (PBKDF2-HMAC-SHA-256,',
    'AES-256-CBC) with an HMAC-SHA-256 MAC; *legacy* is pbeWithSHAAnd3-KeyTripleDES-CBC for key and',
    'certificates with a SHA-1 MAC (RFC 7292 appendix B); *PEM* is the certificate (and chain) file',
    'plus the PKCS#8 key file, encrypted with PBES2 AES-256 unless you asked for a plain one.',
    '',
    'A refused PKCS#12 file usually shows up as "wrong password" or "MAC verification failed" even',
    'when the password is right: try the other profile before doubting the password.',
    '',
    header,
    `|${' --- |'.repeat(FORMATS.length + 2)}`,
    ...rows,
    '',
    'In the web app the picker sits on every PKCS#12 export (Create, Complete a CSR, Convert); the',
    'encryption profile itself stays under "Advanced". On the command line: `appcert generate --for <client>`.',
    '',
  ].join('\n');
}
