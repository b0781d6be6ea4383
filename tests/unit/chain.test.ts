import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bytes } from '../../src/lib/plain/bytes';
import { chainNotes, orderChain } from '../../src/lib/chain';
import { parsePem } from '../../src/lib/pem';
import { identity } from '../interop/identities';
import { makePki, type TestPki } from '../interop/openssl-ca';
import { tempDir, type TempDir } from '../interop/tools';

// These run OpenSSL and PBKDF2; on a busy two-core machine that can take seconds.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

// Chains made by OpenSSL at test time: root -> issuing CA -> leaf (signed from an appcert CSR).
let dir: TempDir;
let other: TempDir;
let pki: TestPki;
let leaf: Bytes;
let issuing: Bytes;
let root: Bytes;
let secondLeaf: Bytes;
let impostorIssuing: Bytes;

const derOf = async (path: string): Promise<Bytes> => {
  const blocks = parsePem(await readFile(path, 'utf8'));
  if (!blocks.ok) throw new Error(blocks.message);
  return blocks.value[0].der;
};

async function signedLeaf(name: string): Promise<Bytes> {
  const created = await identity({ mode: 'csr' });
  const csr = await dir.write(`${name}.csr`, created.csrPem ?? '');
  return derOf(await pki.sign(csr, `${name}.pem`));
}

beforeAll(async () => {
  dir = await tempDir('appcert-chain-');
  other = await tempDir('appcert-chain-other-');
  pki = await makePki(dir, 'Chain Test');
  leaf = await signedLeaf('leaf');
  secondLeaf = await signedLeaf('leaf2');
  issuing = await derOf(pki.issuing.certificate);
  root = await derOf(pki.root.certificate);
  // The same CA names with other keys, as after a CA re-key: names match, key identifiers do not.
  impostorIssuing = await derOf((await makePki(other, 'Chain Test')).issuing.certificate);
});

afterAll(async () => {
  await dir?.remove();
  await other?.remove();
});

describe('orderChain', () => {
  it('keeps a chain given leaf first', () => {
    const chain = orderChain([leaf, issuing, root]);
    expect(chain).toMatchObject({
      ok: true,
      value: { certificates: [leaf, issuing, root], givenOrder: 'leaf-first', missingIssuer: null, unrelated: [], duplicates: 0 },
    });
  });

  it('turns a root-first bundle around and says it was reversed', () => {
    expect(orderChain([root, issuing, leaf])).toMatchObject({
      ok: true,
      value: { certificates: [leaf, issuing, root], givenOrder: 'reversed' },
    });
  });

  it('orders shuffled certificates', () => {
    expect(orderChain([issuing, leaf, root])).toMatchObject({
      ok: true,
      value: { certificates: [leaf, issuing, root], givenOrder: 'mixed' },
    });
  });

  it('names the missing link when the issuing CA was not given', () => {
    const chain = orderChain([root, leaf]);
    expect(chain).toMatchObject({
      ok: true,
      value: { certificates: [leaf], missingIssuer: 'O = Chain Test, CN = Chain Test Issuing CA', unrelated: [root] },
    });
  });

  it('reports the root as missing when only leaf and issuing CA are given', () => {
    expect(orderChain([issuing, leaf])).toMatchObject({
      ok: true,
      value: { certificates: [leaf, issuing], givenOrder: 'reversed', missingIssuer: 'O = Chain Test, CN = Chain Test Root CA' },
    });
  });

  it('does not link a CA that has the right name but another key', () => {
    const chain = orderChain([leaf, impostorIssuing, root]);
    expect(chain).toMatchObject({
      ok: true,
      value: { certificates: [leaf], missingIssuer: 'O = Chain Test, CN = Chain Test Issuing CA', unrelated: [impostorIssuing, root] },
    });
  });

  it('drops certificates given twice and counts them', () => {
    expect(orderChain([leaf, issuing, leaf, root, issuing])).toMatchObject({
      ok: true,
      value: { certificates: [leaf, issuing, root], duplicates: 2 },
    });
  });

  it('refuses to guess between two leaves, and follows the one it is told is the leaf', () => {
    const guessed = orderChain([leaf, secondLeaf, issuing]);
    expect(guessed.ok).toBe(false);
    if (!guessed.ok) {
      expect(guessed.code).toBe('several-leaves');
      expect(guessed.message).toMatch(/^2 certificates here are end-entity certificates/);
    }
    expect(orderChain([leaf, secondLeaf, issuing], 1)).toMatchObject({
      ok: true,
      value: { certificates: [secondLeaf, issuing], unrelated: [leaf] },
    });
  });

  it('treats a self-signed certificate as a complete chain', async () => {
    const selfSigned = (await identity()).certificate?.der as Bytes;
    expect(orderChain([selfSigned])).toMatchObject({
      ok: true,
      value: { certificates: [selfSigned], givenOrder: 'leaf-first', missingIssuer: null },
    });
  });

  it('says what to add when nothing usable was given', () => {
    expect(orderChain([new Uint8Array([1, 2, 3])])).toMatchObject({
      ok: false,
      code: 'no-certificates',
      message: expect.stringMatching(/add the certificate your CA signed/),
    });
    expect(orderChain([leaf], 5)).toMatchObject({ ok: false, code: 'no-leaf' });
  });
});

describe('chainNotes', () => {
  const notesOf = (certificates: Bytes[]) => {
    const chain = orderChain(certificates);
    if (!chain.ok) throw new Error(chain.message);
    return chainNotes(chain.value).map((n) => `${n.severity}: ${n.message.split(';')[0]}`);
  };

  it('calls a chain that was merely reordered, or given with copies, information', () => {
    expect(notesOf([root, leaf, issuing])).toEqual(['info: The certificates were given out of order']);
    expect(notesOf([root, issuing, leaf])).toEqual(['info: The certificates were given root first']);
    expect(notesOf([leaf, issuing, root, issuing])).toEqual(['info: 1 certificate(s) were given twice']);
    expect(notesOf([leaf, issuing, root])).toEqual([]);
  });

  it('keeps a missing issuer and a certificate that does not belong a warning', () => {
    expect(notesOf([issuing, leaf])).toEqual([
      'info: The certificates were given root first',
      'warning: The chain stops at a certificate issued by "O = Chain Test, CN = Chain Test Root CA", which was not given. That is fine if DSM trusts that CA',
    ]);
    expect(notesOf([leaf, impostorIssuing])).toEqual([
      "warning: 1 certificate(s) given are not part of this certificate's chain and were left out.",
    ]);
  });
});
