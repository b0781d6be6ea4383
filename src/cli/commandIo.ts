import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bytes } from '../lib/plain/bytes.ts';
import { clientSteps } from '../lib/clientSteps.ts';
import { clientFor, type Client } from '../lib/clients.ts';
import type { CreatedIdentity } from '../lib/create.ts';
import { fileNames } from '../lib/fileNames.ts';
import { writePkcs12, type P12Profile } from '../lib/pkcs12/index.ts';
import { success, type Result } from '../lib/plain/result.ts';
import { say, writeNewFiles } from './output.ts';
import { readSecret } from './secret.ts';
import { UsageError } from './usage.ts';

/**
 * What the lifecycle commands (renew, dsm-register, complete, convert) share: reading an input
 * file, the PKCS#12 options, writing outputs without overwriting anything, and generate's JSON.
 */

/** A file named by an option, as bytes; a path that cannot be read is a usage mistake (exit 2). */
export async function readInput(option: string, path: string): Promise<Bytes> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? String(error));
    throw new UsageError(`${option}: cannot read "${path}" (${reason}). Check the name and that it is a file.`);
  }
}

export interface Output {
  /** The key of the `files` map in `--json` (certificate, privateKey, pkcs12...). */
  kind: string;
  name: string;
  data: string | Uint8Array;
  /** Keys and PKCS#12 files: readable by their owner only. */
  secret: boolean;
}

/** Writes every output into `out`, all or none and never over anything (see writeNewFiles); returns the `files` map of `--json`. */
export async function writeOutputs(out: string, outputs: Output[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const output of outputs) files[output.kind] = join(out, output.name);
  await writeNewFiles(outputs.map((output) => ({ path: files[output.kind], data: output.data, secret: output.secret })));
  return files;
}

export interface Pkcs12Choice {
  password: string;
  profile: P12Profile;
}

/** `--for <client>`: that client's row of the compatibility table, or null without the option. */
export function clientOption(id: string | undefined): Client | null {
  if (id === undefined) return null;
  const found = clientFor(id);
  if (!found.ok) throw new UsageError(`--for: ${found.message}`);
  return found.value;
}

/**
 * `--for`, `--p12-password` and `--p12-profile`: the PKCS#12 file to write, if any. `--for` picks the
 * profile the client table gives that client; `--p12-profile` (the screens' "Advanced") overrides it.
 * `makesCertificate` is false for a CSR, which has no PKCS#12 to write yet.
 */
export async function pkcs12Choice(
  values: { for?: string; 'p12-password'?: string; 'p12-profile'?: string },
  makesCertificate = true,
): Promise<{ client: Client | null; pkcs12: Pkcs12Choice | null }> {
  const client = clientOption(values.for);
  const picked = client?.recommended === 'modern' || client?.recommended === 'legacy' ? client.recommended : undefined;
  const profile = values['p12-profile'] ?? picked ?? 'modern';
  if (profile !== 'modern' && profile !== 'legacy') throw new UsageError(`--p12-profile must be modern or legacy, not "${profile}".`);
  const password = await readSecret('--p12-password', values['p12-password']);
  if (password === undefined) {
    if (values['p12-profile'] !== undefined)
      throw new UsageError('--p12-profile needs --p12-password: the password that protects the PKCS#12 file.');
    if (client && picked && makesCertificate)
      throw new UsageError(`--for ${client.id} means a PKCS#12 file in the ${picked} profile: add --p12-password <pw>. (${client.reason})`);
    return { client, pkcs12: null };
  }
  if (password === '') throw new UsageError('--p12-password must not be empty: many clients refuse a PKCS#12 file without a password.');
  return { client, pkcs12: { password, profile } };
}

/** A whole number of days, 1 or more (the core checks the upper bound). */
export function daysOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--days must be a whole number of days, not "${value}".`);
  return Number(value);
}

/** What `generate --json` prints about an identity (renew adds `renewedFrom`). */
export function identityJson(
  identity: CreatedIdentity,
  pkcs12: Pkcs12Choice | null,
  files: Record<string, string>,
  client: Client | null = null,
) {
  const { request, certificate } = identity;
  return {
    appId: identity.appId,
    placement: request.placement,
    keyType: request.keyType,
    kind: request.mode,
    subject: identity.subjectLine,
    notBefore: certificate?.notBefore.toISOString() ?? null,
    notAfter: certificate?.notAfter.toISOString() ?? null,
    serialNumber: certificate?.serialHex ?? null,
    keyEncrypted: request.keyPassword !== null,
    pkcs12Profile: pkcs12?.profile ?? null,
    client: client ? { id: client.id, recommended: client.recommended, reason: client.reason } : null,
    files,
  };
}

/** A failed core step whose cause is the input the user gave: message and stable code, exit 2. */
export const inputMistake = (failed: { code: string; message: string }, option?: string): UsageError =>
  new UsageError(`${option ? `${option}: ` : ''}${failed.message} [${failed.code}]`);

/** What a made identity writes: its PEM files and, when asked, its PKCS#12 (checked by reopening it). */
export async function identityOutputs(identity: CreatedIdentity, pkcs12: Pkcs12Choice | null): Promise<Result<Output[]>> {
  const outputs: Output[] = identity.files.map((file) => ({
    kind: file.kind,
    name: file.name,
    data: file.text,
    secret: file.kind === 'privateKey',
  }));
  if (pkcs12 && identity.certificate) {
    const written = await writePkcs12({
      privateKey: identity.keyPair.privateKey,
      certificates: [identity.certificate.der],
      ...pkcs12,
      friendlyName: `app-${identity.appId}`,
    });
    if (!written.ok) return written;
    outputs.push({ kind: 'pkcs12', name: fileNames(identity.appId).pkcs12, data: written.value, secret: true });
  }
  return success(outputs);
}

/** What appcert gives `--for <client>` and why, then how to use it from that client (as the web app shows it). */
export function sayClientSteps(client: Client, files: { pkcs12: string; certificate: string; privateKey: string }): void {
  const gives =
    client.recommended === 'pem'
      ? 'the PEM certificate and key'
      : client.recommended
        ? `a PKCS#12 file in the ${client.recommended} profile`
        : 'no file in particular';
  say(`\nFor ${client.name} appcert recommends ${gives}: ${client.reason}`);
  const { steps, code } = clientSteps(client, files);
  steps.forEach((step, i) => say(`  ${i + 1}. ${step}`));
  if (code) say(code.replace(/^/gm, '     '));
}
