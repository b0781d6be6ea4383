import type { WorkBudget } from '../budget';
import type { Bytes } from '../plain/bytes';
import { readPkcs12 } from '../pkcs12';
import { action, MESSAGES, problem, warning } from './findings';
import type { FileReport } from './fileReport';

/** A PKCS#12 input: opened with the PKCS#12 reader, its findings added to the report. */

/** Opens a PKCS#12 file; returns its certificates, or null after reporting why it could not be read. */
export async function certificatesFromPkcs12(
  report: FileReport,
  der: Bytes,
  password: string | null | undefined,
  crypto: Crypto,
  budget?: WorkBudget,
): Promise<Bytes[] | null> {
  report.kind = 'pkcs12';
  const read = await readPkcs12(der, password ?? '', crypto, budget);
  if (!read.ok) {
    if (read.code === 'wrong-password') {
      report.actions.push(
        password
          ? action('wrong-password', 'admin', MESSAGES.wrongPassword(read.message))
          : action('password-required', 'admin', MESSAGES.passwordRequired),
      );
    } else if (read.code === 'not-pkcs12') {
      report.kind = 'unknown';
      report.problems.push(problem('not-a-certificate', read.message));
    } else {
      report.problems.push(problem(read.code, read.message));
    }
    return null;
  }
  const contents = read.value;
  // Windows and Java end a BMPString friendlyName with a NUL character; it is not part of the name.
  const friendlyName = contents.friendlyName?.replace(/\0+$/, '') ?? null;
  report.pkcs12 = { legacy: contents.legacy, friendlyName, hasPrivateKey: contents.pkcs8 !== null };
  if (contents.algorithms.mac === 'none') report.warnings.push(warning('p12-no-mac', MESSAGES.p12NoMac));
  if (contents.legacy) report.warnings.push(warning('legacy-p12-encryption', MESSAGES.legacyP12));
  if (contents.pkcs8 !== null) report.problems.push(problem('private-key', MESSAGES.privateKey));
  if (contents.keyMatch === 'unknown') report.warnings.push(warning('key-match-unchecked', MESSAGES.keyMatchUnchecked));
  contents.pkcs8?.fill(0);
  if (contents.certificates.length === 0) {
    report.problems.push(
      problem('not-a-certificate', 'The PKCS#12 file holds no certificate. Ask the app team for the certificate file itself.'),
    );
    return null;
  }
  return contents.certificates;
}
