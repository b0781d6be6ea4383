import type { Bytes } from './plain/bytes';
import { createSelfSignedCertificate, type IssuedCertificate } from './certificate';
import { checkCreateRequest, type CreateError, type CreateField, type CreateRequest } from './plain/createRequest';
import { createCsr } from './csr';
import { generateKeyPair } from './plain/keys';
import { fileNames } from './fileNames';
import { authCommand } from './nextSteps';
import { toPem } from './pem';
import { encryptedPrivateKeyPem, encryptPkcs8, exportPkcs8, privateKeyPem } from './privateKey';
import type { FieldsResult } from './plain/result';
import { formatSubject, subjectAttributes, type SubjectAttribute } from './plain/subject';
import type { AppId } from './plain/uuid';

export {
  checkCreateRequest,
  type CheckedRequest,
  type CreateError,
  type CreateField,
  type CreateProblem,
  type CreateRequest,
  type KeptSubject,
} from './plain/createRequest';

export interface OutputFile {
  kind: 'certificate' | 'csr' | 'privateKey';
  name: string;
  text: string;
}

export interface CreatedIdentity {
  appId: AppId;
  request: CreateRequest;
  /** The attributes from the form; a renewal writes `request.keptSubject` instead (see `subjectLine`). */
  subject: SubjectAttribute[];
  /** As `openssl x509 -noout -subject` prints it. */
  subjectLine: string;
  /** Set for a self-signed certificate. */
  certificate: (IssuedCertificate & { pem: string }) | null;
  /** Set for a CSR. */
  csrPem: string | null;
  privateKeyPem: string;
  files: OutputFile[];
  /** The login of Fortanix's mutual-TLS guide, section 4.0, for this certificate. */
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

/** The identity, or every problem with the request, per field: nothing is generated then. */
export type CreateOutcome = FieldsResult<CreatedIdentity, CreateError, CreateField>;

/** Generates the key pair and the self-signed certificate or CSR the request describes. */
export async function createIdentity(request: CreateRequest, deps: CreateDeps = {}): Promise<CreateOutcome> {
  const checked = checkCreateRequest(request);
  if (!checked.ok) return checked;
  const { appId, notes } = checked.value;
  const crypto = deps.crypto ?? globalThis.crypto;
  const subject = subjectAttributes(request.subject, appId, request.placement, request.oidStringType);
  const keyPair = deps.keyPair ?? (await generateKeyPair(request.keyType, crypto));
  const names = fileNames(appId);
  const common = { keyPair, keyType: request.keyType, subject, subjectName: request.keptSubject?.der, altNames: request.altNames, crypto };

  let certificate: CreatedIdentity['certificate'] = null;
  let csrPem: string | null = null;
  if (request.mode === 'self-signed') {
    const issued = await createSelfSignedCertificate({ ...common, days: request.days, now: deps.now, serialNumber: deps.serialNumber });
    certificate = { ...issued, pem: toPem(issued.der, 'CERTIFICATE') };
  } else {
    csrPem = toPem(await createCsr(common), 'CERTIFICATE REQUEST');
  }

  const pkcs8 = await exportPkcs8(keyPair.privateKey, crypto);
  const keyPem =
    request.keyPassword === null
      ? privateKeyPem(pkcs8)
      : encryptedPrivateKeyPem(await encryptPkcs8(pkcs8, request.keyPassword, { crypto }));
  pkcs8.fill(0);

  const files: OutputFile[] = [
    certificate
      ? { kind: 'certificate', name: names.certificate, text: certificate.pem }
      : { kind: 'csr', name: names.csr, text: csrPem ?? '' },
    { kind: 'privateKey', name: names.privateKey, text: keyPem },
  ];
  return {
    ok: true,
    value: {
      appId,
      request,
      subject,
      subjectLine: request.keptSubject?.line ?? formatSubject(subject),
      certificate,
      csrPem,
      privateKeyPem: keyPem,
      files,
      authCommand: authCommand({
        appId,
        placement: request.placement,
        certificateFile: names.certificate,
        keyFile: names.privateKey,
        keyEncrypted: request.keyPassword !== null,
      }),
      keyPair,
      notes,
    },
  };
}
