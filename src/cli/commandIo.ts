import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bytes } from '../lib/plain/bytes.ts';
import type { Client } from '../lib/clients.ts';
import type { CreatedIdentity } from '../lib/create.ts';
import { fileNames } from '../lib/fileNames.ts';
import { writePkcs12, type P12Profile } from '../lib/pkcs12/index.ts';
import { success, type Result } from '../lib/plain/result.ts';
import { writeNewFiles } from './output.ts';
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

/** `--p12-password` / `--p12-profile`, checked the way `generate` checks them. */
export async function pkcs12Choice(values: { 'p12-password'?: string; 'p12-profile'?: string }): Promise<Pkcs12Choice | null> {
  const profile = values['p12-profile'] ?? 'modern';
  if (profile !== 'modern' && profile !== 'legacy') throw new UsageError(`--p12-profile must be modern or legacy, not "${profile}".`);
  const p12Password = await readSecret('--p12-password', values['p12-password']);
  if (p12Password === undefined) {
    if (values['p12-profile'] !== undefined)
      throw new UsageError('--p12-profile needs --p12-password: the password that protects the PKCS#12 file.');
    return null;
  }
  if (p12Password === '') throw new UsageError('--p12-password must not be empty: many clients refuse a PKCS#12 file without a password.');
  return { password: p12Password, profile };
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
