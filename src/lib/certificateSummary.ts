import * as pkijs from 'pkijs';
import { toHex } from './plain/bytes';
import { describeName } from './chain';
import { OID } from './plain/oids';
import type { AppId } from './plain/uuid';
import { locateAppId, type LocatedAppId } from './verify/appId';
import { decodeName } from './name/decode';

/** What the Complete and Convert screens show of a certificate: its app UUID, names, dates and validity. */

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

/** Warnings when the leaf is not valid now: DSM refuses an expired certificate at once. */
export function validityNotes(leaf: CertificateSummary, now: Date): string[] {
  if (now > leaf.notAfter)
    return [`This certificate expired on ${leaf.notAfter.toISOString().slice(0, 10)}: DSM will refuse it. Ask the CA for a new one.`];
  if (now < leaf.notBefore) return [`This certificate is valid only from ${leaf.notBefore.toISOString()}; logins fail until then.`];
  return [];
}
