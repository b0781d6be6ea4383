import type { AppId } from './plain/uuid';

/** File names for what appcert writes, named after the app so a team with several apps can tell them apart. */
export const fileNames = (appId: AppId) => ({
  certificate: `app-${appId}.crt`,
  csr: `app-${appId}.csr`,
  privateKey: `app-${appId}.key`,
  /** The certificate followed by its CA chain, leaf first. */
  chain: `app-${appId}-chain.pem`,
  pkcs12: `app-${appId}.p12`,
  calendar: `app-${appId}-expiry.ics`,
});

/** The app UUID in a file name appcert wrote (`app-<uuid>.key`, also after a browser's " (1)"), or null. */
export function appIdFromFileName(name: string): string | null {
  return (
    /^app-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?: ?\(\d+\))?\.[a-z0-9]+$/i
      .exec(name)?.[1]
      .toLowerCase() ?? null
  );
}

/**
 * Names for files made from a PKCS#12 file (Convert): `app-<uuid>.*` when the certificate carries
 * the UUID, else after the PKCS#12 file's own name.
 */
export function convertedFileNames(appId: AppId | null, sourceName: string) {
  if (appId) return fileNames(appId);
  const base = sourceName.replace(/^.*[\\/]/, '').replace(/\.(p12|pfx)$/i, '') || 'converted';
  return { certificate: `${base}.crt`, chain: `${base}-chain.pem`, privateKey: `${base}.key`, pkcs12: `${base}-converted.p12` };
}
