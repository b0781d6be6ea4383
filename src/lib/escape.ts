/**
 * Text from a file, made safe for where it is shown: a terminal, a Markdown document, a POSIX shell
 * command line, JSON read by people. Hostile input is normal input: a subject or a file name may
 * hold ESC sequences, bidi overrides or Markdown, and must never act on the reader's screen.
 */

/**
 * Characters that act on a terminal or reorder what is shown instead of being shown: C0 controls
 * (ESC, BEL, CR, LF...), DEL and C1 controls (U+009B is a one-byte CSI on many terminals) are `\p{Cc}`;
 * bidi embeddings, overrides, isolates and marks (U+061C, U+200E/F, U+202A–202E, U+2066–2069) are
 * `\p{Bidi_Control}`; U+2028/2029 break lines in some viewers.
 */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const hex = (char: string, width: number) => (char.codePointAt(0) ?? 0).toString(16).padStart(width, '0');

/** One unsafe character as a visible escape: `\n`, `\x1b`, `\x9b`, `\u202e`. */
const escapeChar = (char: string) => NAMED[char] ?? (char <= '\u00ff' ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`);

/**
 * A value for a terminal (or any plain text): every control and bidi character shown as a visible
 * escape, so the text is one line that reads in the order it is stored. Other characters, including
 * a backslash, are kept: the result is for eyes, not for parsing back.
 */
export const terminalText = (text: string): string => text.replace(UNSAFE, escapeChar);

/**
 * JSON that is safe to print: JSON.stringify escapes C0 controls already; DEL, C1 and bidi controls
 * and U+2028/2029 are written as `\uXXXX` too. They can only stand inside strings, so the parsed
 * value is unchanged: a program reads exactly what was in the file, a person running `cat` sees escapes.
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (char) => `\\u${hex(char, 4)}`);
}

/** What JSON.stringify leaves as it is: DEL, C1, bidi controls, U+2028/2029 (C0 is escaped already, outside strings it is only indentation). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Bidi_Control}\u2028\u2029]/gu;

/**
 * A value as a Markdown code span: nothing inside a code span is a link, an image, HTML or emphasis.
 * The fence is one backtick longer than the longest run in the value, line breaks are visible escapes
 * (a blank line would end the span and the paragraph), and inside a table `|` is escaped (GFM splits
 * cells before it parses code spans).
 */
export function markdownCode(value: string, { inTable = false } = {}): string {
  let text = terminalText(value);
  if (inTable) text = text.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark strips one space on each side when both are there: pad a value that starts or ends
  // with a backtick or a space so it survives as written.
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Prose that quotes values (a finding's message) as Markdown text on one line: every character that
 * can open emphasis, a link, an image, HTML, an entity, a code span, a table cell, strike-through or
 * math is backslash-escaped, and the starts of GFM's bare autolinks (`://`, `www.`, `@`) are broken.
 * The text is never at the start of a line (it follows a list marker or a label), so `#`, `-`, `+`
 * and `1.` cannot start a block.
 */
export function markdownText(text: string): string {
  return terminalText(text)
    .replace(/[\\`*_[\]<>|~$&!]/g, '\\$&')
    .replace(/:(?=\/\/)|(?<=www)\.|@/gi, '\\$&');
}

/** Characters a POSIX shell never treats specially in a word. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A word for a POSIX shell command line: kept bare when it has only safe characters (so the common
 * command stays readable), otherwise in single quotes, where nothing is special, with each `'`
 * written as `'\''`. Control characters are not escaped here: a shell would pass them on as they are.
 */
export const shellWord = (word: string): string => (SHELL_SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
