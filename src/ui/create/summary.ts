import type { CreatedIdentity } from '../../lib/create';
import { KEY_TYPES } from '../../lib/plain/keys';

const WHERE = {
  cn: 'as the subject CN',
  oid: 'in attribute 1.3.6.1.4.1.49690.1.2.1',
  none: 'left out (the client sends it with -u)',
} as const;

/** The expiry as a person reads it, in UTC so it matches what OpenSSL prints. */
export const expiryText = (date: Date): string =>
  `${new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;

/** One paragraph, mkcert-style: what was made, for which app, where the files are, when it expires. */
export function resultSummary(identity: CreatedIdentity): string {
  const { request, appId, files, certificate } = identity;
  const [main, key] = files;
  const keyKind = `${request.keyPassword === null ? 'unencrypted' : 'password-protected'} ${KEY_TYPES[request.keyType].label} key`;
  const made = certificate ? 'a self-signed certificate' : 'a certificate signing request';
  const expiry = certificate
    ? ` It expires on ${expiryText(certificate.notAfter)}.`
    : ' Your CA decides how long the signed certificate is valid.';
  return (
    `Created ${made} for app ${appId}, with the UUID ${WHERE[request.placement]}. ` +
    `The ${certificate ? 'certificate' : 'request'} is ${main.name} and the ${keyKind} is ${key.name}: download them below — until then they exist only in this page.` +
    expiry
  );
}
