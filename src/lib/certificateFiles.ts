import type { Bytes } from './plain/bytes';
import * as pkijs from 'pkijs';
import { WorkBudget } from './budget';
import { scanDer } from './derScan';
import { readCertificate } from './chain';
import { parses } from './der';
import { OID } from './plain/oids';
import { looksLikePem, parsePem, type PemBlock } from './pem';
import { failure, success, type Result } from './plain/result';

/** A file the user chose, dropped or pasted: its name (for messages) and its bytes or text. */
export interface InputFile {
  name: string;
  contents: string | Bytes;
}

export type CertificateFileError = 'no-certificates' | 'not-a-certificate';

/** Labels that mean "not a certificate", with what the user most likely picked by mistake. */
const WRONG_LABELS: Record<string, string> = {
  'CERTIFICATE REQUEST': 'is the certificate request (CSR), not the certificate the CA signed from it',
  'NEW CERTIFICATE REQUEST': 'is the certificate request (CSR), not the certificate the CA signed from it',
  'PRIVATE KEY': 'is a private key, not a certificate',
  'ENCRYPTED PRIVATE KEY': 'is a private key, not a certificate',
  'RSA PRIVATE KEY': 'is a private key, not a certificate',
  'EC PRIVATE KEY': 'is a private key, not a certificate',
  'PUBLIC KEY': 'is a bare public key, not a certificate',
};

/** The certificates inside a PKCS#7 / CMS "certs-only" bundle (.p7b, .p7c), or null when it is not one. */
function pkcs7Certificates(der: Bytes): Bytes[] | null {
  try {
    const info = pkijs.ContentInfo.fromBER(der);
    if (info.contentType !== OID.pkcs7SignedData) return null;
    const signed = new pkijs.SignedData({ schema: info.content });
    return (signed.certificates ?? []).filter((c) => c instanceof pkijs.Certificate).map((c) => new Uint8Array(c.toSchema().toBER(false)));
  } catch {
    return null;
  }
}

const isPkcs12 = (der: Bytes): boolean => parses(() => pkijs.PFX.fromBER(der));

/** Counts certificates as they are found, so a file with thousands stops at the cap. */
const counted = (certificates: Bytes[], budget: WorkBudget): Bytes[] => {
  budget.spend('certificates', certificates.length, () => 'more certificates than that');
  return certificates;
};

function fromBlock(file: string, block: PemBlock, index: number, budget: WorkBudget): Result<Bytes[], CertificateFileError> {
  const where = `${file}, block ${index + 1}`;
  scanDer(block.der, budget);
  if (block.label === 'CERTIFICATE' || block.label === 'TRUSTED CERTIFICATE' || block.label === 'X509 CERTIFICATE') {
    return readCertificate(counted([block.der], budget)[0])
      ? success([block.der])
      : failure(
          'not-a-certificate',
          `${where} is labelled CERTIFICATE but its contents are not a certificate (damaged or cut). Get the file from the CA again.`,
        );
  }
  if (block.label === 'PKCS7' || block.label === 'CMS') {
    const certificates = pkcs7Certificates(block.der);
    return certificates
      ? success(counted(certificates, budget))
      : failure('not-a-certificate', `${where} is a PKCS#7 block without certificates in it.`);
  }
  const reason = WRONG_LABELS[block.label] ?? `is a "${block.label}" block, not a certificate`;
  return failure(
    'not-a-certificate',
    `${where} ${reason}. Choose the certificate file your CA sent back (usually .crt, .cer, .pem or .p7b).`,
  );
}

/**
 * The DER certificates in one file: PEM with any number of blocks, one DER certificate, or PKCS#7.
 * Every DER is pre-scanned and every certificate counted against `budget` (budget.ts), which
 * throws `TooMuchWork` for a file that asks for too much.
 */
export function certificatesInFile(file: InputFile, budget: WorkBudget = new WorkBudget()): Result<Bytes[], CertificateFileError> {
  const text = typeof file.contents === 'string' ? file.contents : new TextDecoder().decode(file.contents);
  if (looksLikePem(text)) {
    const blocks = parsePem(text);
    if (!blocks.ok) return failure('not-a-certificate', `${file.name}: ${blocks.message}`);
    const found: Bytes[] = [];
    for (const [index, block] of blocks.value.entries()) {
      const certificates = fromBlock(file.name, block, index, budget);
      if (!certificates.ok) return certificates;
      found.push(...certificates.value);
    }
    return success(found);
  }
  if (typeof file.contents !== 'string') {
    scanDer(file.contents, budget);
    if (readCertificate(file.contents)) return success(counted([file.contents], budget));
    const bundle = pkcs7Certificates(file.contents);
    if (bundle) return success(counted(bundle, budget));
    if (isPkcs12(file.contents)) {
      return failure(
        'not-a-certificate',
        `${file.name} is a PKCS#12 (.p12/.pfx) file, which already joins a key and its certificate. To change its encryption or get PEM files, use the Convert PKCS#12 screen.`,
      );
    }
  }
  return failure(
    'not-a-certificate',
    `${file.name} is not a certificate: it has no "-----BEGIN CERTIFICATE-----" block and is not a DER certificate or PKCS#7 bundle. Choose the certificate file your CA sent back.`,
  );
}

/** Every certificate in every file, in the order given; all files share `budget`. */
export function certificatesInFiles(files: InputFile[], budget: WorkBudget = new WorkBudget()): Result<Bytes[], CertificateFileError> {
  const all: Bytes[] = [];
  for (const file of files) {
    const found = certificatesInFile(file, budget);
    if (!found.ok) return found;
    all.push(...found.value);
  }
  if (all.length === 0) {
    return failure(
      'no-certificates',
      'No certificate was given: choose, drop or paste the certificate your CA signed (and its chain, if the CA sent one).',
    );
  }
  return success(all);
}
