/** Optional subjectAltName entries. Plain data and checks, without pkijs, so forms can load them early. */
export interface AltNames {
  dns: string[];
  email: string[];
}

export const NO_ALT_NAMES: AltNames = { dns: [], email: [] };

const DNS_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Problems with the alternative names, one message each. */
export function validateAltNames(names: AltNames): string[] {
  const errors: string[] = [];
  for (const dns of names.dns) {
    if (!DNS_NAME.test(dns) || dns.length > 253) errors.push(`"${dns}" is not a DNS name: use letters, digits, hyphens and dots, like app.example.com.`);
  }
  for (const email of names.email) {
    if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(email) || email.split('@').length !== 2) errors.push(`"${email}" is not an email address like team@example.com.`);
  }
  return errors;
}

/**
 * Alternative names as a person types them in one box: separated by commas, semicolons, spaces or
 * line breaks; entries with an "@" are email addresses, the rest DNS names; blanks and repeats dropped.
 */
export function parseAltNames(text: string): AltNames {
  const entries = [...new Set(text.split(/[\s,;]+/).filter((entry) => entry !== ''))];
  return { dns: entries.filter((e) => !e.includes('@')), email: entries.filter((e) => e.includes('@')) };
}
