import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { renewalAdvice } from '../lib/dsmRegister.ts';
import { isKeyType, KEY_TYPES } from '../lib/plain/keys.ts';
import { appIdFromFileName, fileNames } from '../lib/fileNames.ts';
import { keyFromFile, readExisting, renewIdentity, type RenewError } from '../lib/renew.ts';
import { safeJson } from '../lib/escape.ts';
import {
  daysOption,
  identityJson,
  identityOutputs,
  inputMistake,
  pkcs12Choice,
  readInput,
  sayClientSteps,
  writeOutputs,
} from './commandIo.ts';
import { say } from './output.ts';
import { readSecret } from './secret.ts';
import { EXIT, UsageError } from './usage.ts';

/** `appcert renew`: the successor of a certificate, same subject, placement, names, key type and validity. */
export async function renew(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      from: { type: 'string' },
      password: { type: 'string' },
      'key-file': { type: 'string' },
      'key-file-password': { type: 'string' },
      'reuse-key': { type: 'boolean', default: false },
      csr: { type: 'boolean', default: false },
      days: { type: 'string' },
      key: { type: 'string' },
      'key-password': { type: 'string' },
      'p12-password': { type: 'string' },
      'p12-profile': { type: 'string' },
      for: { type: 'string' },
      'app-id': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.from) throw new UsageError('--from is required: the certificate (or .p12) the app logs in with today.');
  if (!values.out) throw new UsageError('--out is required: the folder to write the renewed files to.');
  if (values['key-file'] && values['reuse-key'])
    throw new UsageError(
      '--key-file and --reuse-key both say where the current key is: give one (--reuse-key takes it from the --from .p12).',
    );
  if (values['key-file-password'] !== undefined && !values['key-file']) throw new UsageError('--key-file-password needs --key-file.');
  if (values.key !== undefined && !isKeyType(values.key))
    throw new UsageError(`--key must be one of ${Object.keys(KEY_TYPES).join(', ')}, not "${values.key}".`);
  const keyType = values.key !== undefined && isKeyType(values.key) ? values.key : undefined;
  if (keyType && (values['key-file'] || values['reuse-key']))
    throw new UsageError('--key chooses the type of a new key: leave it out when keeping the current key (--key-file, --reuse-key).');
  const days = daysOption(values.days);
  const { client, pkcs12 } = await pkcs12Choice(values, !values.csr);
  if (pkcs12 && values.csr)
    throw new UsageError(
      '--p12-password cannot be used with --csr: a PKCS#12 file needs the signed certificate. Complete the CSR with the signed certificate first (appcert complete).',
    );
  const keyPassword = (await readSecret('--key-password', values['key-password'])) ?? null;
  if (keyPassword === '') throw new UsageError('--key-password must not be empty: leave --key-password out to write the key unencrypted.');

  const existing = await readExisting({
    name: values.from,
    bytes: await readInput('--from', values.from),
    password: (await readSecret('--password', values.password)) ?? '',
  });
  if (!existing.ok) throw inputMistake(existing, '--from');
  let keyPair: CryptoKeyPair | undefined;
  if (values['reuse-key']) {
    if (!existing.value.keyPair)
      throw new UsageError(
        '--reuse-key takes the key from the --from .p12, and there is none: give the key with --key-file, or leave both out for a new key.',
      );
    keyPair = existing.value.keyPair;
  } else if (values['key-file']) {
    const keyText = new TextDecoder().decode(await readInput('--key-file', values['key-file']));
    const key = await keyFromFile(existing.value, keyText, (await readSecret('--key-file-password', values['key-file-password'])) ?? '');
    if (!key.ok) throw inputMistake(key, '--key-file');
    keyPair = key.value;
  }
  // A certificate without the UUID (it is sent as the basic-auth user): appcert's own file name tells it.
  const appId = values['app-id'] ?? (existing.value.appId === null ? (appIdFromFileName(basename(values.from)) ?? undefined) : undefined);
  const renewed = await renewIdentity(existing.value, {
    mode: values.csr ? 'csr' : 'self-signed',
    keyType,
    days,
    keyPassword,
    appId,
    keyPair,
  });
  if (!renewed.ok) {
    const option: Record<RenewError, string> = {
      'app-id-needed': '--app-id',
      'app-id-mismatch': '--app-id',
      'malformed-uuid': '--app-id',
      'empty-uuid': '--app-id',
      'key-type-needed': '--key',
      'key-type-mismatch': '--key',
      'unsupported-alt-names': '--from',
      'invalid-request': '--from',
    };
    throw inputMistake(renewed, option[renewed.code]);
  }
  const { identity, renewedFrom, keptKey } = renewed.value;

  const outputs = await identityOutputs(identity, pkcs12);
  if (!outputs.ok) {
    console.error(`appcert renew: ${outputs.message}`);
    return EXIT.failed;
  }
  const files = await writeOutputs(values.out, outputs.value);

  if (values.json) {
    console.log(safeJson({ ...identityJson(identity, pkcs12, files, client), renewedFrom }, 2));
    return EXIT.ok;
  }
  const old = existing.value;
  for (const note of [...old.notes, ...identity.notes]) say(`Note: ${note}`);
  say(`Renewed the certificate of app ${identity.appId} ✓`);
  say(`  from: serial ${old.serialNumber}, expires ${renewedFrom.notAfter.slice(0, 10)}, SHA-256 ${old.sha256}`);
  say(`  subject (kept byte for byte): ${identity.subjectLine}`);
  say(`  key: ${keptKey ? 'the current key, kept' : `a new ${KEY_TYPES[identity.request.keyType].label} key`}`);
  if (identity.certificate) {
    say(`  The certificate is at "${files.certificate}" and the key at "${files.privateKey}".`);
    if (files.pkcs12) say(`  The PKCS#12 file (${pkcs12?.profile} profile) is at "${files.pkcs12}".`);
    say(`  It will expire on ${identity.certificate.notAfter.toISOString().slice(0, 10)}.`);
    say(`\nA self-signed certificate is pinned in DSM ("Certificate" method):`);
    for (const line of renewalAdvice('certificate')) say(`  ${line}`);
    say(`\nThe admin's request: appcert dsm-register --cert "${files.certificate}"`);
  } else {
    say(
      `  The CSR is at "${files.csr}" and the key at "${files.privateKey}". Send the CSR to the CA that signed the current certificate; keep the key.`,
    );
    say(`  When the CA answers: appcert complete --key "${files.privateKey}" --cert <signed certificate> --out <folder>`);
    say(`\nIf the app uses DSM's "Trusted CA" method:`);
    for (const line of renewalAdvice('trusted-ca')) say(`  ${line}`);
    say(
      `If it pins its certificate ("Certificate" method), the admin must register the signed one: appcert dsm-register --cert <signed certificate>`,
    );
  }
  if (identity.request.keyPassword === null)
    console.error('\nWarning: the private key is not encrypted. Keep it readable by its owner only, or use --key-password.');
  if (client) sayClientSteps(client, fileNames(identity.appId));
  return EXIT.ok;
}
