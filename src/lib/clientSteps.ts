/**
 * How to use appcert's files with DSM from the client the user picked: only what the client
 * table (clients.ts) backs. The Java and Python snippets are the ones tests/interop/clients.test.ts
 * runs against a stand-in for DSM's login; curl's command is nextSteps.ts's.
 */
import type { Client } from './clients';
import { ENDPOINT_PLACEHOLDER } from './nextSteps';

/** The names of the files the user saves from this screen. */
export interface ClientFiles {
  pkcs12: string;
  certificate: string;
  privateKey: string;
}

export interface ClientSteps {
  /** Steps in order, plain text. */
  steps: string[];
  /** A command or program to copy, with `<...>` placeholders, or null. */
  code: string | null;
}

export const P12_PASSWORD_PLACEHOLDER = '<p12 password>';
export const KEY_PASSWORD_PLACEHOLDER = '<key password>';
const LOGIN_PATH = '/sys/v1/session/auth';
const UUID_NOTE =
  'If the certificate does not carry the app UUID (placement "nowhere"), DSM also needs it as the basic-auth user with an empty password (Fortanix\'s mutual-TLS guide, section 4.0).';

/** JSSE's standard system properties that make a Java program present the PKCS#12 file as its client certificate. */
export const jsseKeyStoreProperties = (pkcs12: string, password = P12_PASSWORD_PLACEHOLDER): string[] => [
  `-Djavax.net.ssl.keyStore=${pkcs12}`,
  '-Djavax.net.ssl.keyStoreType=PKCS12',
  `-Djavax.net.ssl.keyStorePassword=${password}`,
];

/** A Python 3 login with the standard library's ssl module (PEM certificate and key). */
export function pythonLogin(files: ClientFiles, endpoint = ENDPOINT_PLACEHOLDER): string {
  return [
    'import ssl, urllib.request',
    'context = ssl.create_default_context()',
    `context.load_cert_chain(${JSON.stringify(files.certificate)}, ${JSON.stringify(files.privateKey)}, password=${JSON.stringify(KEY_PASSWORD_PLACEHOLDER)})`,
    `request = urllib.request.Request(${JSON.stringify(`https://${endpoint}${LOGIN_PATH}`)}, method="POST")`,
    'print(urllib.request.urlopen(request, context=context).read().decode())',
  ].join('\n');
}

/** The same login with requests (tested here with an unencrypted key file; it is given no key password). */
export const requestsLogin = (files: ClientFiles, endpoint = ENDPOINT_PLACEHOLDER): string =>
  `requests.post(${JSON.stringify(`https://${endpoint}${LOGIN_PATH}`)}, cert=(${JSON.stringify(files.certificate)}, ${JSON.stringify(files.privateKey)}))`;

/** curl with the PKCS#12 file instead of PEM (tests/interop/mtls-login.test.ts runs this form). */
export const curlPkcs12Command = (pkcs12: string, endpoint = ENDPOINT_PLACEHOLDER): string =>
  `curl https://${endpoint}${LOGIN_PATH} -X POST --cert-type P12 --cert '${pkcs12}:${P12_PASSWORD_PLACEHOLDER}'`;

/** The steps for one client, or null when appcert has nothing it can back for that client. */
export function clientSteps(client: Client, files: ClientFiles): ClientSteps {
  switch (client.id) {
    case 'curl':
    case 'openssl-1.1':
      return {
        steps: [
          `Log in as in Fortanix's mutual-TLS guide, section 4.0: curl --cert ${files.certificate} --key ${files.privateKey} (Create and Complete a CSR show the whole command).`,
          `With the PKCS#12 file instead, give curl --cert-type P12 and the file with its password:`,
        ],
        code: curlPkcs12Command(files.pkcs12),
      };
    case 'java-17':
    case 'java-11':
    case 'java-8':
      return {
        steps: [
          `Keep ${files.pkcs12} where only the app can read it. The keystore type is PKCS12; the alias is the one shown when you saved it.`,
          "Start the JVM with JSSE's key store properties; every HTTPS connection of the default SSL context then presents this certificate to DSM:",
          UUID_NOTE,
        ],
        code: `java ${jsseKeyStoreProperties(files.pkcs12).join(' ')} -jar <your-app>.jar`,
      };
    case 'python':
      return {
        steps: [
          `With requests and a key file saved without a password: ${requestsLogin(files)}. appcert tested requests only with an unencrypted key; for an encrypted one use the ssl program below.`,
          `Python's ssl module reads the PEM files: ${files.certificate} and ${files.privateKey} (with the key's password). A login with the standard library:`,
          UUID_NOTE,
        ],
        code: pythonLogin(files),
      };
    case 'node':
      return {
        steps: [`Give Node's https or tls the PKCS#12 file as pfx, and its password as passphrase:`, UUID_NOTE],
        code: `https.request('https://${ENDPOINT_PLACEHOLDER}${LOGIN_PATH}', { method: 'POST', pfx: fs.readFileSync('${files.pkcs12}'), passphrase: '${P12_PASSWORD_PLACEHOLDER}' })`,
      };
    case 'go':
      return {
        steps: [
          `Decode ${files.pkcs12} with golang.org/x/crypto/pkcs12.Decode(data, password) and put the key and certificate in a tls.Certificate for your http.Client's tls.Config; that package reads the legacy profile only.`,
          `Or load ${files.certificate} and ${files.privateKey} with tls.LoadX509KeyPair, which needs the key saved without a password.`,
          UUID_NOTE,
        ],
        code: null,
      };
    case 'fortanix-pkcs11':
    case 'kmip':
    case 'fortanix-sdk':
      return {
        steps: [
          client.id === 'fortanix-sdk'
            ? "With the REST API or a Fortanix DSM SDK the app UUID may travel in the request instead of the certificate (Fortanix's mutual-TLS guide, section 3.6)."
            : "For the PKCS#11 library and KMIP clients the certificate must carry the app UUID, in the CN or the OID attribute (Fortanix's mutual-TLS guide, section 3.6).",
          "appcert found no Fortanix document saying which file (PKCS#12 or PEM) this client's configuration points at, so it recommends none: see the client's own documentation, and the compatibility table for what is known.",
        ],
        code: null,
      };
    default:
      return {
        steps:
          client.recommended === 'pem'
            ? [`Point the client at ${files.certificate} and ${files.privateKey}.`]
            : [`Import ${files.pkcs12} into the client; it asks for the password you set here.`],
        code: null,
      };
  }
}
