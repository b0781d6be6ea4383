import type { Bytes } from './plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { formatIpAddress, type AltNames } from './plain/altNames';
import type { CertificateFileError } from './certificateFiles';
import { orderChain, readCertificate, type ChainError } from './chain';
import { findAppId } from './certificateSummary';
import { importPrivateKey, readPrivateKeyFile, type KeyFileError } from './keyFile';
import { createIdentity, type CreatedIdentity, type CreateRequest } from './create';
import { keyMatchesCertificate } from './keyMatch';
import { ecKeyType, isKeyType, keyAlgorithm, KEY_TYPES, type KeyType } from './plain/keys';
import { OID } from './plain/oids';
import { readPkcs12, type Pkcs12ReadError } from './pkcs12';
import { isTooMuchWork, WorkBudget } from './budget';
import { pkcs8KeyType, tooMuchWork } from './privateKey';
import { failure, success, type Result } from './plain/result';
import { EMPTY_SUBJECT, FIELD_BY_SHORT_NAME, type Placement, type SubjectFields } from './plain/subject';
import { parseAppId, type AppId, type AppIdError } from './plain/uuid';
import { DAY_MS, MAX_VALIDITY_DAYS } from './plain/validity';
import { describeKey, sha256Fingerprint } from './verify/inspect';
import { decodeName, formatName } from './name/decode';
import { sniff } from './verify/sniff';

/**
 * Renewal: read the certificate an app logs in with today (or its .p12) and make its successor with
 * the same subject (byte for byte), UUID placement, alternative names, key type and validity length.
 * A new key by default; the current one when it is at hand and belongs to the certificate.
 */

/** What was read from the certificate being renewed, shown to the user before anything is made. */
export interface ExistingCertificate {
  der: Bytes;
  /** The subject's DER, copied as it is into the renewed certificate or CSR. */
  subjectDer: Bytes;
  /** As `openssl x509 -noout -subject` prints it. */
  subjectLine: string;
  issuerLine: string;
  selfSigned: boolean;
  /** The CA certificates that came with it (a chain PEM or a .p12), leaf excluded. */
  issuers: Bytes[];
  appId: AppId | null;
  /** Where the UUID is; 'none' when the certificate does not carry it. With both CN and OID, 'cn' (DSM reads CN first). */
  placement: Placement;
  oidStringType: CreateRequest['oidStringType'];
  /** null when it has kinds appcert cannot write (IP, URI...): `altNamesProblem` says which, and renewal stops there. */
  altNames: AltNames | null;
  altNamesProblem: string | null;
  /** null for a key appcert does not make (RSA-1024, P-521, Ed25519...): a renewal must then choose one. */
  keyType: KeyType | null;
  keyDescription: string;
  /** notAfter − notBefore in whole days, capped at what appcert issues. */
  days: number;
  notBefore: Date;
  notAfter: Date;
  /** Hex, as `openssl x509 -serial` prints it (lower case here). */
  serialNumber: string;
  /** SHA-256 of the DER, AB:CD:… as `openssl x509 -fingerprint -sha256` prints it. */
  sha256: string;
  /** The current key, when the .p12 held it (it matches: readPkcs12 checks). Kept in memory only. */
  keyPair: CryptoKeyPair | null;
  /** The subject as form fields, where it fits them; the renewal writes `subjectDer` regardless. */
  fields: SubjectFields;
  notes: string[];
}

export type RenewReadError = Pkcs12ReadError | CertificateFileError | ChainError | 'no-certificate' | 'too-much-work';

export interface RenewInput {
  /** For messages only. */
  name: string;
  bytes: Bytes;
  /** Of a .p12 ('' when it has none). */
  password?: string;
}

/**
 * Reads the certificate (PEM, DER, a chain in any order) or the .p12 that is to be renewed. All its
 * work shares one budget (budget.ts): a file asking for more than real ones is `too-much-work`.
 */
export async function readExisting(
  input: RenewInput,
  crypto: Crypto = globalThis.crypto,
  budget: WorkBudget = new WorkBudget(),
): Promise<Result<ExistingCertificate, RenewReadError>> {
  try {
    return await read(input, crypto, budget);
  } catch (error) {
    if (isTooMuchWork(error)) return tooMuchWork(error.what);
    throw error;
  }
}

async function read(input: RenewInput, crypto: Crypto, budget: WorkBudget): Promise<Result<ExistingCertificate, RenewReadError>> {
  const sniffed = sniff(input.bytes, budget);
  if (!sniffed.ok) return failure('not-a-certificate', `${input.name}: ${sniffed.message}`);
  let certificates = sniffed.value.certificates;
  let pkcs8: Bytes | null = null;
  if (sniffed.value.pkcs12) {
    const contents = await readPkcs12(sniffed.value.pkcs12, input.password ?? '', crypto, budget);
    if (!contents.ok) return failure(contents.code, `${input.name}: ${contents.message}`);
    certificates = contents.value.certificates;
    pkcs8 = contents.value.pkcs8;
  }
  try {
    if (certificates.length === 0) {
      const what = sniffed.value.csrs.length > 0 ? 'a certificate request (CSR), not a certificate' : 'no certificate';
      return failure(
        'no-certificate',
        `${input.name} holds ${what}. Choose the certificate the app logs in with today (.crt, .pem, .cer) or its .p12 file.`,
      );
    }
    // In a .p12 the key's certificate comes first; elsewhere the leaf is the one that issued no other.
    const chain = orderChain(certificates, pkcs8 ? 0 : undefined, budget);
    if (!chain.ok) return failure(chain.code, `${input.name}: ${chain.message}`);
    const [leafDer, ...issuers] = chain.value.certificates;
    const described = await describe(leafDer, issuers, crypto);
    if (!described.ok) return described;
    if (pkcs8 && described.value.keyType) described.value.keyPair = await keyPairFor(pkcs8, leafDer, described.value.keyType, crypto);
    return described;
  } finally {
    pkcs8?.fill(0);
  }
}

async function describe(der: Bytes, issuers: Bytes[], crypto: Crypto): Promise<Result<ExistingCertificate, never>> {
  const certificate = readCertificate(der) as pkijs.Certificate;
  const subject = decodeName(certificate.subject);
  const found = findAppId(certificate);
  const altNames = readAltNames(certificate);
  const key = describeKey(certificate.subjectPublicKeyInfo);
  const keyType = keyTypeOf(certificate.subjectPublicKeyInfo);
  const notes: string[] = [];
  if (keyType === null)
    notes.push(
      `Its key (${key.description}) is of a kind appcert does not make: choose a key type for the renewal (RSA 2048/3072/4096, ECDSA P-256/P-384).`,
    );
  const notBefore = certificate.notBefore.value;
  const notAfter = certificate.notAfter.value;
  const validDays = Math.round((notAfter.getTime() - notBefore.getTime()) / DAY_MS);
  const days = Math.min(Math.max(validDays, 1), MAX_VALIDITY_DAYS);
  if (days !== validDays)
    notes.push(`It was valid for ${validDays} days; the renewal asks for ${days} (appcert issues 1 to ${MAX_VALIDITY_DAYS} days).`);
  const oid = subject.find((a) => a.oid === OID.dsmAppId);
  return success({
    der,
    subjectDer: new Uint8Array(certificate.subject.valueBeforeDecode),
    subjectLine: formatName(subject),
    issuerLine: formatName(decodeName(certificate.issuer)),
    selfSigned: certificate.subject.isEqual(certificate.issuer),
    issuers,
    appId: found.appId,
    placement: found.foundIn ?? 'none',
    oidStringType: oid?.stringType === 'PrintableString' ? 'PrintableString' : 'UTF8String',
    altNames: altNames.ok ? altNames.value : null,
    altNamesProblem: altNames.ok ? null : altNames.message,
    keyType,
    keyDescription: key.description,
    days,
    notBefore,
    notAfter,
    serialNumber: Array.from(certificate.serialNumber.valueBlock.valueHexView, (b) => b.toString(16).padStart(2, '0')).join(''),
    sha256: await sha256Fingerprint(der, crypto),
    keyPair: null,
    fields: subjectFields(subject),
    notes,
  });
}

/** The subject as the Create form's fields, for showing it there: each field taken when it appears once. */
function subjectFields(subject: ReturnType<typeof decodeName>): SubjectFields {
  const fields: SubjectFields = { ...EMPTY_SUBJECT };
  for (const [shortName, field] of Object.entries(FIELD_BY_SHORT_NAME)) {
    const matches = subject.filter((a) => a.shortName === shortName);
    if (matches.length === 1) fields[field] = matches[0].value;
  }
  return fields;
}

function keyTypeOf(spki: pkijs.PublicKeyInfo): KeyType | null {
  const key = describeKey(spki);
  if (key.algorithm === 'RSA' && spki.algorithm.algorithmId === OID.rsaEncryption) {
    const type = `rsa-${key.bits}`;
    return isKeyType(type) ? type : null;
  }
  const curve = spki.algorithm.algorithmParams;
  return key.algorithm === 'EC' && curve instanceof asn1js.ObjectIdentifier ? ecKeyType(curve.valueBlock.toString()) : null;
}

/** The DNS names, IP addresses and email addresses of subjectAltName; other kinds (URI, directory name...) appcert cannot write yet. */
function readAltNames(certificate: pkijs.Certificate): Result<AltNames, 'unsupported-alt-names'> {
  const names: Required<AltNames> = { dns: [], email: [], ip: [] };
  const value = certificate.extensions?.find((e) => e.extnID === OID.subjectAltName)?.parsedValue;
  if (!(value instanceof pkijs.AltName)) return success(names);
  for (const name of value.altNames) {
    const ip = name.type === 7 && name.value instanceof asn1js.OctetString ? new Uint8Array(name.value.valueBlock.valueHexView) : null;
    if (name.type === 2 && typeof name.value === 'string') names.dns.push(name.value);
    else if (name.type === 1 && typeof name.value === 'string') names.email.push(name.value);
    else if (ip && (ip.length === 4 || ip.length === 16)) names.ip.push(formatIpAddress(ip));
    else {
      return failure(
        'unsupported-alt-names',
        'This certificate has alternative names other than DNS names, IP addresses and email addresses (a URI or directory name, say). appcert cannot carry those into the renewal yet: renew it with OpenSSL, keeping the subjectAltName.',
      );
    }
  }
  return success(names);
}

/** A key pair whose private half is the PKCS#8 key and whose public half is the certificate's. */
async function keyPairFor(pkcs8: Bytes, certificateDer: Bytes, keyType: KeyType, crypto: Crypto): Promise<CryptoKeyPair | null> {
  const privateKey = await importPrivateKey(pkcs8, crypto);
  if (!privateKey.ok) return null;
  const spki = new Uint8Array((readCertificate(certificateDer) as pkijs.Certificate).subjectPublicKeyInfo.toSchema().toBER(false));
  const publicKey = await crypto.subtle.importKey('spki', spki, keyAlgorithm(keyType), true, ['verify']);
  return { privateKey: privateKey.value, publicKey };
}

export type KeyReuseError = KeyFileError | 'key-mismatch';

/**
 * The current key from a key file (PEM PKCS#8, encrypted or plain), only if it belongs to the
 * certificate. Its PBKDF2 iterations are charged to `budget`: a crafted file is `too-much-work`.
 */
export async function keyFromFile(
  existing: Pick<ExistingCertificate, 'der'>,
  keyText: string,
  password: string,
  crypto: Crypto = globalThis.crypto,
  budget: WorkBudget = new WorkBudget(),
): Promise<Result<CryptoKeyPair, KeyReuseError>> {
  const pkcs8 = await readPrivateKeyFile(keyText, password, crypto, budget);
  if (!pkcs8.ok) return pkcs8;
  try {
    const type = pkcs8KeyType(pkcs8.value);
    if (type === null)
      return failure(
        'unsupported-key',
        'This key is of a kind appcert does not handle (it supports RSA 2048/3072/4096 and ECDSA P-256/P-384). Let appcert make a new key instead.',
      );
    if (!(await keyMatchesCertificate(pkcs8.value, existing.der, crypto))) {
      return failure(
        'key-mismatch',
        'This key does not belong to the certificate being renewed. Choose the key file saved with it, or let appcert make a new key (the safer choice anyway).',
      );
    }
    const pair = await keyPairFor(pkcs8.value, existing.der, type, crypto);
    return pair ? success(pair) : failure('unsupported-key', 'This key could not be imported.');
  } finally {
    pkcs8.value.fill(0);
  }
}

/** What the team chooses for the renewal; everything else is kept from the old certificate. */
export interface RenewChoices {
  mode: CreateRequest['mode'];
  /** Default: the old certificate's key type. */
  keyType?: KeyType;
  /** Default: the old certificate's validity length. */
  days?: number;
  keyPassword: string | null;
  /** Needed when the certificate does not carry the UUID (placement none); must agree when it does. */
  appId?: string;
  /** The current key (from the .p12 or `keyFromFile`); a new one is made without it. */
  keyPair?: CryptoKeyPair;
}

export type RenewRequestError =
  AppIdError | 'unsupported-alt-names' | 'app-id-needed' | 'app-id-mismatch' | 'key-type-needed' | 'key-type-mismatch';

/** The Create request that makes the successor: the form filled the way the old certificate was made. */
export function renewalRequest(existing: ExistingCertificate, choices: RenewChoices): Result<CreateRequest, RenewRequestError> {
  let appId = existing.appId;
  if (choices.appId !== undefined) {
    const given = parseAppId(choices.appId);
    if (!given.ok) return given;
    if (appId !== null && given.value.appId !== appId) {
      return failure(
        'app-id-mismatch',
        `The certificate is for app ${appId}, not ${given.value.appId}. A renewal keeps the app: leave the app UUID out, or choose that app's certificate.`,
      );
    }
    appId = given.value.appId;
  }
  if (appId === null) {
    return failure(
      'app-id-needed',
      "This certificate does not carry the app UUID (the app sends it as the basic-auth user). Give the app's UUID, from the top of its page in DSM.",
    );
  }
  if (existing.altNames === null) return failure('unsupported-alt-names', existing.altNamesProblem ?? '');
  const keyType = choices.keyType ?? existing.keyType;
  if (keyType === null)
    return failure(
      'key-type-needed',
      `The current key (${existing.keyDescription}) is of a kind appcert does not make: choose a key type for the renewal.`,
    );
  if (choices.keyPair && choices.keyType && choices.keyType !== existing.keyType) {
    return failure(
      'key-type-mismatch',
      `The current key is ${existing.keyDescription}; keeping it keeps its type. Leave the key type out, or make a new key of type ${KEY_TYPES[choices.keyType].label}.`,
    );
  }
  return success({
    appId,
    placement: existing.placement,
    oidStringType: existing.oidStringType,
    subject: existing.fields,
    keyType,
    mode: choices.mode,
    days: choices.days ?? existing.days,
    altNames: existing.altNames,
    keyPassword: choices.keyPassword,
    keptSubject: { der: existing.subjectDer, line: existing.subjectLine },
  });
}

/** The old certificate, as `--json` and the screen name it. */
export interface RenewedFrom {
  serialNumber: string;
  notAfter: string;
  sha256: string;
}

export interface RenewedIdentity {
  identity: CreatedIdentity;
  renewedFrom: RenewedFrom;
  /** True when the renewal kept the current key. */
  keptKey: boolean;
}

export type RenewError = RenewRequestError | 'invalid-request';

/** Makes the successor of `existing`: self-signed certificate or CSR, new key unless one is given. */
export async function renewIdentity(
  existing: ExistingCertificate,
  choices: RenewChoices,
  deps: { crypto?: Crypto; now?: Date; serialNumber?: Bytes } = {},
): Promise<Result<RenewedIdentity, RenewError>> {
  const request = renewalRequest(existing, choices);
  if (!request.ok) return request;
  const created = await createIdentity(request.value, { ...deps, keyPair: choices.keyPair });
  if (!created.ok) return failure('invalid-request', created.message);
  return success({
    identity: created.value,
    renewedFrom: { serialNumber: existing.serialNumber, notAfter: existing.notAfter.toISOString(), sha256: existing.sha256 },
    keptKey: choices.keyPair !== undefined,
  });
}
