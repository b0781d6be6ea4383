import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { escapeText, expiryReminderIcs, foldLine, reminderFileName } from '../../src/lib/ics';

const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f';
const NOT_AFTER = new Date('2027-11-30T23:31:20Z');
const NOW = new Date('2026-11-30T04:15:00.123Z');
const SUBJECT = 'C = US, O = Fortanix, CN = da7f2800-4122-4681-aebf-90beb779b73f';

interface Component {
  name: string;
  props: { name: string; params: Record<string, string>; value: string }[];
  children: Component[];
}

/**
 * A small, strict RFC 5545 reader: refuses bare LF, lines over 75 octets, unbalanced BEGIN/END
 * and malformed content lines, then unfolds and returns the component tree.
 */
function parseIcs(text: string): Component {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  const stack: Component[] = [{ name: 'ROOT', props: [], children: [] }];
  for (const line of logical) {
    const match = /^([A-Z0-9-]+)((?:;[A-Z0-9-]+=[^;:]*)*):(.*)$/.exec(line);
    if (!match) throw new Error(`not a content line: ${line}`);
    const [, name, rawParams, value] = match;
    const params = Object.fromEntries(
      rawParams
        .split(';')
        .slice(1)
        .map((p) => p.split('=') as [string, string]),
    );
    if (name === 'BEGIN') {
      const child = { name: value, props: [], children: [] };
      stack[stack.length - 1].children.push(child);
      stack.push(child);
    } else if (name === 'END') {
      const open = stack.pop();
      if (open?.name !== value) throw new Error(`END:${value} closes ${open?.name}`);
    } else {
      stack[stack.length - 1].props.push({ name, params, value });
    }
  }
  expect(stack).toHaveLength(1);
  expect(stack[0].children).toHaveLength(1);
  return stack[0].children[0];
}

const prop = (c: Component, name: string) => c.props.find((p) => p.name === name);
const unescape = (value: string) => value.replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === 'n' ? '\n' : c));

function makeIcs(appId: string | null = APP_ID, subject = SUBJECT): string {
  const result = expiryReminderIcs({ appId, notAfter: NOT_AFTER, subject }, { now: NOW });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('expiryReminderIcs', () => {
  it('writes a VCALENDAR with one VEVENT at the expiry instant and the required properties', () => {
    const calendar = parseIcs(makeIcs());
    expect(calendar.name).toBe('VCALENDAR');
    expect(prop(calendar, 'VERSION')?.value).toBe('2.0');
    expect(prop(calendar, 'PRODID')?.value).toMatch(/appcert/);
    const [event] = calendar.children;
    expect(event.name).toBe('VEVENT');
    expect(prop(event, 'UID')?.value).toMatch(new RegExp(`^appcert-expiry-${APP_ID}-20271130T233120Z-[0-9a-f]{8}$`));
    expect(prop(event, 'DTSTAMP')?.value).toBe('20261130T041500Z');
    expect(prop(event, 'DTSTART')?.value).toBe('20271130T233120Z');
    expect(prop(event, 'SUMMARY')?.value).toBe(`DSM certificate expires: app ${APP_ID}`);
    const description = unescape(prop(event, 'DESCRIPTION')?.value ?? '');
    expect(description).toContain(`app ${APP_ID} expires at 2027-11-30T23:31:20Z`);
    expect(description).toContain(`Certificate subject: ${SUBJECT}`);
    expect(description).toMatch(/sends no expiry notice/);
    expect(description).toMatch(/upload the certificate in DSM/);
  });

  it('has display alarms 30 and 7 days before the expiry', () => {
    const [event] = parseIcs(makeIcs()).children;
    const alarms = event.children.filter((c) => c.name === 'VALARM');
    expect(alarms.map((a) => prop(a, 'TRIGGER')?.value)).toEqual(['-P30D', '-P7D']);
    for (const alarm of alarms) {
      expect(prop(alarm, 'ACTION')?.value).toBe('DISPLAY');
      expect(prop(alarm, 'TRIGGER')?.params).toEqual({ RELATED: 'START' });
      expect(prop(alarm, 'DESCRIPTION')?.value).toContain(APP_ID);
    }
  });

  it('is the same for the same certificate, so a second download updates the same event', () => {
    expect(makeIcs()).toBe(makeIcs());
    const uid = (ics: string) => prop(parseIcs(ics).children[0], 'UID')?.value;
    expect(uid(makeIcs(null, 'CN = one'))).not.toBe(uid(makeIcs(null, 'CN = two')));
  });

  it('names the subject when the certificate has no app UUID', () => {
    const [event] = parseIcs(makeIcs(null, 'CN = billing-service')).children;
    expect(prop(event, 'SUMMARY')?.value).toBe('DSM certificate expires: CN = billing-service');
    expect(prop(event, 'UID')?.value).toMatch(/^appcert-expiry-certificate-20271130T233120Z-[0-9a-f]{8}$/);
  });

  it('escapes TEXT and keeps long non-ASCII subjects within 75 octets per line', () => {
    const subject = `O = Société Générale\\Zürich, OU = ${'測試'.repeat(40)}; CN = x`;
    const [event] = parseIcs(makeIcs(APP_ID, subject)).children;
    expect(unescape(prop(event, 'DESCRIPTION')?.value ?? '')).toContain(`Certificate subject: ${subject}`);
  });

  it('refuses an invalid expiry date with a reason', () => {
    const result = expiryReminderIcs({ appId: APP_ID, notAfter: new Date('nonsense'), subject: SUBJECT });
    expect(result).toMatchObject({ ok: false, code: 'invalid-expiry-date', message: expect.stringMatching(/no valid expiry date/) });
  });

  it('reads as valid with Python: CRLF, folding, dates and alarms', () => {
    const script = String.raw`
import sys, re, datetime
raw = sys.stdin.buffer.read()
assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
text = re.sub(r"\r\n[ \t]", "", raw.decode("utf-8"))
props = [line.split(":", 1) for line in text.split("\r\n") if line]
start = [v for k, v in props if k == "DTSTART"][0]
print(datetime.datetime.strptime(start, "%Y%m%dT%H%M%SZ").isoformat())
print(",".join(v for k, v in props if k.startswith("TRIGGER")))
`;
    const run = spawnSync('python3', ['-c', script], { input: makeIcs(APP_ID, `OU = ${'é'.repeat(100)}`), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('2027-11-30T23:31:20\n-P30D,-P7D\n');
  });
});

describe('foldLine and escapeText', () => {
  it('folds at 75 octets without splitting a character', () => {
    const folded = foldLine(`DESCRIPTION:${'€'.repeat(60)}`);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(`DESCRIPTION:${'€'.repeat(60)}`);
  });

  it('leaves a short line alone and escapes the four special characters', () => {
    expect(foldLine('VERSION:2.0')).toBe('VERSION:2.0');
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });
});

describe('reminderFileName', () => {
  it('uses the app UUID, canonical, or the expiry date without one', () => {
    expect(reminderFileName(APP_ID.toUpperCase(), NOT_AFTER)).toBe(`app-${APP_ID}-expiry.ics`);
    expect(reminderFileName(null, NOT_AFTER)).toBe('certificate-expiry-2027-11-30.ics');
    expect(reminderFileName('not-a-uuid', NOT_AFTER)).toBe('certificate-expiry-2027-11-30.ics');
  });
});
