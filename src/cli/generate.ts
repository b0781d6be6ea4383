import { parseArgs } from 'node:util';
import type { Client } from '../lib/clients.ts';
import { createIdentity, type CreateField, type CreateProblem, type CreateRequest } from '../lib/create.ts';
import { safeJson, terminalText } from '../lib/escape.ts';
import { NO_ALT_NAMES } from '../lib/extensions.ts';
import { DEFAULT_KEY_TYPE, isKeyType, KEY_TYPES } from '../lib/plain/keys.ts';
import { fileNames } from '../lib/fileNames.ts';
import { EMPTY_SUBJECT, parseSubjectLine, SUBJECT_FIELD_ORDER, type Placement, type SubjectField } from '../lib/plain/subject.ts';
import { identityJson, identityOutputs, inputMistake, pkcs12Choice, sayClientSteps, writeOutputs, type Pkcs12Choice } from './commandIo.ts';
import { readSecret } from './secret.ts';
import { EXIT, UsageError } from './usage.ts';

const PLACEMENTS: Placement[] = ['cn', 'oid', 'none'];

/** The option to fix for each field of the request (the subject fields come from --subject; alternative names are not asked for). */
const OPTION_OF_FIELD: Record<CreateField, string> = {
  appId: '--app-id',
  ...(Object.fromEntries(SUBJECT_FIELD_ORDER.map((field) => [field, '--subject'])) as Record<SubjectField, string>),
  days: '--days',
  altNames: '--subject',
  keyPassword: '--key-password',
};

async function requestFrom(
  args: string[],
): Promise<{ request: CreateRequest; out: string; json: boolean; pkcs12: Pkcs12Choice | null; client: Client | null }> {
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
      'p12-password': { type: 'string' },
      'p12-profile': { type: 'string' },
      for: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values['app-id']) throw new UsageError("--app-id is required: the UUID from the top of your app's page in DSM.");
  if (!values.out) throw new UsageError('--out is required: the folder to write the files to.');
  const placement = values.placement as Placement;
  if (!PLACEMENTS.includes(placement))
    throw new UsageError(`--placement must be cn, oid or none, not "${terminalText(values.placement)}".`);
  if (!isKeyType(values.key))
    throw new UsageError(`--key must be one of ${Object.keys(KEY_TYPES).join(', ')}, not "${terminalText(values.key)}".`);
  if (!/^\d+$/.test(values.days)) throw new UsageError(`--days must be a whole number of days, not "${terminalText(values.days)}".`);
  // Read in the order of the help, so that `stdin` given to both gives the key's password first.
  const keyPassword = (await readSecret('--key-password', values['key-password'])) ?? null;
  if (values['p12-password'] !== undefined && values.csr) {
    throw new UsageError(
      '--p12-password cannot be used with --csr: a PKCS#12 file needs the signed certificate. Send the CSR to your CA, then complete it with the signed certificate (the "Complete a CSR" screen) and export the PKCS#12 there.',
    );
  }
  const { client, pkcs12 } = await pkcs12Choice(values, !values.csr);
  let subject = EMPTY_SUBJECT;
  if (values.subject !== undefined) {
    const parsed = parseSubjectLine(values.subject);
    if (!parsed.ok) throw inputMistake(parsed, '--subject');
    subject = parsed.value;
    // The core would replace this CN with the UUID; a script should hear about it, not lose it.
    if (placement === 'cn' && subject.commonName.trim() !== '') {
      throw new UsageError(
        '--subject: with --placement cn the CN is the app UUID, so leave CN= out; or use --placement oid to keep your CN and put the UUID in the OID attribute.',
      );
    }
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
    keyPassword,
  };
  return {
    request,
    out: values.out,
    json: values.json,
    pkcs12,
    client,
  };
}

/** `appcert generate`: a key pair and a self-signed certificate or CSR, written to --out. */
export async function generate(args: string[]): Promise<number> {
  const { request, out, json, pkcs12, client } = await requestFrom(args);
  const outcome = await createIdentity(request);
  if (!outcome.ok) {
    // The form's wording for an empty password speaks of a download choice the CLI makes by leaving the flag out.
    const message = (p: CreateProblem) =>
      p.code === 'key-password-empty' ? 'must not be empty: leave --key-password out to write the key unencrypted.' : p.message;
    throw new UsageError(outcome.problems.map((p) => `${OPTION_OF_FIELD[p.field]}: ${message(p)} [${p.code}]`).join('\n'));
  }
  const identity = outcome.value;
  const outputs = await identityOutputs(identity, pkcs12);
  if (!outputs.ok) {
    console.error(`appcert generate: ${outputs.message}`);
    return EXIT.failed;
  }
  // A key whose certificate is already registered in DSM must not vanish by a rerun, nor be
  // written through a link planted at its name: all files or none, each created new.
  const files = await writeOutputs(out, outputs.value);

  if (json) {
    console.log(safeJson(identityJson(identity, pkcs12, files, client), 2));
    return EXIT.ok;
  }
  // What the user typed (--out, --subject) is shown, never obeyed, by the terminal.
  const path = (kind: string) => terminalText(files[kind]);
  const subject = terminalText(identity.subjectLine);
  for (const note of identity.notes) console.log(`Note: ${terminalText(note)}`);
  if (identity.certificate) {
    const { notAfter } = identity.certificate;
    console.log(`Created a self-signed certificate for app ${identity.appId} ✓`);
    console.log(`  subject: ${subject}`);
    console.log(`  The certificate is at "${path('certificate')}" and the key at "${path('privateKey')}".`);
    if (files.pkcs12) console.log(`  The PKCS#12 file (${pkcs12?.profile} profile, key and certificate) is at "${path('pkcs12')}".`);
    console.log(`  It will expire on ${notAfter.toISOString().slice(0, 10)}. DSM sends no reminder: renew it before then.`);
    console.log(`\nUpload the certificate to the app in DSM, then log in with:\n${identity.authCommand}`);
  } else {
    console.log(`Created a certificate signing request for app ${identity.appId} ✓`);
    console.log(`  subject: ${subject}`);
    console.log(`  The CSR is at "${path('csr')}" and the key at "${path('privateKey')}". Send the CSR to your CA; keep the key.`);
  }
  if (client) sayClientSteps(client, fileNames(identity.appId));
  if (request.keyPassword === null)
    console.error('\nWarning: the private key is not encrypted. Keep it readable by its owner only, or use --key-password.');
  return EXIT.ok;
}
