import type { Bytes } from './bytes';
import * as pkijs from 'pkijs';
import { isTooMuchWork, WorkBudget } from './budget';
import { toHex } from './bytes';
import { certificatesInFiles, type InputFile } from './certificateFiles';
import { isPkcs8 } from './der';
import { scanDer } from './derScan';
import { describeName, orderChain, readCertificate, type OrderedChain } from './chain';
import { matchKey } from './keyMatch';
import { OID } from './oids';
import { parsePem, toPem } from './pem';
import { decryptPkcs8, importPkcs8, pkcs8KeyType, tooMuchWork } from './privateKey';
import { failure, success, type Result } from './result';
import type { Placement } from './subject';
import { parseAppId, type AppId } from './uuid';
import { locateAppId, type LocatedAppId } from './verify/appId';
import { decodeName } from './verify/names';

/**
 * The CSR round trip: the key saved when the CSR was made, joined with the certificate the CA
 * signed from it (and the CA's chain), checked, ordered and ready to export.
 */

export type KeyFileError = 'no-key' | 'not-a-key' | 'wrong-password' | 'unsupported-encryption' | 'unsupported-key' | 'too-much-work';

/**
 * The unencrypted PKCS#8 bytes of a key file: appcert's encrypted PEM (with its password) or plain
 * PKCS#8 PEM. Its work (DER elements, PBKDF2 iterations) is charged to `budget`.
 */
export async function readPrivateKeyFile(text: string, password: string, crypto: Crypto = globalThis.crypto, budget: WorkBudget = new WorkBudget()): Promise<Result<Bytes, KeyFileError>> {
  const blocks = parsePem(text);
  if (!blocks.ok) {
    return failure('no-key', 'This is not a PEM private key file. Choose the .key file saved when the CSR was made (it starts with "-----BEGIN ENCRYPTED PRIVATE KEY-----").');
  }
  const block = blocks.value.find((b) => /PRIVATE KEY$/.test(b.label));
  if (!block) {
    return failure('no-key', `This file holds a "${blocks.value[0].label}" block, not a private key. Choose the .key file saved when the CSR was made.`);
  }
  if (block.label === 'RSA PRIVATE KEY' || block.label === 'EC PRIVATE KEY') {
    return failure('unsupported-key', `This is an old-style "${block.label}" file. Convert it to PKCS#8 first: openssl pkcs8 -topk8 -in old.key -out new.key`);
  }
  if (block.label === 'PRIVATE KEY') {
    try {
      scanDer(block.der, budget);
    } catch (error) {
      if (isTooMuchWork(error)) return tooMuchWork(error.what);
      throw error;
    }
    return isPkcs8(block.der)
      ? success(block.der)
      : failure('not-a-key', 'The "PRIVATE KEY" block is damaged: its contents are not a PKCS#8 key. Use the key file exactly as it was saved.');
  }
  if (password === '') {
    return failure('wrong-password', 'This key file is encrypted: enter the password chosen when the CSR was made.');
  }
  return decryptPkcs8(block.der, password, crypto, budget);
}

const UNSUPPORTED_KEY = failure('unsupported-key', 'This key is of a kind appcert does not handle (it supports RSA 2048/3072/4096 and ECDSA P-256/P-384).');

/** The CryptoKey of a PKCS#8 key of a kind appcert writes PKCS#12 files for (extractable, kept in memory only). */
export async function importPrivateKey(pkcs8: Bytes, crypto: Crypto = globalThis.crypto): Promise<Result<CryptoKey, 'unsupported-key'>> {
  const type = pkcs8KeyType(pkcs8);
  if (type === null) return UNSUPPORTED_KEY;
  return success(await importPkcs8(pkcs8, type, crypto));
}

/** The app UUID a certificate carries, read by the Verify rules; with both, CN wins (as DSM reads it). */
export interface FoundAppId {
  located: LocatedAppId;
  appId: AppId | null;
  foundIn: 'cn' | 'oid' | null;
  /** The subject CN, for messages when the UUID is not there. */
  cn: string | null;
}

export function findAppId(certificate: pkijs.Certificate): FoundAppId {
  const subject = decodeName(certificate.subject);
  const located = locateAppId(subject, null, false);
  const foundIn = located.location === 'cn' || located.location === 'both' ? 'cn' : located.location === 'oid' ? 'oid' : null;
  return { located, appId: located.appId as AppId | null, foundIn, cn: subject.find((a) => a.oid === OID.commonName)?.value ?? null };
}

/** What people need to see about one certificate of the chain. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  serialHex: string;
  selfSigned: boolean;
}

export function summarizeCertificate(certificate: pkijs.Certificate): CertificateSummary {
  return {
    subject: describeName(certificate.subject),
    issuer: describeName(certificate.issuer),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    serialHex: toHex(new Uint8Array(certificate.serialNumber.valueBlock.valueHexView)),
    selfSigned: certificate.subject.isEqual(certificate.issuer),
  };
}

/** Notes on how a chain was given, for the user to know (not errors: the chain is fixed up). */
export function chainNotes(chain: OrderedChain, unrelatedKept = false): string[] {
  const notes: string[] = [];
  if (chain.certificates.length > 1 && chain.givenOrder !== 'leaf-first') {
    notes.push(`The certificates were given ${chain.givenOrder === 'reversed' ? 'root first' : 'out of order'}; they are now ordered leaf first, then each issuer, as TLS clients send them.`);
  }
  if (chain.missingIssuer !== null && chain.certificates.length > 1) {
    notes.push(`The chain stops at a certificate issued by "${chain.missingIssuer}", which was not given. That is fine if DSM trusts that CA; otherwise add its certificate.`);
  }
  if (chain.unrelated.length > 0) {
    notes.push(`${chain.unrelated.length} certificate(s) given are not part of this certificate's chain and ${unrelatedKept ? 'are kept after it' : 'were left out'}.`);
  }
  if (chain.duplicates > 0) notes.push(`${chain.duplicates} certificate(s) were given twice; the copies were dropped.`);
  return notes;
}

/** The chain as one PEM text, leaf first (what `curl --cert` and most servers want). */
export const chainPem = (certificates: Bytes[]): string => certificates.map((der) => toPem(der, 'CERTIFICATE')).join('');

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
  /** Things to know: chain order fixed, missing links, expiry. */
  notes: string[];
}

export type CompleteError =
  | KeyFileError
  | 'empty-uuid'
  | 'malformed-uuid'
  | 'no-certificates'
  | 'not-a-certificate'
  | 'key-mismatch'
  | 'no-leaf'
  | 'several-leaves'
  | 'uuid-missing'
  | 'uuid-mismatch'
  | 'too-much-work';

const PLACE_NAMES = { cn: 'the subject CN', oid: `the OID ${OID.dsmAppId} attribute`, either: `the subject CN or the OID ${OID.dsmAppId} attribute` } as const;

/** Checks that the leaf carries the expected UUID where the CSR put it. */
function checkAppId(expected: AppId, found: FoundAppId, placement: CompleteRequest['placement']): Result<'cn' | 'oid' | null, 'uuid-missing' | 'uuid-mismatch'> {
  const { located, appId, foundIn } = found;
  if (located.location === 'conflict') return failure('uuid-mismatch', `${located.problems[0].message} Choose the certificate signed for app ${expected}.`);
  if (appId !== null && appId !== expected) {
    return failure('uuid-mismatch', `This certificate is for app ${appId} (in ${PLACE_NAMES[foundIn ?? 'either']}), not ${expected}. Check the app UUID, or choose the certificate signed for this app.`);
  }
  if (placement === 'none') return success(foundIn);
  const kept = placement === 'either' ? appId !== null : located.location === placement || located.location === 'both';
  if (!kept) {
    const cn = found.cn === null ? 'the certificate has no CN' : `its CN is "${found.cn}"`;
    const damaged = located.location === 'malformed' ? ` ${located.problems[0].message}` : '';
    return failure('uuid-missing', `The CA did not keep the app UUID in ${PLACE_NAMES[placement]} (${cn}).${damaged} DSM cannot tell which app this certificate is for. Ask the CA to keep the subject as requested, or log in with the UUID as the basic-auth user (curl -u ${expected}:).`);
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

async function complete(request: CompleteRequest, deps: CompleteDeps, budget: WorkBudget): Promise<Result<CompletedIdentity, CompleteError>> {
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
      return failure('key-mismatch', `The private key does not belong to ${which}. Each CSR has its own key: choose the key file saved with the CSR the CA signed, or the certificate the CA issued for this key.`);
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
      notes: [...validityNotes(summaries[0], deps.now ?? new Date()), ...chainNotes(chain.value)],
    });
  } finally {
    pkcs8.value.fill(0);
  }
}

/** Warnings when the leaf is not valid now: DSM refuses an expired certificate at once. */
export function validityNotes(leaf: CertificateSummary, now: Date): string[] {
  if (now > leaf.notAfter) return [`This certificate expired on ${leaf.notAfter.toISOString().slice(0, 10)}: DSM will refuse it. Ask the CA for a new one.`];
  if (now < leaf.notBefore) return [`This certificate is valid only from ${leaf.notBefore.toISOString()}; logins fail until then.`];
  return [];
}
