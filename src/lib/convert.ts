import { isTooMuchWork, WorkBudget } from './budget';
import type { Bytes } from './plain/bytes';
import { orderChain, readCertificate, type ChainError, type OrderedChain } from './chain';
import { findAppId, summarizeCertificate, validityNotes, type CertificateSummary } from './certificateSummary';
import { chainNotes, chainPem } from './chain';
import { importPrivateKey } from './keyFile';
import { readPkcs12, type Pkcs12Contents, type Pkcs12ReadError } from './pkcs12';
import { encryptedPrivateKeyPem, encryptPkcs8, exportPkcs8, tooMuchWork } from './privateKey';
import { warning, type Note } from './plain/note';
import { failure, success, type Result } from './plain/result';
import { toPem } from './pem';
import type { AppId } from './plain/uuid';

/** Converting an existing PKCS#12 file: open it (any profile appcert reads), then re-export it. */

export interface OpenedPkcs12 {
  /** The DSM app UUID the certificate carries (CN or OID), if any. */
  appId: AppId | null;
  foundIn: 'cn' | 'oid' | null;
  /** The private key (extractable, for re-export), kept in memory only. */
  privateKey: CryptoKey;
  chain: OrderedChain;
  /** The chain, leaf first, then any other certificates the file held: what a re-export writes. */
  certificates: Bytes[];
  summaries: CertificateSummary[];
  /** The certificates of the file that are not on the key's chain (kept, not dropped). */
  others: CertificateSummary[];
  /** Chain order fixed (info), unrelated certificates and expiry (warnings). */
  notes: Note[];
  legacy: boolean;
  algorithms: Pkcs12Contents['algorithms'];
  friendlyName: string | null;
  certificatePem: string;
  /** Every certificate, in the order of `certificates`. */
  chainPem: string;
}

export type OpenPkcs12Error = Pkcs12ReadError | ChainError | 'no-key' | 'no-certificate' | 'unsupported-key';

/** Opens a PKCS#12 file for re-export; all its work shares one budget (`deps.budget`, see budget.ts). */
export async function openPkcs12(
  der: Bytes,
  password: string,
  deps: { crypto?: Crypto; now?: Date; budget?: WorkBudget } = {},
): Promise<Result<OpenedPkcs12, OpenPkcs12Error>> {
  try {
    return await open(der, password, deps, deps.budget ?? new WorkBudget());
  } catch (error) {
    if (isTooMuchWork(error)) return tooMuchWork(error.what);
    throw error;
  }
}

async function open(
  der: Bytes,
  password: string,
  deps: { crypto?: Crypto; now?: Date },
  budget: WorkBudget,
): Promise<Result<OpenedPkcs12, OpenPkcs12Error>> {
  const crypto = deps.crypto ?? globalThis.crypto;
  const contents = await readPkcs12(der, password, crypto, budget);
  if (!contents.ok) return contents;
  const { pkcs8, certificates } = contents.value;
  if (pkcs8 === null)
    return failure(
      'no-key',
      'This PKCS#12 file holds certificates only, no private key: there is nothing to log in with. Export it again with the key included.',
    );
  try {
    if (certificates.length === 0)
      return failure(
        'no-certificate',
        'This PKCS#12 file holds a private key but no certificate. Add the certificate on the Complete a CSR screen instead.',
      );
    // readPkcs12 puts the key's certificate first; the others may be in any order.
    const chain = orderChain(certificates, 0, budget);
    if (!chain.ok) return chain;
    const privateKey = await importPrivateKey(pkcs8, crypto);
    if (!privateKey.ok) return privateKey;
    const summarize = (ders: Bytes[]) =>
      ders
        .map((c) => readCertificate(c))
        .filter((c) => c !== null)
        .map(summarizeCertificate);
    const leaf = readCertificate(chain.value.certificates[0]);
    const found = leaf ? findAppId(leaf) : null;
    const summaries = summarize(chain.value.certificates);
    return success({
      appId: found?.appId ?? null,
      foundIn: found?.foundIn ?? null,
      privateKey: privateKey.value,
      chain: chain.value,
      certificates: [...chain.value.certificates, ...chain.value.unrelated],
      summaries,
      others: summarize(chain.value.unrelated),
      notes: [...validityNotes(summaries[0], deps.now ?? new Date()).map(warning), ...chainNotes(chain.value, true)],
      legacy: contents.value.legacy,
      algorithms: contents.value.algorithms,
      friendlyName: contents.value.friendlyName,
      certificatePem: toPem(chain.value.certificates[0], 'CERTIFICATE'),
      chainPem: chainPem([...chain.value.certificates, ...chain.value.unrelated]),
    });
  } finally {
    pkcs8.fill(0);
  }
}

/** The key as encrypted PKCS#8 PEM under a new password (what Create writes), for PEM-based clients such as curl. */
export async function encryptedKeyPem(
  privateKey: CryptoKey,
  password: string,
  crypto: Crypto = globalThis.crypto,
): Promise<Result<string, 'empty-password'>> {
  if (password === '')
    return failure('empty-password', 'Enter a password for the key file: the key must not be written unprotected by accident.');
  const pkcs8 = await exportPkcs8(privateKey, crypto);
  try {
    return success(encryptedPrivateKeyPem(await encryptPkcs8(pkcs8, password, { crypto })));
  } finally {
    pkcs8.fill(0);
  }
}
