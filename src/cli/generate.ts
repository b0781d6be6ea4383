import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createIdentity, type CreateRequest } from '../lib/create.ts';
import { NO_ALT_NAMES } from '../lib/extensions.ts';
import { DEFAULT_KEY_TYPE, isKeyType, KEY_TYPES } from '../lib/keys.ts';
import { EMPTY_SUBJECT, parseSubjectLine, type Placement } from '../lib/subject.ts';
import { EXIT, UsageError } from './usage.ts';

const PLACEMENTS: Placement[] = ['cn', 'oid', 'none'];

function requestFrom(args: string[]): { request: CreateRequest; out: string; json: boolean } {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'app-id': { type: 'string' },
      placement: { type: 'string', default: 'oid' },
      key: { type: 'string', default: DEFAULT_KEY_TYPE },
      csr: { type: 'boolean', default: false },
      days: { type: 'string', default: '365' },
      subject: { type: 'string' },
      'key-password': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values['app-id']) throw new UsageError('--app-id is required: the UUID from the top of your app\'s page in DSM.');
  if (!values.out) throw new UsageError('--out is required: the folder to write the files to.');
  const placement = values.placement as Placement;
  if (!PLACEMENTS.includes(placement)) throw new UsageError(`--placement must be cn, oid or none, not "${values.placement}".`);
  if (!isKeyType(values.key)) throw new UsageError(`--key must be one of ${Object.keys(KEY_TYPES).join(', ')}, not "${values.key}".`);
  if (!/^\d+$/.test(values.days)) throw new UsageError(`--days must be a whole number of days, not "${values.days}".`);
  let subject = EMPTY_SUBJECT;
  if (values.subject !== undefined) {
    const parsed = parseSubjectLine(values.subject);
    if ('error' in parsed) throw new UsageError(`--subject: ${parsed.error}`);
    subject = parsed.fields;
  }
  const request: CreateRequest = {
    appId: values['app-id'],
    placement,
    oidStringType: 'UTF8String',
    subject,
    keyType: values.key,
    mode: values.csr ? 'csr' : 'self-signed',
    days: Number(values.days),
    altNames: NO_ALT_NAMES,
    keyPassword: values['key-password'] ?? null,
  };
  return { request, out: values.out, json: values.json };
}

/** `appcert generate`: a key pair and a self-signed certificate or CSR, written to --out. */
export async function generate(args: string[]): Promise<number> {
  const { request, out, json } = requestFrom(args);
  const outcome = await createIdentity(request);
  if (!outcome.ok) {
    const flag: Record<string, string> = { appId: '--app-id', days: '--days', keyPassword: '--key-password' };
    throw new UsageError(outcome.errors.map((e) => `${flag[e.field] ?? '--subject'}: ${e.message}`).join('\n'));
  }
  const identity = outcome.value;
  await mkdir(out, { recursive: true });
  const files: Record<string, string> = {};
  for (const file of identity.files) {
    const path = join(out, file.name);
    await writeFile(path, file.text, { mode: file.kind === 'privateKey' ? 0o600 : 0o644 });
    if (file.kind === 'privateKey') await chmod(path, 0o600);
    files[file.kind] = path;
  }

  if (json) {
    console.log(JSON.stringify({
      appId: identity.appId,
      placement: request.placement,
      keyType: request.keyType,
      kind: request.mode,
      subject: identity.subjectLine,
      notBefore: identity.certificate?.notBefore.toISOString() ?? null,
      notAfter: identity.certificate?.notAfter.toISOString() ?? null,
      serialNumber: identity.certificate?.serialHex ?? null,
      keyEncrypted: request.keyPassword !== null,
      files,
    }, null, 2));
    return EXIT.ok;
  }
  for (const note of identity.notes) console.log(`Note: ${note}`);
  if (identity.certificate) {
    const { notAfter } = identity.certificate;
    console.log(`Created a self-signed certificate for app ${identity.appId} ✓`);
    console.log(`  subject: ${identity.subjectLine}`);
    console.log(`  The certificate is at "${files.certificate}" and the key at "${files.privateKey}".`);
    console.log(`  It will expire on ${notAfter.toISOString().slice(0, 10)}. DSM sends no reminder: renew it before then.`);
    console.log(`\nUpload the certificate to the app in DSM, then log in with:\n${identity.authCommand}`);
  } else {
    console.log(`Created a certificate signing request for app ${identity.appId} ✓`);
    console.log(`  subject: ${identity.subjectLine}`);
    console.log(`  The CSR is at "${files.csr}" and the key at "${files.privateKey}". Send the CSR to your CA; keep the key.`);
  }
  if (request.keyPassword === null) console.error('\nWarning: the private key is not encrypted. Keep it readable by its owner only, or use --key-password.');
  return EXIT.ok;
}
