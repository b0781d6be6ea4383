import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type * as pkijs from 'pkijs';
import { readCertificate } from '../lib/chain.ts';
import { certificatesInFiles } from '../lib/certificateFiles.ts';
import { findAppId } from '../lib/certificateSummary.ts';
import { completeCsr, type CompleteError, type CompleteRequest } from '../lib/complete.ts';
import { appIdFromFileName, fileNames } from '../lib/fileNames.ts';
import { writePkcs12 } from '../lib/pkcs12/index.ts';
import type { Placement } from '../lib/plain/subject.ts';
import { safeJson } from '../lib/escape.ts';
import { inputMistake, pkcs12Choice, readInput, sayClientSteps, writeOutputs, type Output } from './commandIo.ts';
import { say } from './output.ts';
import { readSecret } from './secret.ts';
import { EXIT, UsageError } from './usage.ts';

const PLACEMENTS = ['cn', 'oid', 'none'];

/** `appcert complete`: the Complete screen — the key saved with a CSR joined with what the CA sent back. */
export async function complete(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      key: { type: 'string' },
      'key-password': { type: 'string' },
      cert: { type: 'string', multiple: true },
      'app-id': { type: 'string' },
      placement: { type: 'string' },
      out: { type: 'string' },
      'p12-password': { type: 'string' },
      'p12-profile': { type: 'string' },
      for: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.key) throw new UsageError('--key is required: the key file saved when the CSR was made.');
  if (!values.cert || values.cert.length === 0)
    throw new UsageError('--cert is required: the certificate the CA signed (and its chain: repeat --cert, any order, PEM, DER or .p7b).');
  if (!values.out) throw new UsageError('--out is required: the folder to write the certificate and chain to.');
  if (values.placement !== undefined && !PLACEMENTS.includes(values.placement))
    throw new UsageError(`--placement must be cn, oid or none, not "${values.placement}".`);
  const { client, pkcs12 } = await pkcs12Choice(values);

  const certificateFiles = [];
  for (const path of values.cert) certificateFiles.push({ name: path, contents: await readInput('--cert', path) });
  // The app: as given, else from appcert's key file name (app-<uuid>.key), else from the certificates.
  const read = certificatesInFiles(certificateFiles);
  if (!read.ok) throw inputMistake(read, '--cert');
  const carried =
    read.value
      .map((der) => readCertificate(der))
      .filter((c): c is pkijs.Certificate => c !== null)
      .map((c) => findAppId(c).appId)
      .find((id) => id !== null) ?? null;
  const appId = values['app-id'] ?? appIdFromFileName(basename(values.key)) ?? carried;
  if (appId === null)
    throw new UsageError('--app-id is required: neither the key file name nor the certificates tell which DSM app this is for.');
  // Without --placement: wherever the CA kept the UUID, or nowhere when no certificate carries one.
  const placement: CompleteRequest['placement'] = (values.placement as Placement | undefined) ?? (carried === null ? 'none' : 'either');

  const keyText = new TextDecoder().decode(await readInput('--key', values.key));
  const completed = await completeCsr({
    keyText,
    password: (await readSecret('--key-password', values['key-password'])) ?? '',
    certificateFiles,
    appId,
    placement,
  });
  if (!completed.ok) {
    const option: Record<CompleteError, string> = {
      'wrong-password': '--key-password',
      'no-key': '--key',
      'not-a-key': '--key',
      'unsupported-key': '--key',
      'unsupported-encryption': '--key',
      'empty-uuid': '--app-id',
      'malformed-uuid': '--app-id',
      'too-much-work': '--cert',
      'no-certificates': '--cert',
      'not-a-certificate': '--cert',
      'no-leaf': '--cert',
      'several-leaves': '--cert',
      'key-mismatch': '--cert',
      'uuid-missing': '--cert',
      'uuid-mismatch': '--cert',
    };
    throw inputMistake(completed, option[completed.code]);
  }
  const identity = completed.value;
  const names = fileNames(identity.appId);
  const outputs: Output[] = [
    { kind: 'certificate', name: names.certificate, data: identity.certificatePem, secret: false },
    { kind: 'chain', name: names.chain, data: identity.chainPem, secret: false },
  ];
  if (pkcs12) {
    const written = await writePkcs12({
      privateKey: identity.privateKey,
      certificates: identity.chain.certificates,
      ...pkcs12,
      friendlyName: `app-${identity.appId}`,
    });
    if (!written.ok) {
      console.error(`appcert complete: ${written.message}`);
      return EXIT.failed;
    }
    outputs.push({ kind: 'pkcs12', name: names.pkcs12, data: written.value, secret: true });
  }
  const files = await writeOutputs(values.out, outputs);

  const leaf = identity.summaries[0];
  if (values.json) {
    console.log(
      safeJson(
        {
          appId: identity.appId,
          foundIn: identity.foundIn,
          subject: leaf.subject,
          issuer: leaf.issuer,
          notBefore: leaf.notBefore.toISOString(),
          notAfter: leaf.notAfter.toISOString(),
          serialNumber: leaf.serialHex,
          chain: identity.summaries.map((s) => s.subject),
          pkcs12Profile: pkcs12?.profile ?? null,
          client: client ? { id: client.id, recommended: client.recommended, reason: client.reason } : null,
          notes: identity.notes.map((note) => note.message),
          files,
        },
        2,
      ),
    );
    return EXIT.ok;
  }
  for (const note of identity.notes) say(`Note: ${note.message}`);
  say(
    `Completed the certificate of app ${identity.appId} ✓ (the key matches; UUID ${identity.foundIn ? `in the ${identity.foundIn === 'cn' ? 'CN' : 'OID attribute'}` : 'not in the certificate: log in with -u <uuid>:'})`,
  );
  say(`  subject: ${leaf.subject}`);
  say(`  chain, leaf first: ${identity.summaries.map((s) => s.subject).join(' ← ')}`);
  say(`  The certificate is at "${files.certificate}", with its chain at "${files.chain}".`);
  if (files.pkcs12) say(`  The PKCS#12 file (${pkcs12?.profile} profile, key and chain) is at "${files.pkcs12}".`);
  say(`  It will expire on ${leaf.notAfter.toISOString().slice(0, 10)}. DSM sends no reminder: renew it before then (appcert renew).`);
  if (client) sayClientSteps(client, names);
  return EXIT.ok;
}
