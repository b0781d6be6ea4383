import { OID } from '../plain/oids';
import type { LocatedAppId } from './appId';
import { EXPIRES_SOON_DAYS, MESSAGES, MIN_RSA_BITS, problem, warning, type Problem, type Warning } from './findings';
import type { CertificateFacts, SignedObjectFacts } from './inspect';
import { escapeBytes, type NameAttribute } from '../name/decode';
import { DAY_MS } from '../plain/validity';

/** The rules that turn a certificate's or CSR's facts into problems and warnings. */

export interface RuleFindings {
  problems: Problem[];
  warnings: Warning[];
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Whole days from `now` until `notAfter`; negative once expired. */
export const daysLeft = (notAfter: Date, now: Date): number => Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);

const EKU_NAMES: Record<string, string> = { [OID.clientAuth]: 'clientAuth', [OID.serverAuth]: 'serverAuth' };

/**
 * Whose key checks the signature: its own (CSR, self-signed certificate), an issuer in the same
 * file (named), or nobody here (the issuer is not in the file; `selfIssued` when the certificate
 * names itself as issuer but its own key did not sign it).
 */
export type Signer = { kind: 'self' } | { kind: 'issuer'; name: string } | { kind: 'absent'; name: string; selfIssued: boolean };

/** Problems for name attributes whose bytes are not valid for their string type. */
function stringProblems(attributes: NameAttribute[]): Problem[] {
  return attributes
    .filter((a) => a.encoding === 'invalid')
    .map((a) => problem('bad-string-encoding', MESSAGES.badStringEncoding(a.shortName, a.stringType, a.value)));
}

/** The signature rules: weak and unknown algorithms always, then what the check (if any) found. */
function judgeSignature(facts: SignedObjectFacts, signer: Signer, kind: 'certificate' | 'csr', judged: RuleFindings): void {
  const algorithm = facts.signatureAlgorithm;
  if (algorithm.weak)
    judged.problems.push(
      problem(
        'weak-signature',
        MESSAGES.weakSignature(algorithm.name, algorithm.hash ?? 'unknown hash'),
        `signed with ${algorithm.hash ?? 'a broken hash'}`,
      ),
    );
  if (!algorithm.known) judged.warnings.push(warning('unknown-signature-algorithm', MESSAGES.unknownSignatureAlgorithm(algorithm.oid)));
  if (signer.kind === 'absent') {
    judged.warnings.push(
      warning('issuer-not-in-file', signer.selfIssued ? MESSAGES.selfIssuedOtherKey(signer.name) : MESSAGES.issuerNotInFile(signer.name)),
    );
    return;
  }
  if (facts.signatureValid === false) {
    const message =
      kind === 'csr'
        ? MESSAGES.badCsrSignature
        : signer.kind === 'issuer'
          ? MESSAGES.badIssuerSignature(signer.name)
          : MESSAGES.badSignature;
    judged.problems.push(problem('bad-signature', message));
  }
  if (facts.signatureValid === null && algorithm.known) {
    judged.warnings.push(
      warning(
        'signature-not-checked',
        MESSAGES.signatureNotChecked(algorithm.name, facts.signatureNotChecked ?? 'it could not be checked here'),
      ),
    );
  }
}

/** Rules for both certificates and CSRs. */
export function judgeFacts(facts: SignedObjectFacts, located: LocatedAppId, signer: Signer, kind: 'certificate' | 'csr'): RuleFindings {
  const judged: RuleFindings = { problems: [...located.problems, ...stringProblems(facts.subject)], warnings: [...located.warnings] };
  const { problems, warnings } = judged;
  if (facts.key.algorithm === 'RSA' && facts.key.bits !== null && facts.key.bits < MIN_RSA_BITS)
    problems.push(problem('weak-key', MESSAGES.weakKey(facts.key.bits), `RSA key of only ${facts.key.bits} bits`));
  judgeSignature(facts, signer, kind, judged);

  const eku = facts.extendedKeyUsage;
  if (eku !== null && !eku.includes(OID.clientAuth) && !eku.includes(OID.anyExtendedKeyUsage)) {
    warnings.push(
      warning('missing-client-auth', MESSAGES.missingClientAuth(eku.map((oid) => EKU_NAMES[oid] ?? oid).join(', ') || 'empty')),
    );
  }
  // One rule for CA:TRUE, whatever else is wrong with the subject: a CA is a certificate whose key
  // may sign certificates (keyUsage keyCertSign, which RFC 5280 section 4.2.1.3 requires of a CA
  // that signs certificates). OpenSSL's `req -x509` writes CA:TRUE without a key usage by default, so
  // an app's self-signed certificate made with its defaults (like the sample in Fortanix's guide) is
  // an end certificate that merely says CA:TRUE: `leaf-has-ca-true`, never "upload the app's own".
  if (facts.ca)
    warnings.push(facts.keyCertSign ? warning('ca-certificate', MESSAGES.caCertificate) : warning('leaf-has-ca-true', MESSAGES.leafCaTrue));
  return judged;
}

/** Adds the validity rules for a certificate; a time that is not valid is `bad-time` and never judged. */
export function judgeCertificate(facts: CertificateFacts, located: LocatedAppId, signer: Signer, now: Date): RuleFindings {
  const judged = judgeFacts(facts, located, signer, 'certificate');
  if (!facts.selfIssued) judged.problems.push(...stringProblems(facts.issuer));
  for (const field of ['notBefore', 'notAfter'] as const) {
    const time = facts.times[field];
    if (!time.strict)
      judged.problems.push(
        problem(
          'bad-time',
          MESSAGES.badTime(
            field,
            time.type === 'other' ? 'UTCTime or GeneralizedTime' : time.type,
            escapeBytes(Uint8Array.from(time.text, (c) => c.charCodeAt(0))),
            time.date !== null,
          ),
        ),
      );
  }
  const { notBefore, notAfter } = facts;
  if (!facts.times.notBefore.strict || !facts.times.notAfter.strict || !notBefore || !notAfter) return judged;
  const left = daysLeft(notAfter, now);
  if (now.getTime() > notAfter.getTime()) {
    const ago = Math.max(1, -left);
    judged.problems.push(problem('expired', MESSAGES.expired(day(notAfter), ago), `expired ${ago} day${ago === 1 ? '' : 's'} ago`));
  } else if (now.getTime() < notBefore.getTime()) {
    judged.problems.push(problem('not-yet-valid', MESSAGES.notYetValid(day(notBefore)), `not valid until ${day(notBefore)}`));
  } else if (left < EXPIRES_SOON_DAYS) {
    judged.warnings.push(
      warning('expires-soon', MESSAGES.expiresSoon(day(notAfter), left), `expires in ${left} day${left === 1 ? '' : 's'}`),
    );
  }
  return judged;
}
