import type { Bytes } from './bytes';
import { failure, type Failure } from './result';

/** Optional subjectAltName entries. Plain data and checks, without pkijs, so forms can load them early. */
export interface AltNames {
  dns: string[];
  email: string[];
  /** IPv4 or IPv6 literals, written as iPAddress entries (RFC 5280 section 4.2.1.6), never as DNS names. */
  ip?: string[];
}

export const NO_ALT_NAMES: AltNames = { dns: [], email: [], ip: [] };

/** One subjectAltName entry, in the order the certificate holds them. */
export type AltName = { kind: 'dns'; value: string } | { kind: 'ip'; value: string; bytes: Bytes } | { kind: 'email'; value: string };

const DNS_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IPv4 address as its 4 bytes, or null. Leading zeros are refused: some tools read them as octal. */
function ipv4Bytes(text: string): number[] | null {
  const parts = IPV4.exec(text)?.slice(1);
  if (!parts || parts.some((p) => Number(p) > 255 || (p.length > 1 && p.startsWith('0')))) return null;
  return parts.map(Number);
}

/** An IPv6 address (with `::` and an optional trailing IPv4 part) as its 16 bytes, or null. */
function ipv6Bytes(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const words: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = ipv4Bytes(part);
        if (!v4) return null;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) {
        words.push(parseInt(part, 16));
      } else {
        return null;
      }
    }
    return words;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail].flatMap((w) => [w >> 8, w & 0xff]);
}

/** The iPAddress bytes of an IPv4 or IPv6 literal (brackets allowed around IPv6), or null when it is not one. */
export function ipAddressBytes(text: string): Bytes | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  const bytes = bare.includes(':') ? ipv6Bytes(bare) : ipv4Bytes(bare);
  return bytes ? new Uint8Array(bytes) : null;
}

/** An address as OpenSSL prints it: dotted IPv4, or eight upper-case hex groups without `::`. */
export function formatIpAddress(bytes: Bytes): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const words = Array.from({ length: bytes.length / 2 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16).toUpperCase());
  return words.join(':');
}

/** Text a person meant as an IP address: digits and dots only, or a colon (no DNS name has one). */
const meantAsIp = (entry: string): boolean => /^[\d.]+$/.test(entry) || entry.includes(':');

export type AltNameError = 'alt-name-not-dns' | 'alt-name-not-ip' | 'alt-name-not-email';

/** Problems with the alternative names, one for each entry that cannot be written. */
export function validateAltNames(names: AltNames): Failure<AltNameError>[] {
  const errors: Failure<AltNameError>[] = [];
  for (const dns of names.dns) {
    if (!DNS_NAME.test(dns) || dns.length > 253)
      errors.push(failure('alt-name-not-dns', `"${dns}" is not a DNS name: use letters, digits, hyphens and dots, like app.example.com.`));
  }
  for (const ip of names.ip ?? []) {
    if (!ipAddressBytes(ip))
      errors.push(
        failure('alt-name-not-ip', `"${ip}" is not an IP address: write IPv4 as four numbers 0-255 like 10.0.0.1, IPv6 like 2001:db8::1.`),
      );
  }
  for (const email of names.email) {
    if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(email) || email.split('@').length !== 2)
      errors.push(failure('alt-name-not-email', `"${email}" is not an email address like team@example.com.`));
  }
  return errors;
}

/**
 * Alternative names as a person types them in one box: separated by commas, semicolons, spaces or
 * line breaks; entries with an "@" are email addresses, IP literals (10.0.0.1, 2001:db8::1) IP
 * addresses, the rest DNS names; blanks and repeats dropped.
 */
export function parseAltNames(text: string): AltNames {
  const entries = [...new Set(text.split(/[\s,;]+/).filter((entry) => entry !== ''))];
  const email = entries.filter((e) => e.includes('@'));
  const ip = entries.filter((e) => !e.includes('@') && meantAsIp(e));
  return { dns: entries.filter((e) => !email.includes(e) && !ip.includes(e)), email, ip };
}

/** The valid entries in the order the certificate holds them: DNS names, IP addresses, email addresses. */
export function altNameList(names: AltNames): AltName[] {
  const ips = (names.ip ?? []).flatMap((value) => {
    const bytes = ipAddressBytes(value);
    return bytes ? [{ kind: 'ip' as const, value, bytes }] : [];
  });
  return [
    ...names.dns.map((value) => ({ kind: 'dns' as const, value })),
    ...ips,
    ...names.email.map((value) => ({ kind: 'email' as const, value })),
  ];
}

/** The entries as `openssl x509 -noout -ext subjectAltName` prints them, e.g. `DNS:a.example.com, IP Address:10.0.0.1`; '' when none. */
export function formatAltNames(names: AltNames): string {
  const label = (name: AltName) =>
    name.kind === 'dns' ? `DNS:${name.value}` : name.kind === 'ip' ? `IP Address:${formatIpAddress(name.bytes)}` : `email:${name.value}`;
  return altNameList(names).map(label).join(', ');
}
