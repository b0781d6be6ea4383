import { OID } from '../oids';
import type { LocatedAppId } from './appId';
import { EXPIRES_SOON_DAYS, MESSAGES, MIN_RSA_BITS, problem, warning, type Problem, type Warning } from './findings';
import type { CertificateFacts, Facts } from './inspect';

/** The rules that turn a certificate's or CSR's facts into problems and warnings. */

export interface Judged {
  problems: Problem[];
  warnings: Warning[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const day = (date: Date) => date.toISOString().slice(0, 10);

/** Whole days from `now` until `notAfter`; negative once expired. */
export const daysLeft = (notAfter: Date, now: Date): number => Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);

const EKU_NAMES: Record<string, string> = { [OID.clientAuth]: 'clientAuth', [OID.serverAuth]: 'serverAuth' };

/** Rules for both certificates and CSRs. `signerKnown`: whether the signature could be checked at all. */
export function judgeFacts(facts: Facts, located: LocatedAppId, signerKnown: boolean, kind: 'certificate' | 'csr'): Judged {
  const problems = [...located.problems];
  const warnings = [...located.warnings];
  if (facts.key.algorithm === 'RSA' && facts.key.bits !== null && facts.key.bits < MIN_RSA_BITS) problems.push(problem('weak-key', MESSAGES.weakKey(facts.key.bits)));
  if (facts.signatureAlgorithm.weak) problems.push(problem('weak-signature', MESSAGES.weakSignature(facts.signatureAlgorithm.name)));
  if (facts.signatureValid === false) problems.push(problem('bad-signature', kind === 'csr' ? MESSAGES.badCsrSignature : MESSAGES.badSignature));
  if (signerKnown && facts.signatureValid === null) warnings.push(warning('signature-not-checked', MESSAGES.signatureNotChecked(facts.signatureAlgorithm.name)));

  const eku = facts.extendedKeyUsage;
  if (eku !== null && !eku.includes(OID.clientAuth) && !eku.includes(OID.anyExtendedKeyUsage)) {
    warnings.push(warning('missing-client-auth', MESSAGES.missingClientAuth(eku.map((oid) => EKU_NAMES[oid] ?? oid).join(', ') || 'empty')));
  }
  if (facts.ca) {
    const looksLikeClient = located.location !== 'none' || eku?.includes(OID.clientAuth) === true;
    warnings.push(looksLikeClient ? warning('leaf-has-ca-true', MESSAGES.leafCaTrue) : warning('ca-certificate', MESSAGES.caCertificate));
  }
  if (kind === 'csr') warnings.push(warning('csr-needs-signing', MESSAGES.csrNeedsSigning));
  return { problems, warnings };
}

/** Adds the validity rules for a certificate. */
export function judgeCertificate(facts: CertificateFacts, located: LocatedAppId, signerKnown: boolean, now: Date): Judged {
  const judged = judgeFacts(facts, located, signerKnown, 'certificate');
  const left = daysLeft(facts.notAfter, now);
  if (now.getTime() > facts.notAfter.getTime()) {
    judged.problems.push(problem('expired', MESSAGES.expired(day(facts.notAfter), Math.max(1, -left))));
  } else if (now.getTime() < facts.notBefore.getTime()) {
    judged.problems.push(problem('not-yet-valid', MESSAGES.notYetValid(day(facts.notBefore))));
  } else if (left < EXPIRES_SOON_DAYS) {
    judged.warnings.push(warning('expires-soon', MESSAGES.expiresSoon(day(facts.notAfter), left)));
  }
  return judged;
}
