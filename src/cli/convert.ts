import { parseArgs } from 'node:util';
import { encryptedKeyPem, openPkcs12 } from '../lib/convert.ts';
import { convertedFileNames } from '../lib/fileNames.ts';
import { writePkcs12 } from '../lib/pkcs12/index.ts';
import { safeJson } from '../lib/escape.ts';
import { clientOption, inputMistake, readInput, writeOutputs, type Output } from './commandIo.ts';
import { say } from './output.ts';
import { readSecret } from './secret.ts';
import { EXIT, UsageError } from './usage.ts';

const TARGETS = ['modern', 'legacy', 'pem'] as const;

/** `appcert convert`: the Convert screen — a PKCS#12 file again in the other profile, or as PEM files. */
export async function convert(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      in: { type: 'string' },
      password: { type: 'string' },
      to: { type: 'string' },
      for: { type: 'string' },
      'new-password': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.in) throw new UsageError('--in is required: the .p12 or .pfx file to convert.');
  if (!values.out) throw new UsageError('--out is required: the folder to write the converted files to.');
  // --for picks what the client table gives that client; --to (the screen's "Advanced") overrides it.
  const client = clientOption(values.for);
  if (client && !client.recommended && values.to === undefined)
    throw new UsageError(`--for ${client.id}: ${client.reason} Choose the file yourself with --to modern, legacy or pem.`);
  const to = (values.to ?? client?.recommended) as (typeof TARGETS)[number];
  if (!TARGETS.includes(to)) throw new UsageError(`--to must be modern, legacy or pem, not "${values.to ?? ''}" (or give --for <client>).`);
  const oldPassword = (await readSecret('--password', values.password)) ?? '';
  const newPassword = (await readSecret('--new-password', values['new-password'])) ?? oldPassword;
  if (newPassword === '') {
    throw new UsageError(
      `--new-password is required: the ${to === 'pem' ? 'key file' : 'PKCS#12 file'} must not be written unprotected (the file opened without a password).`,
    );
  }

  const opened = await openPkcs12(await readInput('--in', values.in), oldPassword);
  if (!opened.ok) throw inputMistake(opened, opened.code === 'wrong-password' ? '--password' : '--in');
  const p12 = opened.value;
  const names = convertedFileNames(p12.appId, values.in);
  const outputs: Output[] = [];
  if (to === 'pem') {
    const key = await encryptedKeyPem(p12.privateKey, newPassword);
    if (!key.ok) throw inputMistake(key, '--new-password');
    outputs.push(
      { kind: 'certificate', name: names.certificate, data: p12.certificatePem, secret: false },
      { kind: 'chain', name: names.chain, data: p12.chainPem, secret: false },
      { kind: 'privateKey', name: names.privateKey, data: key.value, secret: true },
    );
  } else {
    const written = await writePkcs12({
      privateKey: p12.privateKey,
      certificates: p12.certificates,
      password: newPassword,
      profile: to,
      friendlyName: p12.friendlyName ?? undefined,
    });
    if (!written.ok) {
      console.error(`appcert convert: ${written.message}`);
      return EXIT.failed;
    }
    outputs.push({ kind: 'pkcs12', name: names.pkcs12, data: written.value, secret: true });
  }
  const files = await writeOutputs(values.out, outputs);

  const leaf = p12.summaries[0];
  if (values.json) {
    console.log(
      safeJson(
        {
          appId: p12.appId,
          from: { legacy: p12.legacy, algorithms: p12.algorithms, friendlyName: p12.friendlyName },
          to,
          subject: leaf.subject,
          notAfter: leaf.notAfter.toISOString(),
          certificates: p12.certificates.length,
          notes: p12.notes.map((note) => note.message),
          files,
        },
        2,
      ),
    );
    return EXIT.ok;
  }
  for (const note of p12.notes) say(`Note: ${note.message}`);
  say(
    `Opened ${values.in} (${p12.legacy ? 'legacy' : 'modern'} encryption: ${p12.algorithms.keyBag ?? 'no key bag encryption'}; MAC ${p12.algorithms.mac}) ✓`,
  );
  say(`  subject: ${leaf.subject}${p12.appId ? ` (app ${p12.appId})` : ''}`);
  for (const [kind, path] of Object.entries(files)) say(`  ${kind}: "${path}"`);
  return EXIT.ok;
}
