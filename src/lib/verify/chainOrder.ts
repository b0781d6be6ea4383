import type { WorkBudget } from '../budget';
import { sameBytes, type Bytes } from '../plain/bytes';
import { orderChain } from '../chain';
import { MESSAGES, warning, type Warning } from './findings';
import type { CertificateFacts } from './inspect';

/** Which certificate of a file is the leaf Verify judges, and in what order the file gives the chain. */

export type ChainOrder = 'single' | 'leaf-first' | 'reversed' | 'unordered';

export interface Leaf {
  index: number;
  /** The certificate that issued the leaf, when the file holds it (its key checks the leaf's signature). */
  issuer: CertificateFacts | undefined;
  order: ChainOrder;
  warnings: Warning[];
  /** The leaf, then each issuer of it among the certificates, in chain order (DER). */
  ordered: Bytes[];
}

export function findLeaf(certificates: CertificateFacts[], budget?: WorkBudget): Leaf {
  if (certificates.length === 1) return { index: 0, issuer: undefined, order: 'single', warnings: [], ordered: [certificates[0].der] };
  const chain = orderChain(
    certificates.map((c) => c.der),
    undefined,
    budget,
  );
  if (!chain.ok) {
    return {
      index: 0,
      issuer: undefined,
      order: 'unordered',
      warnings: [warning('chain-unordered', `${chain.message} The first certificate was judged.`)],
      ordered: [certificates[0].der],
    };
  }
  const [leafDer, issuerDer] = chain.value.certificates;
  // Certificates off the leaf's chain (another leaf, an unrelated CA) make the order "unordered" too.
  const complete = chain.value.certificates.length === certificates.length;
  const order: ChainOrder = !complete || chain.value.givenOrder === 'mixed' ? 'unordered' : chain.value.givenOrder;
  const warnings =
    order === 'reversed'
      ? [warning('chain-order-reversed', MESSAGES.chainReversed)]
      : order === 'unordered'
        ? [warning('chain-unordered', MESSAGES.chainUnordered)]
        : [];
  return {
    index: certificates.findIndex((c) => sameBytes(c.der, leafDer)),
    issuer: issuerDer ? certificates.find((c) => sameBytes(c.der, issuerDer)) : undefined,
    order,
    warnings,
    ordered: chain.value.certificates,
  };
}
