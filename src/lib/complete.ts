import * as pkijs from 'pkijs';
import { isTooMuchWork, WorkBudget } from './budget';
import { certificatesInFiles, type CertificateFileError, type InputFile } from './certificateFiles';
import { findAppId, summarizeCertificate, validityNotes, type CertificateSummary, type FoundAppId } from './certificateSummary';
import { chainNotes, chainPem, orderChain, readCertificate, type ChainError, type OrderedChain } from './chain';
import { importPrivateKey, readPrivateKeyFile, UNSUPPORTED_KEY, type KeyFileError } from './keyFile';
import { matchKey } from './keyMatch';
import { OID } from './plain/oids';
import { toPem } from './pem';
import { tooMuchWork } from './privateKey';
import { warning, type Note } from './plain/note';
import { failure, success, type Result } from './plain/result';
import type { Placement } from './plain/subject';
import { parseAppId, type AppId, type AppIdError } from './plain/uuid';

/**
 * The CSR round trip: the key saved when the CSR was made, joined with the certificate the CA
 * signed from it (and the CA's chain), checked, ordered and ready to export.
 */

export interface CompleteRequest {
  /** The text of the key file saved when the CSR was made. */
  keyText: string;
  /** Its password ('' for an unencrypted key). */
  password: string;
  /** The CA's answer: one PEM with several blocks, several files, DER or PKCS#7, in any order. */
  certificateFiles: InputFile[];
  /** The app UUID the CSR was made for. */
  appId: string;
  /** Where the CSR put it; 'either' accepts CN or OID. With 'none' the client sends it as the basic-auth user. */
  placement: Placement | 'either';
}

export interface CompletedIdentity {
  appId: AppId;
  /** Where the certificate carries the app UUID; null when it does not (placement 'none'). */
  foundIn: 'cn' | 'oid' | null;
  /** The private key (extractable, for PKCS#12 export), kept in memory only. */
  privateKey: CryptoKey;
  chain: OrderedChain;
  /** One summary per chain certificate, leaf first. */
  summaries: CertificateSummary[];
  certificatePem: string;
  chainPem: string;
  /** Things to know: chain order fixed (info), missing links and expiry (warnings). */
  notes: Note[];
}

export type CompleteError =
  KeyFileError | AppIdError | CertificateFileError | ChainError | 'key-mismatch' | 'uuid-missing' | 'uuid-mismatch';

const PLACE_NAMES = {
  cn: 'the subject CN',
  oid: `the OID ${OID.dsmAppId} attribute`,
  either: `the subject CN or the OID ${OID.dsmAppId} attribute`,
} as const;

/** Checks that the leaf carries the expected UUID where the CSR put it. */
function checkAppId(
  expected: AppId,
  found: FoundAppId,
  placement: CompleteRequest['placement'],
): Result<'cn' | 'oid' | null, 'uuid-missing' | 'uuid-mismatch'> {
  const { located, appId, foundIn } = found;
  if (located.location === 'conflict')
    return failure('uuid-mismatch', `${located.problems[0].message} Choose the certificate signed for app ${expected}.`);
  if (appId !== null && appId !== expected) {
    return failure(
      'uuid-mismatch',
      `This certificate is for app ${appId} (in ${PLACE_NAMES[foundIn ?? 'either']}), not ${expected}. Check the app UUID, or choose the certificate signed for this app.`,
    );
  }
  if (placement === 'none') return success(foundIn);
  const kept = placement === 'either' ? appId !== null : located.location === placement || located.location === 'both';
  if (!kept) {
    const cn = found.cn === null ? 'the certificate has no CN' : `its CN is "${found.cn}"`;
    const damaged = located.location === 'malformed' ? ` ${located.problems[0].message}` : '';
    return failure(
      'uuid-missing',
      `The CA did not keep the app UUID in ${PLACE_NAMES[placement]} (${cn}).${damaged} DSM cannot tell which app this certificate is for. Ask the CA to keep the subject as requested, or log in with the UUID as the basic-auth user (curl -u ${expected}:).`,
    );
  }
  return success(foundIn);
}

export interface CompleteDeps {
  crypto?: Crypto;
  now?: Date;
  /** The work budget of this completion (budget.ts); a fresh one when omitted. */
  budget?: WorkBudget;
}

/**
 * The round trip: decrypt the key, read the certificates, match, check the UUID, order the chain.
 * All of it shares one work budget (`deps.budget`): files that ask for too much are `too-much-work`.
 */
export async function completeCsr(request: CompleteRequest, deps: CompleteDeps = {}): Promise<Result<CompletedIdentity, CompleteError>> {
  try {
    return await complete(request, deps, deps.budget ?? new WorkBudget());
  } catch (error) {
    if (isTooMuchWork(error)) return tooMuchWork(error.what);
    throw error;
  }
}

async function complete(
  request: CompleteRequest,
  deps: CompleteDeps,
  budget: WorkBudget,
): Promise<Result<CompletedIdentity, CompleteError>> {
  const crypto = deps.crypto ?? globalThis.crypto;
  const appId = parseAppId(request.appId);
  if (!appId.ok) return appId;
  const certificates = certificatesInFiles(request.certificateFiles, budget);
  if (!certificates.ok) return certificates;
  const pkcs8 = await readPrivateKeyFile(request.keyText, request.password, crypto, budget);
  if (!pkcs8.ok) return pkcs8;

  try {
    const { index: leaf, verdict } = await matchKey(pkcs8.value, certificates.value, crypto, budget);
    if (leaf < 0 && verdict === 'unknown') return UNSUPPORTED_KEY;
    if (leaf < 0) {
      const which = certificates.value.length === 1 ? 'this certificate' : `any of these ${certificates.value.length} certificates`;
      return failure(
        'key-mismatch',
        `The private key does not belong to ${which}. Each CSR has its own key: choose the key file saved with the CSR the CA signed, or the certificate the CA issued for this key.`,
      );
    }
    const chain = orderChain(certificates.value, leaf, budget);
    if (!chain.ok) return chain;
    const parsed = chain.value.certificates.map((der) => readCertificate(der) as pkijs.Certificate);
    const foundIn = checkAppId(appId.value.appId, findAppId(parsed[0]), request.placement);
    if (!foundIn.ok) return foundIn;
    const privateKey = await importPrivateKey(pkcs8.value, crypto);
    if (!privateKey.ok) return privateKey;

    const summaries = parsed.map(summarizeCertificate);
    return success({
      appId: appId.value.appId,
      foundIn: foundIn.value,
      privateKey: privateKey.value,
      chain: chain.value,
      summaries,
      certificatePem: toPem(chain.value.certificates[0], 'CERTIFICATE'),
      chainPem: chainPem(chain.value.certificates),
      notes: [...validityNotes(summaries[0], deps.now ?? new Date()).map(warning), ...chainNotes(chain.value)],
    });
  } finally {
    pkcs8.value.fill(0);
  }
}
