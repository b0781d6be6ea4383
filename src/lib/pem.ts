import type { Bytes } from './plain/bytes';
import { failure, success, type Result } from './plain/result';

export type PemLabel =
  | 'CERTIFICATE'
  | 'CERTIFICATE REQUEST'
  | 'NEW CERTIFICATE REQUEST'
  | 'PRIVATE KEY'
  | 'ENCRYPTED PRIVATE KEY'
  | 'RSA PRIVATE KEY'
  | 'EC PRIVATE KEY'
  | 'PUBLIC KEY'
  | (string & {});

export interface PemBlock {
  label: PemLabel;
  der: Bytes;
}

export type PemError = 'no-pem' | 'truncated-pem' | 'bad-base64';

/** Standard base64 of bytes, without line breaks. Chunked so large inputs do not overflow the stack. */
export function toBase64(bytes: Bytes): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Bytes of a base64 text, or null when it is not base64 (white space is ignored). */
export function fromBase64(text: string): Bytes | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return null;
  const binary = atob(compact);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** RFC 7468 text: the label's BEGIN/END lines around base64 wrapped at 64 columns. */
export function toPem(der: Bytes, label: PemLabel): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** True when the text has at least one PEM BEGIN line (so it should be read as PEM, not DER). */
export const looksLikePem = (text: string): boolean => /-----BEGIN [A-Z0-9 ]+-----/.test(text);

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)(?:-----END ([A-Z0-9 ]+)-----|$)/g;

/**
 * Every PEM block in a text, in order. Text around the blocks (OpenSSL's "Bag Attributes",
 * `openssl x509 -text` output) is ignored, as OpenSSL itself does.
 */
export function parsePem(text: string): Result<PemBlock[], PemError> {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, label, body, endLabel] = match;
    if (endLabel === undefined) {
      return failure('truncated-pem', `The "${label}" block has no END line: the file was cut short. Copy or download it again in full.`);
    }
    if (endLabel !== label) {
      return failure(
        'truncated-pem',
        `The "${label}" block ends with an END line for "${endLabel}": the text was cut or pasted together. Copy it again in full.`,
      );
    }
    const headerless = body.replace(/^[A-Za-z-]+:.*$/gm, '');
    const der = fromBase64(headerless);
    if (der === null || der.length === 0) {
      return failure(
        'bad-base64',
        `The "${label}" block is not valid base64 (a character was changed or lines are missing). Copy it again in full.`,
      );
    }
    blocks.push({ label, der });
  }
  if (blocks.length === 0) {
    return failure('no-pem', 'No "-----BEGIN ...-----" block was found: this is not PEM text.');
  }
  return success(blocks);
}
