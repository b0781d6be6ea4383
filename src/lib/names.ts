import type { AppId } from './uuid';

/** File names for what appcert writes, named after the app so a team with several apps can tell them apart. */
export const fileNames = (appId: AppId) => ({
  certificate: `app-${appId}.crt`,
  csr: `app-${appId}.csr`,
  privateKey: `app-${appId}.key`,
  pkcs12: `app-${appId}.p12`,
  calendar: `app-${appId}-expiry.ics`,
});
