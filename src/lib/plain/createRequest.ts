import { validateAltNames, type AltNameError, type AltNames } from './altNames';
import type { Bytes } from './bytes';
import type { KeyType } from './keys';
import { fieldsFailure, success, type FieldProblem, type FieldsResult } from './result';
import { validateSubject, type Placement, type SubjectError, type SubjectField, type SubjectFields } from './subject';
import { appIdCleaningNote, readAppId, type AppId, type AppIdError, type ParsedAppId } from './uuid';
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

/** Everything that can be wrong with a request: the codes of each part's check. */
export type CreateError = AppIdError | SubjectError | AltNameError | 'days-out-of-range' | 'key-password-empty';

export type CreateProblem = FieldProblem<CreateError, CreateField>;

/** A request that can be made. */
export interface CheckedRequest {
  appId: AppId;
  /** What will be used where it differs from what was typed (e.g. the UUID without braces, in lower case). */
  notes: string[];
}

function usedAppId(parsed: ParsedAppId): CheckedRequest {
  const note = appIdCleaningNote(parsed);
  return { appId: parsed.appId, notes: note ? [note] : [] };
}

/** The UUID a typed text gives and what was cleaned from it, shown as the user types; null while it cannot be read. */
export function typedAppId(text: string): { appId: AppId | null; notes: string[] } {
  const parsed = readAppId(text);
  return parsed.ok ? usedAppId(parsed.value) : { appId: null, notes: [] };
}

/** The request's UUID and notes, or every problem with it, per field, without generating anything. */
export function checkCreateRequest(request: CreateRequest): FieldsResult<CheckedRequest, CreateError, CreateField> {
  const problems: CreateProblem[] = [];
  const parsed = readAppId(request.appId);
  if (!parsed.ok) problems.push({ field: 'appId', code: parsed.code, message: parsed.message });
  // A kept subject is already in a certificate DSM accepted; the form's rules are for new ones.
  if (!request.keptSubject) problems.push(...validateSubject(request.subject, request.placement));
  if (request.mode === 'self-signed' && !(Number.isInteger(request.days) && request.days >= 1 && request.days <= MAX_VALIDITY_DAYS)) {
    problems.push({
      field: 'days',
      code: 'days-out-of-range',
      message: `Validity must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}.`,
    });
  }
  problems.push(...validateAltNames(request.altNames).map(({ code, message }) => ({ field: 'altNames' as const, code, message })));
  if (request.keyPassword !== null && request.keyPassword === '') {
    problems.push({
      field: 'keyPassword',
      code: 'key-password-empty',
      message: 'Enter a password to protect the private key file, or choose to download the key unencrypted.',
    });
  }
  return parsed.ok && problems.length === 0 ? success(usedAppId(parsed.value)) : fieldsFailure(problems);
}
