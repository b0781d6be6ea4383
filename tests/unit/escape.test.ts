/** Values from files, escaped for a terminal, JSON, Markdown and a POSIX shell, with hostile values. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { markdownCode, markdownText, safeJson, shellWord, terminalText } from '../../src/lib/escape';
import { authCommand } from '../../src/lib/nextSteps';
import type { AppId } from '../../src/lib/plain/uuid';
import { reportMarkdown } from '../../src/lib/verify/report';
import { finish, type FileReport } from '../../src/lib/verify/fileReport';
import { run, tempDir } from '../interop/tools';

/** Everything a terminal obeys or reorders: C0 (ESC, BEL, CR, LF, NUL), DEL, C1 (CSI U+009B, OSC U+009D), bidi controls, line and paragraph separators. */
const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  '\x7f',
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)),
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u2028',
  '\u2029',
];
const ANY_CONTROL = new RegExp(`[${CONTROLS.map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`, 'u');

const HOSTILE = [
  '\x1b[2J\x1b[31mfake ✓ passes\x1b[0m',
  '\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07', // OSC 8 hyperlink
  '\u009b31mC1 CSI\u009d0;title\u009c',
  'invoice\u202efdp.exe', // shows as "invoiceexe.pdf"
  '\u2066isolated\u2069 \u200fmark',
  'line one\nline two\r\n\u2028\u2029',
  'tab\there\0nul\x7fdel',
];

describe('terminalText', () => {
  it('shows every control, bidi and line-breaking character as a visible escape', () => {
    for (const char of CONTROLS) {
      const shown = terminalText(`a${char}b`);
      expect(shown).not.toMatch(ANY_CONTROL);
      expect(shown).toMatch(/^a\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt])b$/);
    }
    expect(terminalText('\x1b[31m red')).toBe('\\x1b[31m red');
    expect(terminalText('\u009b')).toBe('\\x9b');
    expect(terminalText('abc\u202etxt.exe')).toBe('abc\\u202etxt.exe');
    expect(terminalText('a\nb\r\tc\x7f')).toBe('a\\nb\\r\\tc\\x7f');
    for (const value of HOSTILE) expect(terminalText(value)).not.toMatch(ANY_CONTROL);
  });

  it('keeps ordinary text, accents, other scripts and emoji as they are', () => {
    const text = 'CN = Zoë Müller, O = 株式会社, OU = عربي 🔐 "q" \\ back';
    expect(terminalText(text)).toBe(text);
  });
});

describe('safeJson', () => {
  it('reads back as the same value while printing no control or bidi character', () => {
    const value = { names: HOSTILE, nested: [{ subject: CONTROLS.join('') }] };
    const text = safeJson(value, 2);
    for (const line of text.split('\n')) expect(line).not.toMatch(ANY_CONTROL);
    expect(JSON.parse(text)).toEqual(value);
    expect(safeJson('\u202e')).toBe('"\\u202e"');
  });
});

/** A Markdown code span as CommonMark reads it: the fence, and a content with no run of exactly that many backticks. */
function codeSpanContent(span: string): string {
  const fence = /^`+/.exec(span)?.[0] ?? '';
  expect(fence.length).toBeGreaterThan(0);
  expect(span.endsWith(fence)).toBe(true);
  expect(span.at(-fence.length - 1)).not.toBe('`');
  let inner = span.slice(fence.length, -fence.length);
  for (const run of inner.match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length);
  if (inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '') inner = inner.slice(1, -1);
  return inner;
}

describe('markdownCode', () => {
  it.each([
    ['plain', 'app-da7f2800.pem'],
    ['a backtick run', 'a ``` b'],
    ['backticks at both ends', '`x`'],
    ['spaces at both ends', ' x '],
    ['only backticks', '````'],
    ['HTML and a link', '<img src=x onerror=alert(1)>[a](https://evil.example)'],
  ])('keeps %s inside one code span, as written', (_, value) => {
    expect(codeSpanContent(markdownCode(value))).toBe(value);
  });

  it('cannot end the line, the paragraph or the table cell', () => {
    const span = markdownCode('a\n\n# heading\n| x |', { inTable: true });
    expect(span).not.toContain('\n');
    expect(span.replace(/\\\|/g, '')).not.toContain('|');
    expect(codeSpanContent(span)).toBe('a\\n\\n# heading\\n\\| x \\|');
  });
});

/** What is left when every backslash escape is taken out: only text that cannot be Markdown syntax. */
const unescaped = (markdown: string) => markdown.replace(/\\[\s\S]/g, '');

describe('markdownText', () => {
  it.each([
    ['a link', 'see [here](https://evil.example) now'],
    ['an image', '![x](https://evil.example/t.png)'],
    ['HTML', '<script>alert(1)</script><img src=x onerror=alert(1)>'],
    ['an autolink', '<https://evil.example>'],
    ['bare URLs and addresses (GFM autolinks)', 'https://evil.example www.evil.example admin@evil.example'],
    ['emphasis and strike-through', '*a* _b_ **c** ~~d~~'],
    ['a code span break-out', '`x` ``y``'],
    ['a table cell break', 'a | b | c'],
    ['entities and math', '&lt;b&gt; &#60; $x^2$'],
    ['a heading and a list on new lines', 'x\n# Heading\n- item\n1. item\n\n> quote'],
    ['terminal controls', '\x1b[31m\u202e'],
  ])('leaves no syntax in %s', (_, value) => {
    const text = markdownText(value);
    expect(text).not.toContain('\n');
    expect(text).not.toMatch(ANY_CONTROL);
    const bare = unescaped(text);
    expect(bare).not.toMatch(/[[\]<>`*_~|&$!@]/);
    expect(bare).not.toMatch(/:\/\/|www\./i);
  });

  it('keeps a message readable', () => {
    expect(markdownText('The certificate expires on 2027-01-01, in 29 days. Renew it now.')).toBe(
      'The certificate expires on 2027-01-01, in 29 days. Renew it now.',
    );
  });
});

function hostileReport(file: string, value: string): FileReport {
  return finish({
    file,
    kind: 'certificate',
    ok: false,
    appId: null,
    appIdLocation: 'malformed',
    appIdElsewhere: null,
    problems: [{ code: 'malformed-uuid', message: `The CN "${value}" looks like an app UUID but is not one.`, summary: `about ${value}` }],
    actions: [],
    warnings: [{ code: 'expires-soon', message: `About ${value}.`, summary: `about ${value}` }],
    expectedAppId: null,
    matchesExpected: null,
    size: 1,
    format: 'pem',
    subject: `CN = ${value}`,
    subjectAttributes: [],
    issuer: `O = ${value}`,
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    daysLeft: 30,
    key: null,
    signatureAlgorithm: value,
    selfSigned: true,
    signatureValid: true,
    clientAuth: null,
    extendedKeyUsage: null,
    ca: false,
    sha256: value,
    serialNumber: null,
    chain: null,
    pkcs12: null,
    chainDer: [],
  } as Omit<FileReport, 'outcome'> as FileReport);
}

/** The shape of a Markdown document line by line: headings, list items, table rows with their cell count, blank lines. */
const structure = (markdown: string) =>
  markdown.split('\n').map((line) => {
    if (line.startsWith('|'))
      return `row of ${unescaped(line.replace(/(`+)[\s\S]*?\1/g, (span) => span.replace(/\\\|/g, ''))).split('|').length - 2} cells`;
    return /^(#+ |- |\d+\. |> |$)/.exec(line)?.[0] ?? 'text';
  });

describe('reportMarkdown', () => {
  it('adds no heading, list item, table cell, link, image or HTML for hostile names and values', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const benign = reportMarkdown([hostileReport('a.pem', 'x')], at);
    for (const value of [
      'x\n\n# Owned\n- item\n| a | b |',
      '`` ` ``](https://evil.example)![i](x)<img src=x>',
      'www.evil.example admin@evil.example *em*',
      ...HOSTILE,
    ]) {
      const markdown = reportMarkdown([hostileReport(`${value}.pem`, value)], at);
      expect(structure(markdown)).toEqual(structure(benign));
      for (const line of markdown.split('\n')) expect(line).not.toMatch(ANY_CONTROL);
      // Outside code spans, no syntax is left unescaped (an escaped backtick cannot open a span, so escapes go first).
      const prose = unescaped(markdown).replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
      expect(
        prose
          .replace(/^(#+ |- |\| |\|)/gm, '')
          .replace(/\*\*[a-z-]+\*\*/g, '')
          .replace(/ \| /g, ' '),
      ).not.toMatch(/[[\]<>`~$]|:\/\/|www\./);
    }
  });
});

describe('shellWord and the curl command', () => {
  it('leaves safe names bare and quotes the rest', () => {
    expect(shellWord('app-da7f2800-4122-4681-aebf-90beb779b73f.key')).toBe('app-da7f2800-4122-4681-aebf-90beb779b73f.key');
    expect(shellWord('app (1).key')).toBe(`'app (1).key'`);
    expect(shellWord("it's.key")).toBe(`'it'\\''s.key'`);
    expect(shellWord('')).toBe("''");
  });

  const NAMES = [
    'app-da7f2800 (1).key',
    'k$(touch pwned).key',
    '`touch pwned`.key',
    'a\'b"c.key',
    'x;touch pwned;.key',
    '$HOME*?[a]{b,c}~.key',
    '-rf &|<>.key',
    'new\nline.key',
    "'",
    "\\'\\",
  ];

  it('passes each hostile name to the command as one argument, and runs nothing', async () => {
    const dir = await tempDir('appcert-shell-');
    try {
      for (const name of NAMES) {
        const words = execFileSync('sh', ['-c', `printf '%s\\0' ${shellWord(name)} ${shellWord(name)}`], { cwd: dir.path });
        expect(words.toString()).toBe(`${name}\0${name}\0`);
      }
      const command = authCommand({
        appId: 'da7f2800-4122-4681-aebf-90beb779b73f' as AppId,
        placement: 'none',
        certificateFile: NAMES[1],
        keyFile: NAMES[0],
        endpoint: 'dsm.example.com',
        keyEncrypted: true,
      });
      // The command as shown, with curl replaced by a dry printf of its arguments.
      const dry = command.replace(/^curl /, `printf '%s\\0' `);
      const result = await run('sh', ['-c', dry], { cwd: dir.path });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.split('\0').slice(0, -1)).toEqual([
        'https://dsm.example.com/sys/v1/session/auth',
        '-X',
        'POST',
        '--cert',
        NAMES[1],
        '--key',
        NAMES[0],
        '--pass',
        '<key password>',
        '-u',
        'da7f2800-4122-4681-aebf-90beb779b73f:',
      ]);
      expect((await run('ls', ['-A'], { cwd: dir.path })).stdout).toBe('');
    } finally {
      await dir.remove();
    }
  });
});
