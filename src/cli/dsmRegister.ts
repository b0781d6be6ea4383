import { parseArgs } from 'node:util';
import { dsmRegistration, parseSubjectGeneral, subjectGeneralText, TOKEN_VARIABLE, type DsmRegisterError } from '../lib/dsmRegister.ts';
import { safeJson } from '../lib/escape.ts';
import { inputMistake, readInput } from './commandIo.ts';
import { say } from './output.ts';
import { readSecret } from './secret.ts';
import { EXIT, UsageError } from './usage.ts';

/** `appcert dsm-register`: the DSM admin's request that registers a certificate with its app. */
export async function dsmRegister(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      cert: { type: 'string' },
      password: { type: 'string' },
      'app-id': { type: 'string' },
      'trusted-ca': { type: 'string' },
      'subject-general': { type: 'string' },
      endpoint: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.cert)
    throw new UsageError('--cert is required: the client certificate (PEM, DER, a chain, or a .p12 with --password) to register.');
  const general = values['subject-general'] === undefined ? undefined : parseSubjectGeneral(values['subject-general']);
  if (general && !general.ok) throw inputMistake(general, '--subject-general');
  if (general && !values['trusted-ca'])
    throw new UsageError('--subject-general matches an alternative name with the Trusted CA method: give --trusted-ca too.');
  const registration = await dsmRegistration({
    certificate: {
      name: values.cert,
      bytes: await readInput('--cert', values.cert),
      password: (await readSecret('--password', values.password)) ?? '',
    },
    appId: values['app-id'],
    trustedCa: values['trusted-ca']
      ? { name: values['trusted-ca'], bytes: await readInput('--trusted-ca', values['trusted-ca']) }
      : undefined,
    subjectGeneral: general?.value,
    endpoint: values.endpoint,
  });
  if (!registration.ok) {
    // The files are fine as files but do not belong together: a verdict, not a usage mistake.
    if (registration.code === 'not-issued-by-ca') {
      console.error(`appcert dsm-register: ${registration.message} [${registration.code}]`);
      return EXIT.failed;
    }
    const option: Record<Exclude<DsmRegisterError, 'not-issued-by-ca'>, string> = {
      'app-id-needed': '--app-id',
      'app-id-mismatch': '--app-id',
      'malformed-uuid': '--app-id',
      'empty-uuid': '--app-id',
      'bad-endpoint': '--endpoint',
      'ca-not-a-certificate': '--trusted-ca',
      'several-cas': '--trusted-ca',
      'not-pkcs12': '--cert',
      'wrong-password': '--cert',
      'unsupported-encryption': '--cert',
      'key-mismatch': '--cert',
      'too-much-work': '--cert',
      'no-certificate': '--cert',
      'no-certificates': '--cert',
      'not-a-certificate': '--cert',
      'no-leaf': '--cert',
      'several-leaves': '--cert',
      'bad-subject-general': '--subject-general',
      'subject-general-needs-ca': '--subject-general',
      'subject-general-not-in-certificate': '--subject-general',
    };
    throw inputMistake(registration, option[registration.code]);
  }
  const { request, method, appId, screenSteps, renewal, notes } = registration.value;
  if (values.json) {
    console.log(safeJson(request, 2));
    return EXIT.ok;
  }
  for (const note of notes) say(`Note: ${note}`);
  const trusted = 'trustedca' in request.body.credential ? request.body.credential.trustedca : null;
  const matched =
    trusted && 'subject_general' in trusted ? `this alternative name, ${subjectGeneralText(trusted.subject_general)}` : 'this subject';
  const how =
    method === 'certificate' ? 'pin this certificate ("Certificate" method)' : `trust its CA for ${matched} ("Trusted CA" method)`;
  say(`Register it with app ${appId} to ${how}. As an admin, with a DSM bearer token in $${TOKEN_VARIABLE}:\n`);
  say(request.curl);
  say("\nOr on DSM's screens:");
  screenSteps.forEach((step, i) => say(`  ${i + 1}. ${step}`));
  if (trusted && 'subject' in trusted) {
    say('  Subject:');
    for (const [name, value] of trusted.subject) say(`    ${name} = ${JSON.stringify(value)}`);
  }
  say('\nRenewing it later:');
  for (const line of renewal) say(`  ${line}`);
  return EXIT.ok;
}
