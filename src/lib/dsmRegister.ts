import type { Bytes } from './plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { formatIpAddress, ipAddressBytes } from './plain/altNames';
import { OID } from './plain/oids';
import { issuedBy, readCertificate } from './chain';
import { cryptoEngine } from './engine';
import { safeJson, shellWord } from './escape';
import { UPLOAD_STEPS } from './nextSteps';
import { toBase64 } from './pem';
import { readExisting, type ExistingCertificate, type RenewInput, type RenewReadError } from './renew';
import { failure, success, type Result } from './plain/result';
import { parseAppId, type AppId, type AppIdError } from './plain/uuid';
import { decodeName } from './name/decode';
import { sniff } from './verify/sniff';

/**
 * Registering a client certificate with its app in DSM, the admin's side: the screen steps
 * (Fortanix's mutual-TLS guide, section 3.7) and the same change as one REST call, as Fortanix's
 * own API clients (sdkms-client-go, sdkms-client-rust) publish it: `PATCH /sys/v1/apps/<uuid>` with
 * an `AppRequest` whose `credential` is `certificate` (DSM's "Certificate" method: this certificate
 * is pinned) or `trustedca` (DSM's "Trusted CA" method: any certificate from that CA with that subject).
 */

/** The environment variable the printed curl command reads the admin's bearer token from: never typed into appcert. */
export const TOKEN_VARIABLE = 'DSM_ADMIN_TOKEN';
/** Where the DSM API endpoint goes when the admin has not named it. */
export const API_ENDPOINT_PLACEHOLDER = 'https://<your-dsm-api-endpoint>';

export type DsmAuthMethod = 'certificate' | 'trusted-ca';

/** One subject attribute as DSM's Trusted CA method lists it: OpenSSL's short name (or the dotted OID) and the value. */
export type SubjectPair = [string, string];

/**
 * The Trusted CA method's other way to name the certificate (sdkms-client-go's `SubjectGeneral`,
 * sdkms-client-rust's `TrustAnchorSubject::SubjectGeneral`): one subject alternative name instead
 * of the subject. appcert offers the DNS name and the IP address; `directory_name` is `subject`'s pairs.
 */
export type SubjectGeneral = { dns_name: string } | { ip_address: string };

/** `subject` and `subject_general` are alternatives (the clients flatten the enum into `trustedca`). */
export type TrustedCaCredential = { ca_certificate: string } & ({ subject: SubjectPair[] } | { subject_general: SubjectGeneral });

export type DsmCredential = { certificate: string } | { trustedca: TrustedCaCredential };

export interface DsmRegistration {
  appId: AppId;
  method: DsmAuthMethod;
  /** What `--json` prints: the request and the ready command. */
  request: { method: 'PATCH'; path: string; body: { credential: DsmCredential }; curl: string };
  /** The same change on DSM's screens. */
  screenSteps: string[];
  /** How this app's certificates are renewed from now on. */
  renewal: string[];
  /** The certificate's alternative names the Trusted CA method could match instead of the subject (`subjectGeneral`). */
  alternatives: SubjectGeneral[];
  notes: string[];
}

export type DsmRegisterError =
  | RenewReadError
  | AppIdError
  | 'app-id-needed'
  | 'app-id-mismatch'
  | 'bad-endpoint'
  | 'ca-not-a-certificate'
  | 'several-cas'
  | 'not-issued-by-ca'
  | 'bad-subject-general'
  | 'subject-general-needs-ca'
  | 'subject-general-not-in-certificate';

export interface DsmRegisterInput {
  /** The client certificate (PEM, DER, chain) or its .p12 with `password`. */
  certificate: RenewInput;
  /** Required when the certificate does not carry the UUID; must agree when it does. */
  appId?: string;
  /** The CA certificate DSM is to trust (Trusted CA method); without it the certificate itself is pinned. */
  trustedCa?: { name: string; bytes: Bytes };
  /** With `trustedCa`: match one of the certificate's alternative names instead of its subject. */
  subjectGeneral?: SubjectGeneral;
  /** The DSM API endpoint, `https://host[:port]` (the main one, where admins log in; not the mutual-TLS one). */
  endpoint?: string;
}

/** The DSM API endpoint for the command: `https://host[:port]`, or the placeholder when none is given. */
export function readApiEndpoint(text: string): Result<string, 'bad-endpoint'> {
  const endpoint = text.trim();
  if (endpoint === '') return success(API_ENDPOINT_PLACEHOLDER);
  if (/^https:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?\/?$/.test(endpoint)) return success(endpoint);
  return failure(
    'bad-endpoint',
    'Give the DSM API endpoint as https://host or https://host:port, without a path, e.g. https://dsm.example.com (the address admins log in at).',
  );
}

/** The subject as DSM's Trusted CA method matches it: every attribute in order, multi-valued RDNs flattened. */
export function subjectPairs(certificate: pkijs.Certificate): SubjectPair[] {
  return decodeName(certificate.subject).map((a) => [a.shortName, a.value]);
}

/** The alternative names DSM's Trusted CA method can match instead of the subject (DNS names, IP addresses). */
export function subjectGeneralChoices(certificate: pkijs.Certificate): SubjectGeneral[] {
  const value = certificate.extensions?.find((e) => e.extnID === OID.subjectAltName)?.parsedValue;
  if (!(value instanceof pkijs.AltName)) return [];
  return value.altNames.flatMap((name): SubjectGeneral[] => {
    if (name.type === 2 && typeof name.value === 'string') return [{ dns_name: name.value }];
    if (name.type === 7 && name.value instanceof asn1js.OctetString)
      return [{ ip_address: formatIpAddress(new Uint8Array(name.value.valueBlock.valueHexView)) }];
    return [];
  });
}

/** `dns:<name>` or `ip:<address>`, as `appcert dsm-register --subject-general` takes it. */
export function parseSubjectGeneral(text: string): Result<SubjectGeneral, 'bad-subject-general'> {
  const match = /^(dns|ip):(.+)$/i.exec(text.trim());
  if (match?.[1].toLowerCase() === 'dns') return success({ dns_name: match[2] });
  const bytes = match ? ipAddressBytes(match[2]) : null;
  if (bytes) return success({ ip_address: formatIpAddress(bytes) });
  return failure(
    'bad-subject-general',
    `"${text}" is not an alternative name to match: give dns:<name> (e.g. dns:app1.example.com) or ip:<address> (e.g. ip:10.0.0.7), one the certificate carries.`,
  );
}

/** How a `subject_general` reads for people: "DNS:app.example.com", as OpenSSL prints alternative names. */
export const subjectGeneralText = (general: SubjectGeneral): string =>
  'dns_name' in general ? `DNS:${general.dns_name}` : `IP Address:${general.ip_address}`;

const sameSubjectGeneral = (a: SubjectGeneral, b: SubjectGeneral) =>
  'dns_name' in a
    ? 'dns_name' in b && a.dns_name.toLowerCase() === b.dns_name.toLowerCase()
    : 'ip_address' in b && a.ip_address === b.ip_address;

/** The curl command an admin runs: the token comes from the environment, every other value is quoted. */
export function registrationCurl(endpoint: string, path: string, body: object): string {
  return [
    `curl -sS -X PATCH ${shellWord(endpoint.replace(/\/$/, '') + path)}`,
    // Double quotes so the shell puts the token in; it never appears in the page or the command.
    `-H "Authorization: Bearer $${TOKEN_VARIABLE}"`,
    `-H ${shellWord('Content-Type: application/json')}`,
    `--data-binary ${shellWord(safeJson(body))}`,
  ].join(' \\\n  ');
}

/** True when `leaf` chains to `ca`, directly or through the CA certificates that came with it; every signature checked. */
async function chainsTo(
  leaf: pkijs.Certificate,
  intermediates: pkijs.Certificate[],
  ca: pkijs.Certificate,
  crypto: Crypto,
): Promise<boolean> {
  const engine = cryptoEngine(crypto);
  const signedBy = async (child: pkijs.Certificate, parent: pkijs.Certificate) =>
    issuedBy(child, parent) && (await child.verify(parent, engine).catch(() => false));
  let current = leaf;
  for (let depth = 0; depth <= intermediates.length; depth++) {
    if (await signedBy(current, ca)) return true;
    let next: pkijs.Certificate | undefined;
    for (const candidate of intermediates) {
      if (candidate !== current && (await signedBy(current, candidate))) {
        next = candidate;
        break;
      }
    }
    if (!next) return false;
    current = next;
  }
  return false;
}

function resolveAppId(
  existing: ExistingCertificate,
  given: string | undefined,
): Result<AppId, AppIdError | 'app-id-needed' | 'app-id-mismatch'> {
  if (given === undefined) {
    return existing.appId !== null
      ? success(existing.appId)
      : failure(
          'app-id-needed',
          "This certificate does not carry the app UUID (the app sends it as the basic-auth user): give the app's UUID, from the top of its page in DSM.",
        );
  }
  const parsed = parseAppId(given);
  if (!parsed.ok) return parsed;
  if (existing.appId !== null && existing.appId !== parsed.value.appId) {
    return failure(
      'app-id-mismatch',
      `This certificate is for app ${existing.appId}, not ${parsed.value.appId}: DSM would refuse its logins for ${parsed.value.appId}. Register it with app ${existing.appId}, or choose the certificate made for ${parsed.value.appId}.`,
    );
  }
  return success(parsed.value.appId);
}

async function readCa(input: {
  name: string;
  bytes: Bytes;
}): Promise<Result<{ der: Bytes; certificate: pkijs.Certificate }, 'ca-not-a-certificate' | 'several-cas'>> {
  const sniffed = sniff(input.bytes);
  const certificates = sniffed.ok ? sniffed.value.certificates : [];
  if (certificates.length === 0)
    return failure(
      'ca-not-a-certificate',
      `${input.name} is not a CA certificate (PEM or DER). Give the certificate of the CA that signs the app's certificates.`,
    );
  if (certificates.length > 1) {
    return failure(
      'several-cas',
      `${input.name} holds ${certificates.length} certificates; DSM trusts one CA per app. Give only the CA certificate DSM should trust (usually the issuing CA or the root).`,
    );
  }
  return success({ der: certificates[0], certificate: readCertificate(certificates[0]) as pkijs.Certificate });
}

/** The registration of one certificate: REST request, curl command, screen steps and the renewal advice. */
export async function dsmRegistration(
  input: DsmRegisterInput,
  deps: { crypto?: Crypto; now?: Date } = {},
): Promise<Result<DsmRegistration, DsmRegisterError>> {
  const crypto = deps.crypto ?? globalThis.crypto;
  const endpoint = readApiEndpoint(input.endpoint ?? '');
  if (!endpoint.ok) return endpoint;
  const existing = await readExisting(input.certificate, crypto);
  if (!existing.ok) return existing;
  const appId = resolveAppId(existing.value, input.appId);
  if (!appId.ok) return appId;
  const leaf = readCertificate(existing.value.der) as pkijs.Certificate;
  const notes: string[] = [];
  const now = deps.now ?? new Date();
  if (existing.value.notAfter < now)
    notes.push(
      `This certificate expired on ${existing.value.notAfter.toISOString().slice(0, 10)}: DSM will refuse it. Renew it first (appcert renew).`,
    );
  if (input.subjectGeneral && !input.trustedCa)
    return failure(
      'subject-general-needs-ca',
      'Matching an alternative name (subject_general) belongs to the Trusted CA method: give the CA certificate too, or leave the alternative name out to pin the certificate.',
    );
  if (existing.value.placement === 'none')
    notes.push(
      `The certificate does not carry the app UUID: the app must log in with it as the basic-auth user (curl -u ${appId.value}:).`,
    );

  let credential: DsmCredential;
  let method: DsmAuthMethod;
  if (input.trustedCa) {
    const ca = await readCa(input.trustedCa);
    if (!ca.ok) return ca;
    const intermediates = existing.value.issuers.map((der) => readCertificate(der) as pkijs.Certificate);
    if (!(await chainsTo(leaf, intermediates, ca.value.certificate, crypto))) {
      return failure(
        'not-issued-by-ca',
        `${input.certificate.name} was not issued by the CA in ${input.trustedCa.name} (no chain of valid signatures leads from one to the other). DSM would refuse its logins: give the CA that signed it, or, if it comes through an intermediate CA, a file with the certificate and that intermediate.`,
      );
    }
    method = 'trusted-ca';
    const general = input.subjectGeneral;
    if (general && !subjectGeneralChoices(leaf).some((g) => sameSubjectGeneral(g, general))) {
      return failure(
        'subject-general-not-in-certificate',
        `${input.certificate.name} does not carry ${subjectGeneralText(general)} among its alternative names, so DSM would refuse its logins. Choose one it carries (${subjectGeneralChoices(leaf).map(subjectGeneralText).join(', ') || 'it has none: match the subject instead'}).`,
      );
    }
    const ca_certificate = toBase64(ca.value.der);
    credential = { trustedca: general ? { ca_certificate, subject_general: general } : { ca_certificate, subject: subjectPairs(leaf) } };
  } else {
    method = 'certificate';
    credential = { certificate: toBase64(existing.value.der) };
  }
  const path = `/sys/v1/apps/${appId.value}`;
  const body = { credential };
  return success({
    appId: appId.value,
    method,
    request: { method: 'PATCH', path, body, curl: registrationCurl(endpoint.value, path, body) },
    screenSteps: method === 'certificate' ? [...UPLOAD_STEPS] : trustedCaScreenSteps(input.subjectGeneral),
    renewal: renewalAdvice(method, method === 'trusted-ca' ? input.subjectGeneral : undefined),
    alternatives: subjectGeneralChoices(leaf),
    notes,
  });
}

// Fortanix's mutual-TLS guide shows only the Certificate method's screens (section 3.7); these steps
// name what the Trusted CA method needs, the facts the REST body carries.
const trustedCaScreenSteps = (general?: SubjectGeneral) => [
  'In DSM, open Apps and select the app.',
  'Click "Change the authentication method" and choose Trusted CA.',
  general
    ? `Upload the CA certificate (or paste its PEM text) and, instead of the subject, enter the alternative name ${subjectGeneralText(general)}.`
    : 'Upload the CA certificate (or paste its PEM text) and enter the subject below, attribute by attribute, as the request body lists it.',
  `Save. From now on any certificate from this CA with exactly this ${general ? 'alternative name' : 'subject'} logs in as this app.`,
];

/**
 * How a renewed certificate goes live, by the app's authentication method. DSM keeps one credential
 * per app, so with "Certificate" the switch is a moment, not a period; `credential_migration_period`
 * is documented for API-key regeneration only.
 */
export function renewalAdvice(method: DsmAuthMethod, matchedBy?: SubjectGeneral): string[] {
  if (method === 'certificate') {
    return [
      'This app pins one certificate ("Certificate" method). A renewed certificate must be registered by a DSM admin, and the old one stops working the moment it is replaced: DSM keeps one certificate per app. Renew well before the old one expires (Fortanix\'s mutual-TLS guide, section 1.2: requests fail at once when it expires).',
      "To keep the gap as short as DSM allows: 1. make the renewed certificate and key now, while the old one still works; 2. install them on every host of the app next to the old ones, ready to switch (a config change or reload, not a redeploy); 3. agree a time with the admin; 4. the admin registers the renewed certificate (the REST request appcert dsm-register prints, or the screens of Fortanix's mutual-TLS guide, section 3.7); 5. switch the app to the renewed files at once and log in with them to check; 6. only then delete the old key.",
      'Logins with the old certificate fail from step 4 until step 5. For renewals with no admin step and no gap, have a CA sign the app\'s certificates and register the app with DSM\'s "Trusted CA" method instead.',
    ];
  }
  if (matchedBy) {
    const name = subjectGeneralText(matchedBy);
    return [
      `This app trusts a CA ("Trusted CA" method) for the alternative name ${name}: DSM accepts any certificate that this CA signed carrying that name. A renewal that keeps it (appcert renew keeps the alternative names) and is signed by the same CA needs no change in DSM: install the renewed certificate and key when the CA returns it; the old one keeps working until it expires.`,
      `A DSM admin must update the app only when the renewal drops ${name} or a different CA (or a new CA certificate) signs it.`,
    ];
  }
  return [
    'This app trusts a CA ("Trusted CA" method): DSM accepts any certificate that this CA signed with exactly the registered subject. A renewal that keeps the subject (appcert renew keeps it byte for byte) and is signed by the same CA needs no change in DSM: install the renewed certificate and key when the CA returns it; the old one keeps working until it expires.',
    'A DSM admin must update the app only when the subject changes or a different CA (or a new CA certificate) signs the renewal.',
  ];
}
