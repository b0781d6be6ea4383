import { OID } from './oids';
import { failure, success, type FieldProblem, type Result } from './result';
import type { AppId } from './uuid';

/** Where the app UUID goes (Fortanix's mutual-TLS guide, sections 3.6.1, 3.6.2 and 4.0). */
export type Placement = 'cn' | 'oid' | 'none';

export type StringType = 'UTF8String' | 'PrintableString' | 'IA5String';

/** The subject fields a user types. An empty string means "leave out". */
export interface SubjectFields {
  country: string;
  state: string;
  locality: string;
  organization: string;
  organizationalUnit: string;
  commonName: string;
  email: string;
}

export type SubjectField = keyof SubjectFields;

export interface SubjectAttribute {
  oid: string;
  /** The name OpenSSL prints for it. */
  shortName: string;
  value: string;
  stringType: StringType;
  /** True for the attribute that carries the app UUID. */
  isAppId: boolean;
}

/** What can be wrong with the typed subject fields. */
export type SubjectError =
  'country-not-iso-code' | 'subject-value-too-long' | 'subject-email-invalid' | 'subject-control-character' | 'subject-empty';

export type SubjectProblem = FieldProblem<SubjectError, SubjectField>;

export const EMPTY_SUBJECT: SubjectFields = {
  country: '',
  state: '',
  locality: '',
  organization: '',
  organizationalUnit: '',
  commonName: '',
  email: '',
};

interface FieldSpec {
  oid: string;
  shortName: string;
  label: string;
  /** RFC 5280 upper bound (ub-*). */
  maxLength: number;
  stringType: StringType;
}

/** In OpenSSL's order, which is also the order a `-subj "/C=../ST=../..."` line uses. */
const FIELDS: Record<SubjectField, FieldSpec> = {
  country: { oid: OID.countryName, shortName: 'C', label: 'Country', maxLength: 2, stringType: 'PrintableString' },
  state: { oid: OID.stateOrProvinceName, shortName: 'ST', label: 'State or province', maxLength: 128, stringType: 'UTF8String' },
  locality: { oid: OID.localityName, shortName: 'L', label: 'Locality', maxLength: 128, stringType: 'UTF8String' },
  organization: { oid: OID.organizationName, shortName: 'O', label: 'Organization', maxLength: 64, stringType: 'UTF8String' },
  organizationalUnit: {
    oid: OID.organizationalUnitName,
    shortName: 'OU',
    label: 'Organizational unit',
    maxLength: 64,
    stringType: 'UTF8String',
  },
  commonName: { oid: OID.commonName, shortName: 'CN', label: 'Common name', maxLength: 64, stringType: 'UTF8String' },
  email: { oid: OID.emailAddress, shortName: 'emailAddress', label: 'Email address', maxLength: 255, stringType: 'IA5String' },
};

export const SUBJECT_FIELD_ORDER = Object.keys(FIELDS) as SubjectField[];

/** Short names (C, ST, ... emailAddress) to field keys, for `/C=US/O=Example/CN=name` input. */
export const FIELD_BY_SHORT_NAME: Record<string, SubjectField> = Object.fromEntries(
  SUBJECT_FIELD_ORDER.map((field) => [FIELDS[field].shortName, field]),
);

export const fieldLabel = (field: SubjectField): string => FIELDS[field].label;

const ASCII = /^[\x20-\x7e]*$/;

/** Problems with the typed fields for a given placement; empty when the subject can be built. */
export function validateSubject(fields: SubjectFields, placement: Placement): SubjectProblem[] {
  const errors: SubjectProblem[] = [];
  for (const field of SUBJECT_FIELD_ORDER) {
    if (field === 'commonName' && placement === 'cn') continue;
    const value = fields[field].trim();
    if (value === '') continue;
    const spec = FIELDS[field];
    if (field === 'country' && !/^[A-Za-z]{2}$/.test(value)) {
      errors.push({ field, code: 'country-not-iso-code', message: 'Use the two-letter ISO 3166 country code, e.g. US, GB or DE.' });
    } else if ([...value].length > spec.maxLength) {
      errors.push({
        field,
        code: 'subject-value-too-long',
        message: `${spec.label} can be at most ${spec.maxLength} characters (RFC 5280); this has ${[...value].length}.`,
      });
    } else if (field === 'email' && !(ASCII.test(value) && /^[^@\s]+@[^@\s]+$/.test(value))) {
      errors.push({ field, code: 'subject-email-invalid', message: 'Enter one email address in plain ASCII, like team@example.com.' });
    } else if (/[\x00-\x1f\x7f]/.test(value)) {
      errors.push({
        field,
        code: 'subject-control-character',
        message: `${spec.label} contains a control character (tab or line break); remove it.`,
      });
    }
  }
  const hasAny = SUBJECT_FIELD_ORDER.some((f) => fields[f].trim() !== '');
  if (placement === 'none' && !hasAny) {
    errors.push({
      field: 'commonName',
      code: 'subject-empty',
      message: 'The subject would be empty: enter at least a common name, such as the app or host name.',
    });
  }
  return errors;
}

/**
 * The subject, one attribute per RDN, in OpenSSL's order with the app-id OID last, as the sample certificate
 * in Fortanix's mutual-TLS guide shows it. Assumes `validateSubject` found nothing.
 */
export function subjectAttributes(
  fields: SubjectFields,
  appId: AppId,
  placement: Placement,
  oidStringType: 'UTF8String' | 'PrintableString' = 'UTF8String',
): SubjectAttribute[] {
  const attributes: SubjectAttribute[] = [];
  for (const field of SUBJECT_FIELD_ORDER) {
    const spec = FIELDS[field];
    const isAppId = field === 'commonName' && placement === 'cn';
    const raw = isAppId ? appId : fields[field].trim();
    if (raw === '') continue;
    const value = field === 'country' ? raw.toUpperCase() : raw;
    attributes.push({ oid: spec.oid, shortName: spec.shortName, value, stringType: spec.stringType, isAppId });
  }
  if (placement === 'oid') {
    attributes.push({ oid: OID.dsmAppId, shortName: OID.dsmAppId, value: appId, stringType: oidStringType, isAppId: true });
  }
  return attributes;
}

/**
 * A value as OpenSSL 3's default name printing writes it: quoted when it has one of , + < > ;
 * or a leading space or #, or a trailing space; backslash and double quote escaped with a backslash
 * (a quote alone does not make OpenSSL quote the value); control characters and bytes beyond
 * ASCII as \XX hex (of their UTF-8).
 */
function opensslValue(value: string): string {
  const needsQuotes = /[,+<>;]/.test(value) || /^[ #]/.test(value) || / $/.test(value);
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '\\' || char === '"') out += `\\${char}`;
    // Control characters (possible in certificates made elsewhere) and bytes beyond ASCII: \XX.
    else if (code < 0x20 || code >= 0x7f)
      out += Array.from(new TextEncoder().encode(char), (b) => `\\${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    else out += char;
  }
  return needsQuotes ? `"${out}"` : out;
}

/** The subject exactly as `openssl x509 -noout -subject` prints it, after "subject=". */
export function formatSubject(attributes: Pick<SubjectAttribute, 'shortName' | 'value'>[]): string {
  return attributes.map((a) => `${a.shortName} = ${opensslValue(a.value)}`).join(', ');
}

export type SubjectLineError = 'subject-no-slash' | 'subject-unknown-attribute' | 'subject-repeated-attribute';

/**
 * Reads OpenSSL's `-subj` syntax, `/C=US/O=Example Corp/CN=name`, into fields (for the CLI).
 * `\/` keeps a slash inside a value.
 */
export function parseSubjectLine(line: string): Result<SubjectFields, SubjectLineError> {
  const fields: SubjectFields = { ...EMPTY_SUBJECT };
  if (!line.startsWith('/')) return failure('subject-no-slash', 'The subject must start with "/", like /C=US/O=Example/CN=name.');
  const parts = line
    .slice(1)
    .split(/(?<!\\)\//)
    .filter((p) => p !== '');
  const seen = new Set<SubjectField>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq) : part;
    const field = FIELD_BY_SHORT_NAME[name];
    if (eq <= 0 || !field) {
      return failure(
        'subject-unknown-attribute',
        `Unknown subject attribute "${name}": use C, ST, L, O, OU, CN or emailAddress (the app UUID goes in with --placement).`,
      );
    }
    // Silently keeping only the last of two values would lose what the user typed.
    if (seen.has(field))
      return failure(
        'subject-repeated-attribute',
        `${name} appears twice: appcert writes one value per attribute, so keep only one ${name}=.`,
      );
    seen.add(field);
    fields[field] = part.slice(eq + 1).replaceAll('\\/', '/');
  }
  return success(fields);
}
