import { failure, success, type Result } from '../lib/plain/result';

/**
 * What appcert needs from the browser and cannot do without: WebCrypto (`crypto.subtle`), which
 * browsers give only to secure pages (https://, or http://localhost). Served over plain http://
 * from another host, every key operation would otherwise fail with a bare TypeError.
 */
export function browserSupport(): Result<void, 'insecure-context' | 'no-webcrypto'> {
  if (!globalThis.isSecureContext) {
    return failure(
      'insecure-context',
      `This page was opened over plain http:// (${location.host}), so the browser withholds WebCrypto and offline storage from it: appcert cannot make or open keys here. Open it over https://, or from http://localhost on this computer.`,
    );
  }
  if (!globalThis.crypto?.subtle) {
    return failure(
      'no-webcrypto',
      'This browser has no WebCrypto (crypto.subtle), so appcert cannot make or open keys. Use a current Firefox, Chrome, Edge or Safari.',
    );
  }
  return success(undefined);
}
