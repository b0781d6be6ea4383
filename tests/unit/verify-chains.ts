import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Chains whose CA fails (an expired intermediate, an altered root), made by the checked-in OpenSSL script into `dir`. */
export function makeChainFixtures(dir: string): void {
  execFileSync('bash', [join(import.meta.dirname, '..', 'fixtures', 'make-verify-chains.sh'), dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export const EXPIRED_CA_CHAIN = ['expired-ca-leaf.pem', 'expired-ca-intermediate.pem', 'expired-ca-root.pem'];
export const ALTERED_CA_CHAIN = ['altered-ca-leaf.pem', 'altered-ca-intermediate.pem', 'altered-ca-root.pem'];

/**
 * A hostile batch for chain grouping: `leaves` copies of a CA-issued leaf, each waiting for an
 * issuer named like its intermediate, then `impostors` self-signed certificates with that name that
 * signed none of them. Linking them all would cost leaves × impostors signature checks; the grouping
 * budget grows with the number of files, so it stops instead.
 */
export function sameNameFlood(
  read: (name: string) => Uint8Array,
  leaves = 100,
  impostors = 50,
): { name: string; mimeType: string; buffer: Buffer }[] {
  const leaf = Buffer.from(read('chain-part-leaf.pem'));
  const impostor = Buffer.from(read('impostor-intermediate.pem'));
  return [
    ...Array.from({ length: leaves }, (_, i) => ({ name: `leaf-${i}.pem`, mimeType: 'application/x-pem-file', buffer: leaf })),
    ...Array.from({ length: impostors }, (_, i) => ({ name: `impostor-${i}.pem`, mimeType: 'application/x-pem-file', buffer: impostor })),
  ];
}
