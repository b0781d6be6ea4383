/**
 * Structure-aware mutation of DER files for the differential test: a seeded generator changes
 * fields, lengths, tags, times, string types and algorithm identifiers the way damaged and odd
 * real-world files differ from good ones, so each mutant is a question to ask OpenSSL and Python.
 */

/** mulberry32: a small seeded PRNG, so every mutant can be made again from its number. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { int, pick, bytes };
}
export type Rng = ReturnType<typeof random>;

/** A DER node: primitive (content) or constructed (children). */
interface Node {
  tag: number;
  content?: Uint8Array;
  children?: Node[];
}

function parse(der: Uint8Array, start = 0, end = der.length): Node[] | null {
  const nodes: Node[] = [];
  let at = start;
  while (at < end) {
    if (at + 2 > end) return null;
    const tag = der[at];
    let length = der[at + 1];
    let content = at + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3) return null;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + der[content + i];
      content += count;
    }
    if (content + length > end) return null;
    const constructed = (tag & 0x20) !== 0;
    const children = constructed ? parse(der, content, content + length) : null;
    if (constructed && !children) return null;
    nodes.push(constructed ? { tag, children: children! } : { tag, content: der.slice(content, content + length) });
    at = content + length;
  }
  return nodes;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return [0x80 | out.length, ...out];
}

function serialize(node: Node): Uint8Array {
  const content = node.children ? concat(node.children.map(serialize)) : node.content!;
  return concat([Uint8Array.from([node.tag, ...lengthBytes(content.length)]), content]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function all(nodes: Node[], out: Node[] = []): Node[] {
  for (const n of nodes) {
    out.push(n);
    if (n.children) all(n.children, out);
  }
  return out;
}

function parents(nodes: Node[], out: Node[] = []): Node[] {
  for (const n of nodes) {
    if (n.children) {
      out.push(n);
      parents(n.children, out);
    }
  }
  return out;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** Time contents of every form OpenSSL, Python and RFC 5280 disagree about. */
const TIMES = [
  '250101000000Z',
  '491231235959Z',
  '500101000000Z',
  '2501010000Z',
  '25010100000Z',
  '250101000000',
  '25O101000000Z',
  '251301000000Z',
  '250230000000Z',
  '250229000000Z',
  '240229000000Z',
  '251231235960Z',
  '250101000000+0100',
  '250101000000-1300',
  '250101000000+01',
  '20250101000000Z',
  '20250101000000.5Z',
  '20250101000000.Z',
  '2025010100Z',
  '202501010000Z',
  '99991231235959Z',
  '19500101000000Z',
  '00000101000000Z',
  '2025-01-01T00:00Z',
  '',
  'Z',
  '250101000000z',
  ' 250101000000Z',
  '250101000000Z\u0000',
];

/** String contents: escapes OpenSSL prints, non-ASCII, invalid UTF-8, control characters, an app UUID. */
const STRINGS: Uint8Array[] = [
  ascii('Example'),
  ascii(' lead'),
  ascii('trail '),
  ascii('#hash'),
  ascii('a,b+c<d>e;f'),
  ascii('quote"back\\slash'),
  ascii(''),
  new TextEncoder().encode('Müller ✓ 𝔘'),
  Uint8Array.from([0x43, 0x61, 0x66, 0xe9]),
  Uint8Array.from([0xc3]),
  Uint8Array.from([0xed, 0xa0, 0x80]),
  Uint8Array.from([0x00, 0x41]),
  Uint8Array.from([0x1b, 0x5b, 0x33, 0x31, 0x6d]),
  ascii('da7f2800-4122-4681-aebf-90beb779b73f'),
  Uint8Array.from([0x7f, 0x80, 0xff]),
];
const STRING_TAGS = [0x0c, 0x13, 0x14, 0x16, 0x1e, 0x1c, 0x12, 0x1a, 0x15, 0x19, 0x1b, 0x04, 0x30];

/** OIDs to swap in: weak and odd signature algorithms, name attributes, nonsense. */
const OIDS = [
  '1.2.840.113549.1.1.2',
  '1.2.840.113549.1.1.3',
  '1.2.840.113549.1.1.4',
  '1.2.840.113549.1.1.5',
  '1.2.840.113549.1.1.11',
  '1.2.840.113549.1.1.10',
  '1.2.840.113549.1.1.14',
  '1.3.14.3.2.29',
  '1.3.14.3.2.3',
  '1.3.14.3.2.27',
  '1.2.840.10040.4.3',
  '1.2.840.10045.4.1',
  '1.2.840.10045.4.3.2',
  '1.3.101.112',
  '1.3.101.113',
  '1.2.3.4',
  '2.5.4.3',
  '2.5.4.10',
  '2.5.4.97',
  '2.5.4.45',
  '1.3.6.1.4.1.311.60.2.1.3',
  '1.2.643.100.1',
  '0.9.2342.19200300.100.1.25',
  '1.3.6.1.4.1.49690.1.2.1',
  '1.2.840.113549.1.9.1',
  '2.5.29.19',
  '2.5.29.37',
  '1.2.840.10045.2.1',
  '1.2.840.113549.1.1.1',
];

function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  for (const arc of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

type TreeMutation = (nodes: Node[], rng: Rng) => boolean;

const TREE_MUTATIONS: Record<string, TreeMutation> = {
  time: (nodes, rng) => {
    const times = all(nodes).filter((n) => n.tag === 0x17 || n.tag === 0x18);
    if (times.length === 0) return false;
    const node = rng.pick(times);
    const text = rng.pick(TIMES);
    node.tag = text.length >= 15 && /^\d{14}/.test(text) ? 0x18 : rng.int(4) === 0 ? 0x18 : 0x17;
    node.content = ascii(text);
    return true;
  },
  string: (nodes, rng) => {
    const strings = all(nodes).filter((n) => [0x0c, 0x13, 0x14, 0x16, 0x1e, 0x1c].includes(n.tag));
    if (strings.length === 0) return false;
    const node = rng.pick(strings);
    if (rng.int(2) === 0) node.tag = rng.pick(STRING_TAGS);
    if (node.tag === 0x30) node.children = [{ tag: 0x02, content: Uint8Array.from([5]) }];
    else node.content = rng.int(3) === 0 ? node.content : rng.pick(STRINGS);
    return true;
  },
  oid: (nodes, rng) => {
    const oids = all(nodes).filter((n) => n.tag === 0x06);
    if (oids.length === 0) return false;
    rng.pick(oids).content = encodeOid(rng.pick(OIDS));
    return true;
  },
  tag: (nodes, rng) => {
    const primitives = all(nodes).filter((n) => n.content);
    if (primitives.length === 0) return false;
    rng.pick(primitives).tag = rng.pick([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x80, 0x81, 0x82]);
    return true;
  },
  dropChild: (nodes, rng) => {
    const withChildren = parents(nodes).filter((n) => n.children!.length > 0);
    if (withChildren.length === 0) return false;
    const node = rng.pick(withChildren);
    node.children!.splice(rng.int(node.children!.length), 1);
    return true;
  },
  duplicateChild: (nodes, rng) => {
    const withChildren = parents(nodes).filter((n) => n.children!.length > 0);
    if (withChildren.length === 0) return false;
    const node = rng.pick(withChildren);
    const at = rng.int(node.children!.length);
    node.children!.splice(at, 0, node.children![at]);
    return true;
  },
  integer: (nodes, rng) => {
    const integers = all(nodes).filter((n) => n.tag === 0x02);
    if (integers.length === 0) return false;
    rng.pick(integers).content = rng.pick([
      new Uint8Array(0),
      Uint8Array.from([0]),
      Uint8Array.from([0xff]),
      Uint8Array.from([0, 0, 1]),
      new Uint8Array(40).fill(0x7f),
    ]);
    return true;
  },
};

type ByteMutation = (der: Uint8Array, rng: Rng) => Uint8Array;

const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  flip: (der, rng) => {
    const out = der.slice();
    out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  },
  length: (der, rng) => {
    // A length byte that lies: find a TLV start by walking a random path.
    const out = der.slice();
    const at = 1 + 2 * rng.int(Math.max(1, Math.floor(out.length / 2) - 1));
    out[at] = (out[at] + rng.pick([1, -1, 2, -2, 0x80, 0x7f])) & 0xff;
    return out;
  },
  truncate: (der, rng) => der.slice(0, rng.int(der.length)),
  append: (der, rng) => concat([der, Uint8Array.from({ length: 1 + rng.int(4) }, () => rng.int(256))]),
};

export const MUTATION_NAMES = [...Object.keys(TREE_MUTATIONS), ...Object.keys(BYTE_MUTATIONS)];

/**
 * Mutations that can turn a PKCS#12 iteration count into millions (integers, lengths, duplicated
 * fields) are left out for PKCS#12: the budget tests cover those, and the peers would take minutes.
 */
const NOT_FOR_PKCS12 = new Set(['integer', 'duplicateChild', 'length', 'append']);

/** One mutant of `der` and the names of the mutations applied (weighted toward structure-aware ones). */
export function mutate(der: Uint8Array, rng: Rng, pkcs12 = false): { der: Uint8Array; applied: string[] } {
  const applied: string[] = [];
  const rounds = 1 + rng.int(2);
  let out = der;
  const allowed = (name: string) => !pkcs12 || !NOT_FOR_PKCS12.has(name);
  for (let i = 0; i < rounds; i++) {
    const names = Object.keys(TREE_MUTATIONS).filter(allowed);
    if (rng.int(4) !== 0) {
      const nodes = parse(out);
      const name = rng.pick(names);
      if (nodes && TREE_MUTATIONS[name](nodes, rng)) {
        out = concat(nodes.map(serialize));
        applied.push(name);
        continue;
      }
    }
    const name = rng.pick(Object.keys(BYTE_MUTATIONS).filter(allowed));
    out = BYTE_MUTATIONS[name](out, rng);
    applied.push(name);
  }
  return { der: out, applied };
}
