import { OID } from '../plain/oids';
import { isUuid, looksLikeUuidAttempt, parseAppId } from '../plain/uuid';
import { MESSAGES, problem, warning, type Problem, type Warning } from './findings';
import type { NameAttribute } from '../name/decode';

/**
 * Where the app UUID was found in the subject (Fortanix's mutual-TLS guide, sections 3.6.1 and
 * 3.6.2); 'misplaced' when a UUID is only where DSM does not read it (OU, O, a subject alternative name...).
 */
export type AppIdLocation = 'cn' | 'oid' | 'both' | 'none' | 'conflict' | 'malformed' | 'misplaced';

/** A text subject alternative name (see inspect.ts). */
export interface TextAltName {
  type: 'DNS' | 'email' | 'URI';
  value: string;
}

export interface LocatedAppId {
  /** Lower case; null unless exactly one UUID is embedded correctly. */
  appId: string | null;
  location: AppIdLocation;
  /** Indices of the subject attributes that hold (or attempt) the UUID, to highlight them. */
  attributes: number[];
  /** Where a UUID sits that DSM does not read, when there is no app UUID where it does. */
  elsewhere: { where: string; value: string } | null;
  problems: Problem[];
  warnings: Warning[];
}

/** A UUID anywhere in a text (OU = "app da7f2800-...", URI urn:uuid:...). */
const UUID_INSIDE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The first UUID in a subject attribute DSM does not read, or else in a subject alternative name. */
function findElsewhere(subject: NameAttribute[], altNames: TextAltName[]): { where: string; value: string; index: number | null } | null {
  const index = subject.findIndex((a) => a.oid !== OID.commonName && a.oid !== OID.dsmAppId && UUID_INSIDE.test(a.value));
  if (index >= 0) return { where: subject[index].shortName, value: subject[index].value.match(UUID_INSIDE)![0].toLowerCase(), index };
  const alt = altNames.find((n) => UUID_INSIDE.test(n.value));
  return alt
    ? { where: `the subject alternative name (${alt.type})`, value: alt.value.match(UUID_INSIDE)![0].toLowerCase(), index: null }
    : null;
}

/** String types a DSM-side comparison can be expected to read as text. */
const COMMON_STRING_TYPES = new Set(['UTF8String', 'PrintableString', 'IA5String']);

/**
 * Finds the app UUID in a subject: as the CN (a CN that is a hostname is simply not the app id),
 * as the OID attribute (whose value must be a UUID), or both. The issuer's name is looked at only
 * to warn about a decoy; the extension flag only to explain a misplaced OID.
 */
export function locateAppId(
  subject: NameAttribute[],
  issuer: NameAttribute[] | null,
  appIdExtension: boolean,
  altNames: TextAltName[] = [],
): LocatedAppId {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const attributes: number[] = [];
  const found: { place: 'cn' | 'oid'; value: string }[] = [];
  let malformed = false;

  subject.forEach((a, index) => {
    const isCn = a.oid === OID.commonName;
    if (!isCn && a.oid !== OID.dsmAppId) return;
    const value = a.value.trim();
    if (isUuid(value) && value === a.value) {
      attributes.push(index);
      found.push({ place: isCn ? 'cn' : 'oid', value });
      if (!COMMON_STRING_TYPES.has(a.stringType)) warnings.push(warning('uncommon-string-type', MESSAGES.uncommonStringType(a.stringType)));
    } else if (!isCn || looksLikeUuidAttempt(a.value)) {
      attributes.push(index);
      malformed = true;
      // The trimmed value read as a typed UUID: refused with its reason, or else only the white space around it is wrong.
      const read = parseAppId(value);
      const reason = read.ok ? 'it has white space around it.' : read.message;
      problems.push(problem('malformed-uuid', isCn ? MESSAGES.malformed('CN', a.value, reason) : MESSAGES.oidNotUuid(a.value)));
    }
  });

  if (found.some((f) => f.value !== f.value.toLowerCase())) warnings.push(warning('uppercase-uuid', MESSAGES.uppercase));
  const distinct = [...new Set(found.map((f) => f.value.toLowerCase()))];
  const places = new Set(found.map((f) => f.place));

  if (distinct.length > 1) {
    problems.push(problem('uuid-conflict', MESSAGES.conflict(distinct)));
    return { appId: null, location: 'conflict', attributes, elsewhere: null, problems, warnings };
  }
  if (malformed) return { appId: null, location: 'malformed', attributes, elsewhere: null, problems, warnings };
  if (distinct.length === 1) {
    return { appId: distinct[0], location: places.size === 2 ? 'both' : [...places][0], attributes, elsewhere: null, problems, warnings };
  }

  const elsewhere = appIdExtension ? null : findElsewhere(subject, altNames);
  if (elsewhere) {
    if (elsewhere.index !== null) attributes.push(elsewhere.index);
    problems.push(
      problem(
        'uuid-in-wrong-attribute',
        MESSAGES.wrongAttribute(elsewhere.value, elsewhere.where),
        MESSAGES.wrongAttributeSummary(elsewhere.where),
      ),
    );
    const { where, value } = elsewhere;
    return { appId: null, location: 'misplaced', attributes, elsewhere: { where, value }, problems, warnings };
  }
  if (appIdExtension) {
    problems.push(problem('oid-in-wrong-place', MESSAGES.oidInWrongPlace));
  } else {
    problems.push(problem('no-app-id', MESSAGES.noAppId));
  }
  const decoy = issuer?.find((a) => (a.oid === OID.commonName || a.oid === OID.dsmAppId) && isUuid(a.value.trim()));
  if (decoy) warnings.push(warning('oid-in-issuer-only', MESSAGES.issuerOnly(decoy.value.trim())));
  return { appId: null, location: 'none', attributes, elsewhere: null, problems, warnings };
}
