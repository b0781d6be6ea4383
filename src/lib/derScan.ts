import type { Bytes } from './plain/bytes';
import { formatCount, type WorkBudget } from './budget';

/**
 * A lean look at DER before asn1js and pkijs build objects for it: one pass, no recursion, no
 * allocation per element. It counts elements and OID components (charged to the file's budget)
 * and refuses what no real file has (nesting deeper than `MAX_DER_DEPTH`, an OID with more than
 * `MAX_OID_ARCS` components). asn1js spends about 1 KB and a few microseconds per element and
 * per OID component, so a 1 MiB OID of a million components would cost 1.6 GB.
 *
 * The contents of every primitive OCTET STRING and BIT STRING are looked into too, as asn1js 4
 * does ("embedded" parsing: it tries each as BER and keeps what parses); when one turns out not
 * to be DER, the scan leaves it, keeping the count. Damage is not judged here: the scan stops at
 * it and the parser reports it.
 */

/** Real certificates nest about 10 deep, PKCS#12 files about 20 with the encapsulated parts. */
export const MAX_DER_DEPTH = 64;
/** Real OIDs have under 20 components (2.25.<UUID> OIDs have 3, with one large component). */
export const MAX_OID_ARCS = 128;
/**
 * Elements in one structure, encapsulated ones included: a certificate has 100–500. asn1js 4
 * itself stops at 10,000 per parse (and 100 levels), which a bundle of about 200 certificates
 * reaches; above twice that, the file is refused here as too much work rather than as damaged.
 */
export const MAX_STRUCTURE_NODES = 20_000;

interface Header {
  constructed: boolean;
  universalTag: number | null;
  contentStart: number;
  /** -1 for the indefinite length of BER. */
  length: number;
}

/** The tag and length at `pos`, or null when they do not fit before `end`. */
function readHeader(der: Bytes, pos: number, end: number): Header | null {
  if (pos + 2 > end) return null;
  const first = der[pos++];
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = -1; // high tag numbers are never universal types appcert looks into
    for (let n = 0; ; n++) {
      if (pos >= end || n > 8) return null;
      if ((der[pos++] & 0x80) === 0) break;
    }
  }
  if (pos >= end) return null;
  const lengthByte = der[pos++];
  let length = lengthByte;
  if (lengthByte === 0x80) length = -1;
  else if (lengthByte > 0x80) {
    const bytes = lengthByte & 0x7f;
    if (bytes > 6 || pos + bytes > end) return null;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[pos++];
  }
  const constructed = (first & 0x20) !== 0;
  if (length === -1 ? !constructed : pos + length > end) return null;
  return { constructed, universalTag: (first & 0xc0) === 0 && tag >= 0 ? tag : null, contentStart: pos, length };
}

const OBJECT_IDENTIFIER = 6;
const RELATIVE_OID = 13;
const BIT_STRING = 3;
const OCTET_STRING = 4;

interface Frame {
  end: number;
  indefinite: boolean;
  /** Inside an OCTET or BIT STRING that only looked like DER: damage means "not DER after all". */
  lenient: boolean;
}

/** What one scan found (also charged to the budget). */
export interface DerShape {
  nodes: number;
  oidArcs: number;
  depth: number;
}

/**
 * Scans the first DER (or BER) element of `der` and charges its elements and OID components to
 * `budget`; throws `TooMuchWork` (see budget.ts) for absurd structure or an exhausted budget.
 */
export function scanDer(der: Bytes, budget: WorkBudget): DerShape {
  const stack: Frame[] = [{ end: der.length, indefinite: false, lenient: false }];
  let pos = 0;
  let nodes = 0;
  let oidArcs = 0;
  let depth = 0;
  for (;;) {
    let top = stack[stack.length - 1];
    while (stack.length > 1 && !top.indefinite && pos >= top.end) {
      stack.pop();
      top = stack[stack.length - 1];
    }
    if (stack.length === 1 && nodes > 0) break; // the first element is complete
    const header = readHeader(der, pos, top.end);
    if (header !== null && top.indefinite && header.length === 0 && header.universalTag === 0 && !header.constructed) {
      pos = header.contentStart; // end-of-contents of an indefinite length
      stack.pop();
      continue;
    }
    if (header === null) {
      let lenient = stack.length - 1;
      while (lenient >= 0 && !stack[lenient].lenient) lenient -= 1;
      if (lenient < 0) break; // damaged: the parser will say so
      pos = stack[lenient].end;
      stack.length = lenient;
      continue;
    }
    nodes += 1;
    if (nodes > MAX_STRUCTURE_NODES)
      budget.refuse(
        'der-nodes',
        `one of its DER structures has more than ${formatCount(MAX_STRUCTURE_NODES)} elements (a certificate has a few hundred)`,
      );
    depth = Math.max(depth, stack.length);
    if (stack.length > MAX_DER_DEPTH)
      budget.refuse('der-nodes', `its DER structure is nested more than ${MAX_DER_DEPTH} levels deep (real certificates nest about 10)`);
    const contentEnd = header.length === -1 ? top.end : header.contentStart + header.length;
    if (header.constructed) {
      stack.push({ end: contentEnd, indefinite: header.length === -1, lenient: false });
      pos = header.contentStart;
      continue;
    }
    const tag = header.universalTag;
    if (tag === OBJECT_IDENTIFIER || tag === RELATIVE_OID) {
      let arcs = 0;
      for (let i = header.contentStart; i < contentEnd; i++) if ((der[i] & 0x80) === 0) arcs += 1;
      if (arcs > MAX_OID_ARCS)
        budget.refuse(
          'oid-arcs',
          `it holds an OID with ${formatCount(arcs)} components (real OIDs have fewer than 20; appcert reads up to ${MAX_OID_ARCS})`,
        );
      oidArcs += arcs;
    }
    // Embedded BER, as asn1js tries it: any OCTET STRING, a BIT STRING with no unused bits.
    const inner =
      tag === OCTET_STRING ? header.contentStart : tag === BIT_STRING && der[header.contentStart] === 0 ? header.contentStart + 1 : -1;
    if (inner >= 0 && inner + 2 <= contentEnd) {
      stack.push({ end: contentEnd, indefinite: false, lenient: true });
      pos = inner;
      continue;
    }
    pos = contentEnd;
  }
  budget.spend('der-nodes', nodes, () => `${formatCount(nodes)} DER elements in one structure`);
  budget.spend('oid-arcs', oidArcs, () => `${formatCount(oidArcs)} OID components in one structure`);
  return { nodes, oidArcs, depth };
}
