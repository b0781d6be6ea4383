/**
 * What Verify can say about a file. Problems fail the verdict; actions leave it at "needs action"
 * (nothing is wrong, but someone must do something before the file can be judged or used);
 * warnings do not change it. The codes are stable (CLI JSON, tests); each message says what is
 * wrong and what to do about it, and each summary says it in a few words for a table row.
 */
export type ProblemCode =
  | 'not-a-certificate'
  | 'file-too-large'
  | 'too-much-work'
  | 'private-key'
  | 'unsupported-encryption'
  | 'key-mismatch'
  | 'no-app-id'
  | 'uuid-in-wrong-attribute'
  | 'malformed-uuid'
  | 'uuid-conflict'
  | 'uuid-mismatch'
  | 'oid-in-wrong-place'
  | 'expired'
  | 'not-yet-valid'
  | 'weak-key'
  | 'weak-signature'
  | 'bad-signature'
  | 'bad-time'
  | 'bad-string-encoding'
  | 'chain-ca-expired'
  | 'chain-ca-invalid';

export type WarningCode =
  | 'uppercase-uuid'
  | 'leaf-has-ca-true'
  | 'ca-certificate'
  | 'chain-order-reversed'
  | 'chain-unordered'
  | 'oid-in-issuer-only'
  | 'legacy-p12-encryption'
  | 'missing-client-auth'
  | 'expires-soon'
  | 'large-file'
  | 'uncommon-string-type'
  | 'signature-not-checked'
  | 'unknown-signature-algorithm'
  | 'issuer-not-in-file'
  | 'p12-no-mac'
  | 'key-match-unchecked';

/** What must happen before the file can be judged or used; `who` does it. */
export type ActionCode = 'password-required' | 'wrong-password' | 'csr-needs-signing';
/** Who acts on a "needs action" file: the DSM admin checking it, or the app team that sent it. */
export type Who = 'admin' | 'app-team';

export type FindingCode = ProblemCode | ActionCode | WarningCode;

export interface Finding<Code extends string = FindingCode> {
  code: Code;
  message: string;
  /** The finding in a few words, for a table row and the report's summary ("expired 701 days ago"). */
  summary: string;
}

export type Problem = Finding<ProblemCode>;
export type Warning = Finding<WarningCode>;
export interface Action extends Finding<ActionCode> {
  who: Who;
}

/** Each code's summary when the finding does not give a more precise one. */
const SUMMARIES: Record<FindingCode, string> = {
  'not-a-certificate': 'no readable certificate in the file',
  'file-too-large': 'too large to be a certificate file',
  'too-much-work': 'stopped: needs far more work than any real file',
  'private-key': 'holds the private key: exposed, must be replaced',
  'unsupported-encryption': 'encryption appcert cannot open',
  'key-mismatch': 'the private key does not belong to the certificate',
  'no-app-id': 'no app UUID (not as CN, not in OID 1.3.6.1.4.1.49690.1.2.1)',
  'uuid-in-wrong-attribute': 'the app UUID is in an attribute DSM does not read',
  'malformed-uuid': 'the app UUID is malformed',
  'uuid-conflict': 'CN and OID hold different UUIDs',
  'uuid-mismatch': 'for another app than the expected one',
  'oid-in-wrong-place': 'the app UUID is in an extension; DSM reads OID 1.3.6.1.4.1.49690.1.2.1 only in the subject',
  expired: 'expired',
  'not-yet-valid': 'not valid yet',
  'weak-key': 'RSA key too short',
  'weak-signature': 'signed with a broken hash',
  'bad-signature': 'the signature does not verify: damaged or altered',
  'bad-time': 'a validity date is malformed',
  'bad-string-encoding': 'a name attribute holds invalid bytes',
  'chain-ca-expired': 'a CA of its chain expired',
  'chain-ca-invalid': 'a CA of its chain is not valid',
  'password-required': 'locked: needs its password',
  'wrong-password': 'the password did not open it',
  'csr-needs-signing': 'a CSR, not a certificate: have it signed, then send the certificate',
  'uppercase-uuid': 'UUID in upper case',
  'leaf-has-ca-true': 'says CA:TRUE; fix at the next renewal',
  'ca-certificate': "a CA certificate, not the app's own",
  'chain-order-reversed': 'chain given root first',
  'chain-unordered': 'chain not in order',
  'oid-in-issuer-only': "a UUID only in the issuer's name",
  'legacy-p12-encryption': 'old PKCS#12 encryption',
  'missing-client-auth': 'no clientAuth in the extended key usage',
  'expires-soon': 'expires soon',
  'large-file': 'unusually large file',
  'uncommon-string-type': 'UUID in an uncommon string type',
  'signature-not-checked': 'signature not checked here',
  'unknown-signature-algorithm': 'unknown signature algorithm',
  'issuer-not-in-file': 'issuer not in the file: signature not checked',
  'p12-no-mac': 'PKCS#12 without integrity check',
  'key-match-unchecked': 'whether the key matches was not checked',
};

export const problem = (code: ProblemCode, message: string, summary = SUMMARIES[code]): Problem => ({ code, message, summary });
export const warning = (code: WarningCode, message: string, summary = SUMMARIES[code]): Warning => ({ code, message, summary });
export const action = (code: ActionCode, who: Who, message: string): Action => ({ code, message, summary: SUMMARIES[code], who });

/** Days before expiry from which a certificate gets the `expires-soon` warning. */
export const EXPIRES_SOON_DAYS = 30;
/** RSA keys below this many bits are `weak-key`. */
export const MIN_RSA_BITS = 2048;

export const MESSAGES = {
  noAppId:
    'No app UUID in the subject (neither as CN nor as OID 1.3.6.1.4.1.49690.1.2.1). REST and SDK clients can still log in by sending the UUID as the basic-auth user (curl -u <uuid>:), but PKCS#11 and KMIP clients need it embedded: ask the app team for a certificate with the UUID as CN or in the OID.',
  oidInWrongPlace:
    "The app UUID is in an extension with OID 1.3.6.1.4.1.49690.1.2.1, but DSM reads that OID only as a subject attribute. Ask the app team to put it in the subject (openssl.cnf new_oids, Fortanix's mutual-TLS guide, section 3.6.2) and issue the certificate again.",
  conflict: (values: string[]) =>
    `The subject holds different UUIDs (${values.join(', ')}): DSM cannot tell which app this is. Ask the app team for a certificate with one UUID, as CN or OID, not both different.`,
  mismatch: (found: string, expected: string) =>
    `The certificate is for app ${found}, not the expected ${expected}. Upload it to the app it belongs to, or ask the team for a certificate made for ${expected}.`,
  invalidExpected: (reason: string) => `The expected app UUID is not valid: ${reason}`,
  wrongAttribute: (value: string, where: string) =>
    `The app UUID ${value} is in ${where}, but DSM reads it only from the CN or the OID 1.3.6.1.4.1.49690.1.2.1 attribute of the subject (Fortanix's mutual-TLS guide, sections 3.6.1 and 3.6.2). REST clients can still log in by sending it as the basic-auth user (curl -u <uuid>:); for PKCS#11 and KMIP clients ask the app team to issue the certificate again with the UUID as CN or in that OID.`,
  wrongAttributeSummary: (where: string) => `the app UUID is in ${where}; DSM reads it only from CN or OID 1.3.6.1.4.1.49690.1.2.1`,
  malformed: (where: string, value: string, reason: string) =>
    `The ${where} "${value}" looks like an app UUID but is not one: ${reason} Ask the app team to issue the certificate again with the exact UUID from DSM.`,
  oidNotUuid: (value: string) =>
    `The app-id attribute (OID 1.3.6.1.4.1.49690.1.2.1) holds "${value}", which is not a UUID. It must hold the app UUID exactly as DSM shows it; ask the app team to issue the certificate again.`,
  expired: (date: string, days: number) =>
    `The certificate expired on ${date} (${days} day${days === 1 ? '' : 's'} ago): every API request with it fails. Ask the app team for a renewed certificate.`,
  notYetValid: (date: string) =>
    `The certificate is not valid until ${date}: DSM refuses it before then. Check the clock of the machine that made it, or wait until that date.`,
  expiresSoon: (date: string, days: number) =>
    `The certificate expires on ${date}, in ${days} day${days === 1 ? '' : 's'}. DSM sends no reminder: ask the app team to renew it now.`,
  weakKey: (bits: number) =>
    `The RSA key has only ${bits} bits; at least ${MIN_RSA_BITS} are needed. Ask the app team for a new key pair of 2048 bits or more.`,
  weakSignature: (name: string, hash: string) =>
    `The signature uses ${name} (${hash}), a hash that is broken: such a signature can be forged. Ask for a certificate signed with SHA-256 or stronger.`,
  badSignature:
    'The certificate is self-signed (its key identifiers say its own key signed it) but its signature does not verify against its own key: it was damaged or altered. Ask the app team to send the file again.',
  badIssuerSignature: (issuer: string) =>
    `The certificate's signature does not verify against the key of its issuer in the same file (${issuer}): the certificate was damaged or altered, or the file holds another CA certificate with the same name. Ask the app team to send the file again, with the CA certificate that issued it.`,
  issuerNotInFile: (issuer: string) =>
    `The certificate was issued by ${issuer}, which is not in this file, so its signature was not checked here. Add the issuing CA certificate to the file to check it, or check it with openssl verify -CAfile <ca.pem>.`,
  selfIssuedOtherKey: (issuer: string) =>
    `The certificate names itself as issuer (${issuer}), but its own key does not verify its signature: another CA key signed it (for example a CA key rollover), or it was altered after signing. Its signature was not checked; add the certificate of the key that signed it, or check it with openssl verify -CAfile <ca.pem>.`,
  badTime: (field: 'notBefore' | 'notAfter', type: string, text: string, readable: boolean) =>
    `The certificate's ${field} time is not a valid ${type} as RFC 5280 requires (${type === 'GeneralizedTime' ? 'YYYYMMDDHHMMSSZ' : 'YYMMDDHHMMSSZ'}); it holds "${text}". ${readable ? 'OpenSSL prints a date for it, but openssl verify, Python and TLS libraries refuse it.' : 'No date can be read from it, so appcert shows none.'} The file is damaged or was made by a faulty tool: ask the app team for a new certificate.`,
  badStringEncoding: (name: string, type: string, shown: string) =>
    `The ${name} attribute is a ${type} whose bytes are not valid for that type (shown as "${shown}", bytes beyond printable ASCII as \\XX). OpenSSL and Python refuse such a certificate, and DSM cannot read the name. Ask the app team for a new certificate.`,
  unknownSignatureAlgorithm: (oid: string) =>
    `The signature algorithm ${oid} is unknown to appcert, so the signature was not checked and its strength is unknown. Check it with OpenSSL (openssl x509 -text) and prefer SHA-256 with RSA or ECDSA.`,
  p12NoMac:
    'This PKCS#12 file has no integrity check (MAC): its contents are not authenticated, so anyone could have changed them without a password. Export it again with a MAC (openssl pkcs12 -export without -nomac).',
  badCsrSignature:
    "The request's signature does not verify against its own key: it was damaged or altered. Ask the app team to send the CSR again.",
  signatureNotChecked: (name: string, reason: string) =>
    `The signature (${name}) was not checked: ${reason}. This says nothing against the certificate; check it with OpenSSL if needed (openssl verify -check_ss_sig -CAfile <issuer.pem>).`,
  chainCaExpired: (file: string, what: string) =>
    `The CA certificate ${file}, dropped with this file as its chain, fails: ${what}. OpenSSL (openssl verify -untrusted) refuses a chain with an expired CA, and DSM's Trusted CA method checks the chain: logins with it fail. Ask the app team for the CA's current certificate, or for a certificate issued by a CA that is still valid.`,
  chainCaInvalid: (file: string, what: string) =>
    `The CA certificate ${file}, dropped with this file as its chain, fails: ${what}. A chain with such a CA is not sound (openssl verify -check_ss_sig refuses a damaged CA certificate): do not register it in DSM as a trusted CA. Ask the app team to send the CA certificate again, or for a certificate issued by a sound CA.`,
  uppercase:
    'The UUID is written in upper case. DSM shows UUIDs in lower case; it is read here as the same UUID, but if DSM refuses the login, issue the certificate again in lower case.',
  leafCaTrue:
    "The certificate says it is a CA (basicConstraints CA:TRUE), like the sample in Fortanix's mutual-TLS guide. DSM accepts it, but a client certificate should say CA:FALSE; fix it at the next renewal.",
  caCertificate:
    "This is a CA certificate (CA:TRUE, and its key usage allows signing certificates), not an app's client certificate. Upload the app's own certificate (the one whose subject names the app), not its issuer.",
  chainReversed:
    'The chain is in reverse order (root first). The leaf was found and judged; for upload, put the leaf first, then its issuers.',
  chainUnordered:
    'The certificates are not in chain order. The leaf was found and judged; for upload, put the leaf first, then each issuer in turn.',
  issuerOnly: (value: string) =>
    `A UUID (${value}) appears only in the issuer's name: that is the CA's name, not this app's id. It is not used as the app UUID.`,
  legacyP12:
    'This PKCS#12 file uses old encryption (3DES / RC2 with SHA-1). It was read, but export it again with modern encryption (openssl pkcs12 -export without -legacy).',
  privateKey:
    "This file contains the app's PRIVATE KEY. Whoever handled the file (mail, chat, a share) could use it to log in as the app, so treat it as exposed: do not register this certificate; the app team must make a new key pair and certificate, and every copy of this file must be deleted. Only the certificate (.crt or .pem without the key) goes to the DSM admin. If the file never left the app team (you are checking your own file), nothing was exposed: send the admin only the certificate.",
  missingClientAuth: (usages: string) =>
    `The certificate's extended key usage (${usages}) does not include clientAuth, so TLS clients and DSM may refuse it for logging in. Ask for a certificate with extendedKeyUsage = clientAuth.`,
  largeFile: (size: string) => `The file is unusually large (${size}) for a certificate. It was read, but check that it is the right file.`,
  tooLarge: (size: string, limit: string) =>
    `The file is ${size}, more than the ${limit} a certificate file can reasonably be, so it was not read. Choose the certificate file itself.`,
  csrNeedsSigning:
    "This is a certificate signing request (CSR), not a certificate: DSM cannot use it. The app team has it signed by their CA (or makes a self-signed certificate with appcert's Create screen) and sends you the certificate; check that one here.",
  uncommonStringType: (type: string) =>
    `The app UUID is stored as a ${type}, which few TLS stacks compare as text. Prefer UTF8String or PrintableString at the next renewal.`,
  tooMuchWork: (what: string) =>
    `appcert stopped reading this file: ${what}. Real certificate, CSR and PKCS#12 files need far less, so the file is damaged or made to waste time. Ask the app team to export it again with OpenSSL, keytool or Windows defaults.`,
  keyMatchUnchecked:
    'The private key in this PKCS#12 file is of a kind whose public key appcert cannot derive, so whether it belongs to the certificate was not checked; the certificate shown is the one the file pairs with the key. To check, compare the public keys: openssl pkcs12 -in file.p12 -nocerts -nodes | openssl pkey -pubout, and openssl pkcs12 -in file.p12 -nokeys -clcerts | openssl x509 -noout -pubkey.',
  passwordRequired:
    'This PKCS#12 file is locked with a password, so the certificate inside was not checked yet. Enter the password the app team gave you (by another channel than the file) to check it. A .p12 usually holds the private key too: the admin needs only the certificate, so better ask the app team for the .crt file alone.',
  wrongPassword: (message: string) =>
    `${message} Type it again, or ask the app team for the right one (or for the certificate file alone).`,
} as const;
