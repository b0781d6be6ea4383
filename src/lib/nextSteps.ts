import { endpointHost } from './endpoint';
import { shellWord } from './escape';
import type { Placement } from './plain/subject';
import type { AppId } from './plain/uuid';

/** Where the mutual-TLS endpoint goes when the user has not named theirs. */
export const ENDPOINT_PLACEHOLDER = '<your-dsm-mtls-endpoint>';

export interface AuthCommandOptions {
  appId: AppId;
  placement: Placement;
  certificateFile: string;
  keyFile: string;
  /** Host name of the cluster's mutual-TLS endpoint (Fortanix's mutual-TLS guide, section 2.1). */
  endpoint?: string;
  /** curl then needs the key's password. */
  keyEncrypted: boolean;
}

/**
 * The login of Fortanix's mutual-TLS guide, section 4.0, for this certificate. With the UUID in the subject DSM reads it
 * from there; without it, the UUID is the basic-auth user (empty password: the certificate is the proof).
 * The guide's `-k` is left out on purpose: verify the endpoint with its CA (`--cacert`) instead.
 * Every word that comes from input is quoted for a POSIX shell: a key picked as `app-<uuid> (1).key`
 * works when pasted, and a name such as `k$(touch x).key` stays a name.
 */
export function authCommand(options: AuthCommandOptions): string {
  const host = endpointHost(options.endpoint);
  // The placeholder stays as it is, for the reader to replace.
  const url = host ? shellWord(`https://${host}/sys/v1/session/auth`) : `https://${ENDPOINT_PLACEHOLDER}/sys/v1/session/auth`;
  const parts = [`curl ${url} -X POST`, `--cert ${shellWord(options.certificateFile)}`, `--key ${shellWord(options.keyFile)}`];
  if (options.keyEncrypted) parts.push(`--pass '<key password>'`);
  if (options.placement === 'none') parts.push(`-u ${shellWord(`${options.appId}:`)}`);
  return parts.join(' \\\n  ');
}

/** How to register the certificate with the app in DSM (Fortanix's mutual-TLS guide, section 3.7). */
export const UPLOAD_STEPS: readonly string[] = [
  'In DSM, open Apps and select your app.',
  'Click "Change the authentication method", choose Certificate and click SAVE.',
  'In the Add certificate dialog, click UPLOAD NEW CERTIFICATE and choose the certificate file (or paste its PEM text).',
  'Tick both confirmation boxes and click UPDATE.',
];
