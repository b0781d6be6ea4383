import { SvelteSet } from 'svelte/reactivity';
import { altNameList, formatAltNames, parseAltNames } from '../../lib/plain/altNames';
import { checkCreateRequest, typedAppId, type CreateField, type CreateRequest } from '../../lib/plain/createRequest';
import { DEFAULT_KEY_TYPE, type KeyType } from '../../lib/plain/keys';
import { confirmedPassword } from '../../lib/plain/password';
import { failureMessage } from '../../lib/plain/result';
import { EMPTY_SUBJECT, formatSubject, subjectAttributes, SUBJECT_FIELD_ORDER, type Placement } from '../../lib/plain/subject';
import { DEFAULT_VALIDITY_DAYS } from '../../lib/plain/validity';
import type { ExistingCertificate } from '../../lib/renew';

/** Id of the input for a request field; the summary links to it. */
export const inputId = (field: CreateField): string => `create-${field}`;
export const CONFIRM_ID = 'create-keyPassword-confirm';

/** Input ids in the order they appear, so the error summary lists problems top to bottom. */
const FORM_ORDER = [...(['appId', ...SUBJECT_FIELD_ORDER, 'altNames', 'days', 'keyPassword'] as CreateField[]).map(inputId), CONFIRM_ID];

export interface Problem {
  /** The input to fix it in. */
  id: string;
  message: string;
}

/**
 * The Create form: what the user typed, the request it means, and its problems, with the rule
 * for when a field shows them. Plain state with runes, so unit tests drive it without a page.
 * Nothing here is stored anywhere: a reload starts empty, on purpose.
 */
export class CreateForm {
  appIdText = $state('');
  placement = $state<Placement>('oid');
  oidStringType = $state<CreateRequest['oidStringType']>('UTF8String');
  subject = $state({ ...EMPTY_SUBJECT });
  altNamesText = $state('');
  keyType = $state<KeyType>(DEFAULT_KEY_TYPE);
  mode = $state<CreateRequest['mode']>('self-signed');
  daysText = $state(String(DEFAULT_VALIDITY_DAYS));
  password = $state('');
  confirmation = $state('');
  unencrypted = $state(false);
  /**
   * The certificate being renewed ("Start from an existing certificate"): its subject is written
   * byte for byte, so the subject, UUID placement and alternative names are shown, not edited.
   */
  renewing = $state.raw<ExistingCertificate | null>(null);
  /** Keep the current key (offered once it is at hand: in the .p12, or from its key file); a new key otherwise. */
  keepKey = $state(false);
  /** The key file the current key was read from, when it did not come in the .p12. */
  keyFileName = $state<string | null>(null);

  /** Inputs the user has left; a field shows its errors once left, or after a Generate attempt. */
  readonly touched = new SvelteSet<string>();
  attempted = $state(false);

  readonly request: CreateRequest = $derived({
    appId: this.appIdText,
    placement: this.placement,
    oidStringType: this.oidStringType,
    subject: { ...this.subject },
    keyType: this.keyType,
    mode: this.mode,
    days: /^\s*\d+\s*$/.test(this.daysText) ? Number(this.daysText) : Number.NaN,
    altNames: parseAltNames(this.altNamesText),
    keyPassword: this.unencrypted ? null : this.password,
    ...(this.renewing ? { keptSubject: { der: this.renewing.subjectDer, line: this.renewing.subjectLine } } : {}),
  });

  /** The UUID that will be used and what was cleaned from the typed text, shown while other fields may still have problems. */
  readonly checked = $derived(typedAppId(this.appIdText));
  readonly requestProblems = $derived.by(() => {
    const checked = checkCreateRequest(this.request);
    return checked.ok ? [] : checked.problems;
  });

  /**
   * Everything the made files depend on, as one string: a result made from another value no
   * longer matches the form. The confirmation is left out (it changes nothing that is made).
   */
  readonly fingerprint = $derived(
    JSON.stringify({ ...this.request, keptSubject: this.renewing?.sha256, keepKey: this.renewing !== null && this.keepKey }),
  );

  readonly problems: Problem[] = $derived(
    [
      ...this.requestProblems.map((p) => ({ id: inputId(p.field), message: p.message })),
      ...(this.unencrypted
        ? []
        : [failureMessage(confirmedPassword(this.password, this.confirmation))]
            .filter((m) => m !== null)
            .map((message) => ({ id: CONFIRM_ID, message }))),
    ].sort((a, b) => FORM_ORDER.indexOf(a.id) - FORM_ORDER.indexOf(b.id)),
  );

  /** The subject as `openssl x509 -noout -subject` will print it, once the UUID and subject fields are valid. */
  readonly subjectPreview: string | null = $derived.by(() => {
    if (this.renewing) return `subject=${this.renewing.subjectLine}`;
    const subjectFields = SUBJECT_FIELD_ORDER as string[];
    if (this.checked.appId === null || this.requestProblems.some((p) => subjectFields.includes(p.field))) return null;
    return `subject=${formatSubject(subjectAttributes(this.subject, this.checked.appId, this.placement, this.oidStringType))}`;
  });

  /** The alternative names as OpenSSL will print them; '' when there are none, null while some are invalid. */
  readonly altNamesPreview: string | null = $derived(
    this.requestProblems.some((p) => p.field === 'altNames') ? null : formatAltNames(this.request.altNames),
  );

  /**
   * Fills the form the way `existing` was made (what renewalRequest asks for): same subject,
   * placement, alternative names, key type and validity length. What was typed elsewhere stays.
   */
  startFrom(existing: ExistingCertificate): void {
    this.renewing = existing;
    this.keepKey = false;
    this.keyFileName = null;
    if (existing.appId !== null) this.appIdText = existing.appId;
    this.placement = existing.placement;
    this.oidStringType = existing.oidStringType;
    this.subject = { ...existing.fields };
    this.altNamesText = existing.altNames
      ? altNameList(existing.altNames)
          .map((n) => n.value)
          .join(', ')
      : '';
    if (existing.keyType !== null) this.keyType = existing.keyType;
    this.daysText = String(existing.days);
    // A CA-signed certificate is renewed through its CA: a CSR; a self-signed one is replaced by one.
    this.mode = existing.selfSigned ? 'self-signed' : 'csr';
  }

  /** "Change subject": back to the normal form, filled as far as its fields go; a new subject, not a renewal. */
  changeSubject(): void {
    this.renewing = null;
    this.keepKey = false;
    this.keyFileName = null;
  }

  /** The current key, read from its key file (it belongs to the certificate): kept, so its type too. */
  keepKeyFrom(fileName: string, keyPair: CryptoKeyPair): void {
    if (!this.renewing) return;
    this.renewing = { ...this.renewing, keyPair };
    this.keyFileName = fileName;
    this.keepKey = true;
    if (this.renewing.keyType) this.keyType = this.renewing.keyType;
  }

  /** Messages to show for an input now. */
  errorsFor(id: string): string[] {
    return this.attempted || this.touched.has(id) ? this.problems.filter((p) => p.id === id).map((p) => p.message) : [];
  }

  errorFor(id: string): string | null {
    return this.errorsFor(id)[0] ?? null;
  }

  /** A Generate press: every field shows its problems from now on; true when there are none. */
  attempt(): boolean {
    this.attempted = true;
    return this.problems.length === 0;
  }
}
