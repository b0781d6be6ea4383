import type { Bytes } from './bytes';
import { createSelfSignedCertificate, MAX_VALIDITY_DAYS, type IssuedCertificate } from './certificate';
import { createCsr } from './csr';
import { validateAltNames, type AltNames } from './extensions';
import { generateKeyPair, type KeyType } from './keys';
import { fileNames } from './names';
import { authCommand } from './nextSteps';
import { toPem } from './pem';
import { encryptedPrivateKeyPem, encryptPkcs8, exportPkcs8, privateKeyPem } from './privateKey';
import {
  formatSubject,
  isPrintable,
  subjectAttributes,
  validateSubject,
  type FieldError,
  type Placement,
  type SubjectAttribute,
  type SubjectField,
  type SubjectFields,
} from './subject';
import { parseAppId, type AppId } from './uuid';

/** What the app team asks for on the Create screen (or with `appcert generate`). */
export interface CreateRequest {
  appId: string;
  placement: Placement;
  oidStringType: 'UTF8String' | 'PrintableString';
  subject: SubjectFields;
  keyType: KeyType;
  mode: 'self-signed' | 'csr';
  days: number;
  altNames: AltNames;
  /** null means the user chose, explicitly, to download the key unencrypted. */
  keyPassword: string | null;
}

export type CreateField = 'appId' | SubjectField | 'days' | 'altNames' | 'keyPassword';

export interface Checked {
  appId: AppId | null;
  errors: FieldError<CreateField>[];
  /** Things done for the user that they should know about (e.g. upper case written lower case). */
  notes: string[];
}

/** Everything wrong with a request, per field, without generating anything. */
export function checkCreateRequest(request: CreateRequest): Checked {
  const errors: FieldError<CreateField>[] = [];
  const notes: string[] = [];
  const parsed = parseAppId(request.appId);
  if (parsed.ok) {
    if (parsed.value.wasUpperCase) notes.push(`The app UUID was written in lower case (${parsed.value.appId}), as DSM shows it.`);
  } else {
    errors.push({ field: 'appId', message: parsed.message });
  }
  errors.push(...validateSubject(request.subject, request.placement));
  if (request.placement === 'oid' && request.oidStringType === 'PrintableString' && parsed.ok && !isPrintable(parsed.value.appId)) {
    errors.push({ field: 'appId', message: 'The UUID cannot be written as a PrintableString.' });
  }
  if (request.mode === 'self-signed' && !(Number.isInteger(request.days) && request.days >= 1 && request.days <= MAX_VALIDITY_DAYS)) {
    errors.push({ field: 'days', message: `Validity must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}.` });
  }
  errors.push(...validateAltNames(request.altNames).map((message) => ({ field: 'altNames' as const, message })));
  if (request.keyPassword !== null && request.keyPassword === '') {
    errors.push({ field: 'keyPassword', message: 'Enter a password to protect the private key file, or choose to download the key unencrypted.' });
  }
  return { appId: parsed.ok ? parsed.value.appId : null, errors, notes };
}

export interface OutputFile {
  kind: 'certificate' | 'csr' | 'privateKey';
  name: string;
  text: string;
}

export interface CreatedIdentity {
  appId: AppId;
  request: CreateRequest;
  subject: SubjectAttribute[];
  /** As `openssl x509 -noout -subject` prints it. */
  subjectLine: string;
  /** Set for a self-signed certificate. */
  certificate: (IssuedCertificate & { pem: string }) | null;
  /** Set for a CSR. */
  csrPem: string | null;
  privateKeyPem: string;
  files: OutputFile[];
  /** The seed's section 4.0 login for this certificate. */
  authCommand: string;
  /** Kept in memory for the PKCS#12 export; never stored. */
  keyPair: CryptoKeyPair;
  notes: string[];
}

export interface CreateDeps {
  crypto?: Crypto;
  now?: Date;
  serialNumber?: Bytes;
  keyPair?: CryptoKeyPair;
}

export type CreateOutcome = { ok: true; value: CreatedIdentity } | { ok: false; errors: FieldError<CreateField>[] };

/** Generates the key pair and the self-signed certificate or CSR the request describes. */
export async function createIdentity(request: CreateRequest, deps: CreateDeps = {}): Promise<CreateOutcome> {
  const checked = checkCreateRequest(request);
  if (checked.errors.length > 0 || checked.appId === null) return { ok: false, errors: checked.errors };
  const appId = checked.appId;
  const crypto = deps.crypto ?? globalThis.crypto;
  const subject = subjectAttributes(request.subject, appId, request.placement, request.oidStringType);
  const keyPair = deps.keyPair ?? (await generateKeyPair(request.keyType, crypto));
  const names = fileNames(appId);
  const common = { keyPair, keyType: request.keyType, subject, altNames: request.altNames, crypto };

  let certificate: CreatedIdentity['certificate'] = null;
  let csrPem: string | null = null;
  if (request.mode === 'self-signed') {
    const issued = await createSelfSignedCertificate({ ...common, days: request.days, now: deps.now, serialNumber: deps.serialNumber });
    certificate = { ...issued, pem: toPem(issued.der, 'CERTIFICATE') };
  } else {
    csrPem = toPem(await createCsr(common), 'CERTIFICATE REQUEST');
  }

  const pkcs8 = await exportPkcs8(keyPair.privateKey, crypto);
  const keyPem = request.keyPassword === null ? privateKeyPem(pkcs8) : encryptedPrivateKeyPem(await encryptPkcs8(pkcs8, request.keyPassword, { crypto }));
  pkcs8.fill(0);

  const files: OutputFile[] = [
    certificate ? { kind: 'certificate', name: names.certificate, text: certificate.pem } : { kind: 'csr', name: names.csr, text: csrPem ?? '' },
    { kind: 'privateKey', name: names.privateKey, text: keyPem },
  ];
  return {
    ok: true,
    value: {
      appId,
      request,
      subject,
      subjectLine: formatSubject(subject),
      certificate,
      csrPem,
      privateKeyPem: keyPem,
      files,
      authCommand: authCommand({ appId, placement: request.placement, certificateFile: names.certificate, keyFile: names.privateKey, keyEncrypted: request.keyPassword !== null }),
      keyPair,
      notes: checked.notes,
    },
  };
}
