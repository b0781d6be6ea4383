import { fileNames } from './fileNames';
import { failure, success, type Result } from './plain/result';
import { parseAppId } from './plain/uuid';

/**
 * An RFC 5545 calendar reminder for a certificate's expiry. DSM sends no expiry notice (Fortanix's mutual-TLS guide,
 * section 1.2): when the certificate lapses, the app's API requests simply start failing.
 */
export interface ExpiryReminder {
  /** The DSM app UUID, or null when the certificate does not name one. */
  appId: string | null;
  notAfter: Date;
  /** What to renew, e.g. the subject line. */
  subject: string;
}

export type IcsError = 'invalid-expiry-date';

/** Alarms before the expiry, in days: time to get a new certificate signed and deployed. */
export const ALARM_DAYS = [30, 7] as const;

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;

/** 2027-11-30T23:31:20.000Z → 20271130T233120Z (the UTC DATE-TIME form, RFC 5545 section 3.3.5). */
export const icsDateTime = (date: Date): string =>
  date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 section 3.3.11). */
export const escapeText = (text: string): string =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n|\r/g, '\\n');

/**
 * Folds a content line into lines of at most 75 octets, each continuation starting with a space
 * (RFC 5545 section 3.1). Counts UTF-8 octets and never splits a character.
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // Continuation lines begin with a space, which counts towards their 75 octets.
    const limit = parts.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** A short stable hash, so downloading the same reminder twice updates one event instead of adding two. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** The canonical app UUID, or null when there is none or it is not a UUID. */
const canonicalAppId = (appId: string | null) => {
  const parsed = appId === null ? null : parseAppId(appId);
  return parsed?.ok ? parsed.value.appId : null;
};

/** `app-<uuid>-expiry.ics`, or `certificate-expiry-<date>.ics` for a certificate without an app UUID. */
export function reminderFileName(appId: string | null, notAfter: Date): string {
  const id = canonicalAppId(appId);
  if (id) return fileNames(id).calendar;
  const day = Number.isNaN(notAfter.getTime()) ? 'unknown' : notAfter.toISOString().slice(0, 10);
  return `certificate-expiry-${day}.ics`;
}

function wording(
  reminder: ExpiryReminder,
  appId: string | null,
): { summary: string; description: string; alarm: (days: number) => string } {
  const what = appId ? `the DSM client certificate of app ${appId}` : 'the DSM client certificate';
  const when = reminder.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    summary: `DSM certificate expires: ${appId ? `app ${appId}` : reminder.subject || 'client certificate'}`,
    description: [
      `${what[0].toUpperCase()}${what.slice(1)} expires at ${when} (UTC).`,
      `Certificate subject: ${reminder.subject}`,
      'Fortanix DSM sends no expiry notice: when the certificate expires, every API request of the app fails.',
      'Before then: make a new key and certificate (appcert Create, or a CSR for your CA), upload the certificate in DSM (Apps → the app → Change the authentication method → Certificate), and deploy the new key and certificate with the app.',
    ].join('\n'),
    alarm: (days) => `In ${days} days ${what} expires: renew it and upload the new certificate to DSM.`,
  };
}

/**
 * The .ics text: one VEVENT at the expiry instant (UTC, so every calendar shows the right local
 * time) with display alarms 30 and 7 days before. Lines end in CRLF and are folded at 75 octets.
 */
export function expiryReminderIcs(reminder: ExpiryReminder, options: { now?: Date } = {}): Result<string, IcsError> {
  if (Number.isNaN(reminder.notAfter.getTime())) {
    return failure(
      'invalid-expiry-date',
      'The certificate has no valid expiry date, so no reminder can be made. Check the certificate file.',
    );
  }
  const now = options.now ?? new Date();
  const appId = canonicalAppId(reminder.appId);
  const text = wording(reminder, appId);
  const expiry = icsDateTime(reminder.notAfter);
  const alarms = ALARM_DAYS.flatMap((days) => [
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `TRIGGER;RELATED=START:-P${days}D`,
    `DESCRIPTION:${escapeText(text.alarm(days))}`,
    'END:VALARM',
  ]);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//appcert//DSM client certificate expiry//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:appcert-expiry-${appId ?? 'certificate'}-${expiry}-${fnv1a(reminder.subject)}`,
    `DTSTAMP:${icsDateTime(now)}`,
    `DTSTART:${expiry}`,
    `SUMMARY:${escapeText(text.summary)}`,
    `DESCRIPTION:${escapeText(text.description)}`,
    'TRANSP:TRANSPARENT',
    ...alarms,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return success(lines.map(foldLine).join(CRLF) + CRLF);
}
