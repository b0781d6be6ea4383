import { validateAltNames, type AltNames } from './altNames';
import type { Bytes } from './bytes';
import type { KeyType } from './keys';
import { isPrintable, validateSubject, type FieldError, type Placement, type SubjectField, type SubjectFields } from './subject';
import { appIdCleaningNote, readAppId, type AppId } from './uuid';
import { MAX_VALIDITY_DAYS } from './validity';

// Checking a request needs no pkijs, so the Create form can check as the user types while
// create.ts (key generation, certificates) loads only when Generate is pressed.

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
  /**
   * Set when renewing: the subject of the certificate being renewed, written byte for byte (every
   * attribute, its order and string types, multi-valued RDNs) instead of `subject` and `placement`.
   */
  keptSubject?: KeptSubject;
}

/** A subject copied from an existing certificate: its DER and how `openssl x509 -noout -subject` prints it. */
export interface KeptSubject {
  der: Bytes;
  line: string;
}

export type CreateField = 'appId' | SubjectField | 'days' | 'altNames' | 'keyPassword';

export interface Checked {
  appId: AppId | null;
  errors: FieldError<CreateField>[];
  /** What will be used where it differs from what was typed (e.g. the UUID without braces, in lower case). */
  notes: string[];
}

/** Everything wrong with a request, per field, without generating anything. */
export function checkCreateRequest(request: CreateRequest): Checked {
  const errors: FieldError<CreateField>[] = [];
  const notes: string[] = [];
  const parsed = readAppId(request.appId);
  if (parsed.ok) {
    const note = appIdCleaningNote(parsed.value);
    if (note) notes.push(note);
  } else {
    errors.push({ field: 'appId', message: parsed.message });
  }
  // A kept subject is already in a certificate DSM accepted; the form's rules are for new ones.
  if (!request.keptSubject) errors.push(...validateSubject(request.subject, request.placement));
  if (request.placement === 'oid' && request.oidStringType === 'PrintableString' && parsed.ok && !isPrintable(parsed.value.appId)) {
    errors.push({ field: 'appId', message: 'The UUID cannot be written as a PrintableString.' });
  }
  if (request.mode === 'self-signed' && !(Number.isInteger(request.days) && request.days >= 1 && request.days <= MAX_VALIDITY_DAYS)) {
    errors.push({ field: 'days', message: `Validity must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}.` });
  }
  errors.push(...validateAltNames(request.altNames).map((message) => ({ field: 'altNames' as const, message })));
  if (request.keyPassword !== null && request.keyPassword === '') {
    errors.push({
      field: 'keyPassword',
      message: 'Enter a password to protect the private key file, or choose to download the key unencrypted.',
    });
  }
  return { appId: parsed.ok ? parsed.value.appId : null, errors, notes };
}
