import { isTooMuchWork, WorkBudget } from '../budget';
import type { Bytes } from '../plain/bytes';
import { OID } from '../plain/oids';
import { findLeaf } from './chainOrder';
import { locateAppId, type LocatedAppId } from './appId';
import { action, MESSAGES, problem, warning } from './findings';
import { toBase64 } from '../pem';
import { certificatesFromPkcs12 } from './pkcs12Input';
import { inspectCertificate, inspectCsr, type CertificateFacts, type SignedObjectFacts } from './inspect';
import { formatName } from '../name/decode';
import { daysLeft, judgeCertificate, judgeFacts, type Signer } from './rules';
import { applyExpected } from './expected';
import { LARGE_INPUT_BYTES } from './limits';
import { sniff } from './sniff';
import { emptyReport, finish, refuseLargeFile, refuseTooMuchWork, sizeText, type FileReport } from './fileReport';

export interface VerifyOptions {
  /** The app UUID the admin expects, as typed; empty or missing means "any". */
  expected?: string | null;
  /** For PKCS#12 files; without it the empty password is tried. */
  password?: string | null;
  now?: Date;
  crypto?: Crypto;
  /** The file's work budget (budget.ts); a fresh one when omitted. Tests pass one to count the work. */
  budget?: WorkBudget;
}

/** Fills the subject, UUID and key facts shared by certificates and CSRs. */
function describeFacts(report: FileReport, facts: SignedObjectFacts, located: LocatedAppId): void {
  report.appId = located.appId;
  report.appIdLocation = located.location;
  report.appIdElsewhere = located.elsewhere;
  report.subject = formatName(facts.subject);
  report.subjectAttributes = facts.subject.map((a, i) => ({ ...a, isAppId: located.attributes.includes(i) }));
  report.key = facts.key;
  report.signatureAlgorithm = facts.signatureAlgorithm.name;
  report.signatureValid = facts.signatureValid;
  report.extendedKeyUsage = facts.extendedKeyUsage;
  report.clientAuth = facts.extendedKeyUsage === null ? null : facts.extendedKeyUsage.includes(OID.clientAuth);
  report.ca = facts.ca;
  report.sha256 = facts.sha256;
}

/** Judges the leaf of one or more certificates (a chain in any order) and reports the chain. */
async function judgeCertificates(report: FileReport, ders: Bytes[], now: Date, crypto: Crypto, budget: WorkBudget): Promise<void> {
  report.kind = 'certificate';
  const parsed: CertificateFacts[] = [];
  // Each inspection checks at most one signature (a self-issued certificate's own).
  const inspecting = () => budget.spend('signatures', 1, () => 'more signature checks than that');
  for (const der of ders) {
    inspecting();
    const facts = await inspectCertificate(der, crypto);
    if (facts) parsed.push(facts);
  }
  if (parsed.length < ders.length) {
    report.problems.push(
      problem(
        'not-a-certificate',
        `${ders.length - parsed.length} of the ${ders.length} certificate blocks could not be read as X.509 certificates: the file is damaged. Ask the app team to send it again.`,
      ),
    );
  }
  if (parsed.length === 0) {
    report.kind = 'unknown';
    return;
  }

  const found = findLeaf(parsed, budget);
  if (found.issuer) inspecting();
  const leaf = found.issuer
    ? ((await inspectCertificate(parsed[found.index].der, crypto, found.issuer.certificate)) ?? parsed[found.index])
    : parsed[found.index];
  const located = locateAppId(leaf.subject, leaf.issuer, leaf.appIdExtension, leaf.altNames);
  const signer: Signer =
    leaf.signedBy === 'self'
      ? { kind: 'self' }
      : leaf.signedBy === 'issuer'
        ? { kind: 'issuer', name: formatName(leaf.issuer) }
        : { kind: 'absent', name: formatName(leaf.issuer), selfIssued: leaf.selfIssued };
  const judged = judgeCertificate(leaf, located, signer, now);
  describeFacts(report, leaf, located);
  report.problems.push(...judged.problems);
  report.warnings.push(...judged.warnings, ...found.warnings);
  report.issuer = formatName(leaf.issuer);
  report.notBefore = leaf.notBefore?.toISOString() ?? null;
  report.notAfter = leaf.notAfter?.toISOString() ?? null;
  report.daysLeft = leaf.notAfter ? daysLeft(leaf.notAfter, now) : null;
  report.selfSigned = leaf.selfSigned;
  report.serialNumber = leaf.serialNumber;
  report.chainDer = found.ordered.map(toBase64);
  report.chain = {
    order: found.order,
    leafIndex: found.index,
    certificates: parsed.map((f) => ({ subject: formatName(f.subject), issuer: formatName(f.issuer), sha256: f.sha256, ca: f.ca })),
  };
}

async function judgeCsr(report: FileReport, der: Bytes, crypto: Crypto, budget: WorkBudget): Promise<void> {
  budget.spend('signatures', 1, () => 'more signature checks than that');
  const facts = await inspectCsr(der, crypto);
  if (!facts) {
    report.problems.push(
      problem(
        'not-a-certificate',
        'The certificate request (CSR) could not be read: the file is damaged. Ask the app team to send it again.',
      ),
    );
    return;
  }
  report.kind = 'csr';
  const located = locateAppId(facts.subject, null, facts.appIdExtension, facts.altNames);
  const judged = judgeFacts(facts, located, { kind: 'self' }, 'csr');
  describeFacts(report, facts, located);
  report.problems.push(...judged.problems);
  report.warnings.push(...judged.warnings);
  report.actions.push(action('csr-needs-signing', 'app-team', MESSAGES.csrNeedsSigning));
}

async function verifyContents(
  report: FileReport,
  bytes: Bytes,
  options: VerifyOptions,
  now: Date,
  crypto: Crypto,
  budget: WorkBudget,
): Promise<void> {
  const sniffed = sniff(bytes, budget);
  if (!sniffed.ok) {
    report.problems.push(problem('not-a-certificate', sniffed.message));
    return;
  }
  const found = sniffed.value;
  report.format = found.format;
  if (found.privateKeys > 0) report.problems.push(problem('private-key', MESSAGES.privateKey));
  if (found.certificates.length > 0) return judgeCertificates(report, found.certificates, now, crypto, budget);
  if (found.pkcs12) {
    const certificates = await certificatesFromPkcs12(report, found.pkcs12, options.password, crypto, budget);
    if (certificates) {
      await judgeCertificates(report, certificates, now, crypto, budget);
      report.kind = 'pkcs12';
    }
    return;
  }
  if (found.csrs.length > 0) return judgeCsr(report, found.csrs[0], crypto, budget);
  // Labels once each, a few at most: a file may hold thousands of blocks.
  const labels = [...new Set(found.others)];
  const named =
    labels
      .slice(0, 5)
      .map((label) => `a "${label}" block`)
      .join(', ') + (labels.length > 5 ? ', …' : '');
  const what = found.privateKeys > 0 ? 'only a private key' : `only ${named}`;
  report.problems.push(
    problem(
      'not-a-certificate',
      `This file holds ${what}, no certificate. Ask the app team for the certificate file (-----BEGIN CERTIFICATE-----).`,
    ),
  );
}

/**
 * The verdict on one file. Never throws: anything unreadable is `not-a-certificate`, a file that
 * asks for more work than its budget is `too-much-work` (the budget's `TooMuchWork` ends up here).
 */
export async function verifyFile(file: string, bytes: Bytes, options: VerifyOptions = {}): Promise<FileReport> {
  const refused = refuseLargeFile(file, bytes.length);
  if (refused) return refused;
  const report = emptyReport(file, bytes.length);
  const now = options.now ?? new Date();
  const crypto = options.crypto ?? globalThis.crypto;
  const budget = options.budget ?? new WorkBudget();
  if (bytes.length > LARGE_INPUT_BYTES) report.warnings.push(warning('large-file', MESSAGES.largeFile(sizeText(bytes.length))));
  try {
    await verifyContents(report, bytes, options, now, crypto, budget);
  } catch (error) {
    if (isTooMuchWork(error)) return applyExpected(refuseTooMuchWork(file, bytes.length, error.what), options.expected);
    report.kind = 'unknown';
    report.problems.push(
      problem(
        'not-a-certificate',
        `The file could not be read (${error instanceof Error ? error.message : String(error)}). It is damaged or not a certificate; ask the app team to send it again.`,
      ),
    );
  }
  return applyExpected(finish(report), options.expected);
}
