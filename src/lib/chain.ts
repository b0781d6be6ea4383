import type { Bytes } from './plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { WorkBudget } from './budget';
import { toHex } from './plain/bytes';
import { OID } from './plain/oids';
import { toPem } from './pem';
import { info, warning, type Note } from './plain/note';
import { failure, success, type Result } from './plain/result';
import { decodeName, formatName } from './name/decode';

/**
 * Orders a leaf certificate and its CA certificates, given in any order (CAs send them root first,
 * leaf first, or as separate files), into the order TLS sends them: leaf, then each issuer in turn.
 */

export interface OrderedChain {
  /** DER, leaf first, then the certificate that issued it, and so on up to the root if it was given. */
  certificates: Bytes[];
  /** How the chain's certificates were given: already leaf first, exactly reversed (root first), or shuffled. */
  givenOrder: 'leaf-first' | 'reversed' | 'mixed';
  /** The issuer of the last certificate when that is not self-issued and its issuer was not given. */
  missingIssuer: string | null;
  /** Certificates that were given but are not on the leaf's chain (another leaf, an unrelated CA). */
  unrelated: Bytes[];
  /** How many certificates were given more than once (the copies are dropped). */
  duplicates: number;
}

export type ChainError = 'no-certificates' | 'no-leaf' | 'several-leaves';

/** A parsed X.509 certificate, or null when the bytes are not one. */
export function readCertificate(der: Bytes): pkijs.Certificate | null {
  try {
    return pkijs.Certificate.fromBER(der);
  } catch {
    return null;
  }
}

/** A name as OpenSSL prints it ("O = Example, CN = Example Issuing CA"), for messages about links. */
export const describeName = (name: pkijs.RelativeDistinguishedNames): string => formatName(decodeName(name)) || '(empty name)';

function extensionValue(certificate: pkijs.Certificate, oid: string): unknown {
  return certificate.extensions?.find((e) => e.extnID === oid)?.parsedValue;
}

const keyIdHex = (value: unknown): string | null =>
  value instanceof asn1js.OctetString ? toHex(new Uint8Array(value.valueBlock.valueHexView)) : null;

/**
 * True when `parent` issued `child`: the names link up and, when both certificates carry key
 * identifiers, those agree too (a CA renewed under the same name has a new key id).
 */
export function issuedBy(child: pkijs.Certificate, parent: pkijs.Certificate): boolean {
  if (!child.issuer.isEqual(parent.subject)) return false;
  const authority = extensionValue(child, OID.authorityKeyIdentifier);
  const authorityId = authority instanceof pkijs.AuthorityKeyIdentifier ? keyIdHex(authority.keyIdentifier) : null;
  const subjectId = keyIdHex(extensionValue(parent, OID.subjectKeyIdentifier));
  return authorityId === null || subjectId === null || authorityId === subjectId;
}

const isCa = (certificate: pkijs.Certificate): boolean => {
  const constraints = extensionValue(certificate, OID.basicConstraints);
  return constraints instanceof pkijs.BasicConstraints && constraints.cA === true;
};

export const isSelfIssued = (certificate: pkijs.Certificate) => certificate.subject.isEqual(certificate.issuer);

/**
 * A key that is equal for names pkijs's `isEqual` calls equal (same types; strings compared after
 * trimming, collapsing spaces and lower-casing; other values by their bytes), so equal names land
 * in one bucket of the index. Canonically equivalent Unicode is folded too, since `isEqual` compares
 * with `localeCompare`. Each bucket is still checked with `issuedBy`.
 */
export function nameKey(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map(({ type, value }) => {
      const text = (value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      const folded =
        typeof text === 'string'
          ? `s${text.trim().replace(/ +/g, ' ').normalize('NFKC').toLowerCase()}`
          : `b${toHex(new Uint8Array(value.valueBeforeDecodeView))}`;
      return `${type}=${folded}`;
    })
    .join('\u0000');
}

/** Certificates grouped by the key of one of their names. */
function indexBy<T>(items: T[], name: (item: T) => pkijs.RelativeDistinguishedNames): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const key = nameKey(name(item));
    const bucket = index.get(key);
    if (bucket) bucket.push(item);
    else index.set(key, [item]);
  }
  return index;
}

function givenOrder(positions: number[]): OrderedChain['givenOrder'] {
  const ascending = positions.every((p, i) => i === 0 || p > positions[i - 1]);
  if (ascending) return 'leaf-first';
  return positions.every((p, i) => i === 0 || p < positions[i - 1]) ? 'reversed' : 'mixed';
}

/**
 * Orders `certificates` (all of which must parse; see `readCertificate`) from the leaf up.
 * `leaf` is the index of the end-entity certificate when the caller knows it (e.g. the one its
 * private key matches); otherwise the leaf is the one certificate that issued none of the others.
 * Issuers are found through an index by name, so the work grows with the number of certificates,
 * not its square; each certificate read and each candidate looked at is charged to `budget`.
 */
export function orderChain(certificates: Bytes[], leaf?: number, budget: WorkBudget = new WorkBudget()): Result<OrderedChain, ChainError> {
  const seen = new Set<string>();
  const given: { der: Bytes; certificate: pkijs.Certificate; position: number }[] = [];
  let duplicates = 0;
  const step = (n = 1) =>
    budget.spend('chain-steps', n, () => `more chain-ordering steps for its ${certificates.length.toLocaleString('en-US')} certificates`);
  certificates.forEach((der, position) => {
    step();
    const key = toHex(der);
    const certificate = readCertificate(der);
    if (certificate === null) return;
    if (seen.has(key)) duplicates += 1;
    else given.push({ der, certificate, position });
    seen.add(key);
  });
  if (given.length === 0) {
    return failure('no-certificates', 'No certificate was given: add the certificate your CA signed (and its chain, if the CA sent one).');
  }

  type Given = (typeof given)[number];
  const bySubject = indexBy(given, (g) => g.certificate.subject);
  const byIssuer = indexBy(given, (g) => g.certificate.issuer);
  /** The certificates whose `name` (subject or issuer) may equal `of`. */
  const candidates = (index: Map<string, Given[]>, of: pkijs.RelativeDistinguishedNames): Given[] => {
    const bucket = index.get(nameKey(of)) ?? [];
    step(bucket.length);
    return bucket;
  };

  let start = leaf === undefined ? undefined : given.find((g) => g.position === leaf);
  if (leaf !== undefined && start === undefined) {
    return failure('no-leaf', 'The certificate chosen as the leaf is not among those given.');
  }
  if (start === undefined) {
    const leaves = given.filter(
      (g) =>
        !candidates(byIssuer, g.certificate.subject).some(
          (other) => other !== g && !isSelfIssued(other.certificate) && issuedBy(other.certificate, g.certificate),
        ),
    );
    // Among several, a CA certificate (e.g. of another CA with the same name) is not the leaf.
    const endEntities = leaves.filter((g) => !isCa(g.certificate));
    const found = leaves.length > 1 && endEntities.length > 0 ? endEntities : leaves;
    if (found.length !== 1) {
      const shown = found
        .slice(0, 5)
        .map((g) => describeName(g.certificate.subject))
        .join('; ');
      return found.length === 0
        ? failure(
            'no-leaf',
            'These certificates issue one another in a circle, so none of them is the end-entity certificate. Check that the right files were chosen.',
          )
        : failure(
            'several-leaves',
            `${found.length} certificates here are end-entity certificates (${shown}${found.length > 5 ? '; …' : ''}). Give one client certificate with its own CA certificates only.`,
          );
    }
    start = found[0];
  }

  const chain = [start];
  const onChain = new Set(chain);
  let missingIssuer: string | null = null;
  for (let current = start; !isSelfIssued(current.certificate);) {
    const parent = candidates(bySubject, current.certificate.issuer).find(
      (g) => !onChain.has(g) && issuedBy(current.certificate, g.certificate),
    );
    if (!parent) {
      missingIssuer = describeName(current.certificate.issuer);
      break;
    }
    chain.push(parent);
    onChain.add(parent);
    current = parent;
  }

  return success({
    certificates: chain.map((g) => g.der),
    givenOrder: givenOrder(chain.map((g) => g.position)),
    missingIssuer,
    unrelated: given.filter((g) => !onChain.has(g)).map((g) => g.der),
    duplicates,
  });
}

/**
 * Notes on how a chain was given. A chain that was merely given out of order, or with copies, is
 * information: appcert fixed it. A missing issuer or a certificate that does not belong is a
 * warning: the user may need to add or remove a file.
 */
export function chainNotes(chain: OrderedChain, unrelatedKept = false): Note[] {
  const notes: Note[] = [];
  if (chain.certificates.length > 1 && chain.givenOrder !== 'leaf-first') {
    notes.push(
      info(
        `The certificates were given ${chain.givenOrder === 'reversed' ? 'root first' : 'out of order'}; they are now ordered leaf first, then each issuer, as TLS clients send them.`,
      ),
    );
  }
  if (chain.missingIssuer !== null && chain.certificates.length > 1) {
    notes.push(
      warning(
        `The chain stops at a certificate issued by "${chain.missingIssuer}", which was not given. That is fine if DSM trusts that CA; otherwise add its certificate.`,
      ),
    );
  }
  if (chain.unrelated.length > 0) {
    notes.push(
      warning(
        `${chain.unrelated.length} certificate(s) given are not part of this certificate's chain and ${unrelatedKept ? 'are kept after it' : 'were left out'}.`,
      ),
    );
  }
  if (chain.duplicates > 0) notes.push(info(`${chain.duplicates} certificate(s) were given twice; the copies were dropped.`));
  return notes;
}

/** The chain as one PEM text, leaf first (what `curl --cert` and most servers want). */
export const chainPem = (certificates: Bytes[]): string => certificates.map((der) => toPem(der, 'CERTIFICATE')).join('');
