import type { ExistingCertificate, RenewedFrom } from '../../lib/renew';

/** A Create result that renews a certificate: what it renewed and whether it kept the key. */
export interface Renewal {
  existing: ExistingCertificate;
  renewedFrom: RenewedFrom;
  keptKey: boolean;
}
