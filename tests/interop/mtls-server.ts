/**
 * A test-only stand-in for DSM's certificate login, `POST /sys/v1/session/auth` (seed, section 4.0),
 * so that curl can prove a real mutual-TLS login with what appcert made. It judges the client
 * certificate itself with node:crypto (an implementation independent of pkijs):
 *
 * - the app UUID comes from the subject CN, else the OID 1.3.6.1.4.1.49690.1.2.1, else the basic-auth user;
 * - the certificate must be valid now, and either be registered (pinned) for that app, or chain
 *   (through the intermediates the client sent) to a CA the app trusts;
 * - 200 with a bearer token, else 401 with the reason.
 *
 * It also plays DSM's admin call that registers a certificate, as Fortanix's API clients
 * (sdkms-client-go, sdkms-client-rust) publish it: `PATCH /sys/v1/apps/<uuid>` with a bearer token
 * and an `AppRequest` whose `credential` is `{"certificate":"<base64 DER>"}` (the app then pins that
 * one certificate: the one before stops working at once) or `{"trustedca":{"ca_certificate":
 * "<base64 DER>","subject":[["CN","..."],...]}}` (any certificate that chains to that CA and has
 * exactly that subject logs in). Only apps made with `register` exist; others get 404.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

const DSM_APP_ID_OID = '1.3.6.1.4.1.49690.1.2.1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How an app authenticates: its registered certificates, and/or the CAs whose certificates it accepts. */
export interface AppRegistration {
  pinned?: string[];
  trustedCas?: string[];
  /** With `trustedCas`: the subject a certificate must have, as (name, value) pairs in order. Absent: any subject. */
  trustedSubject?: [string, string][];
  /** With `trustedCas`, the `subject_general` form: an alternative name the certificate must carry, as node:crypto prints it ("DNS:a.example"). */
  trustedAltName?: string;
}

/** One admin request judged, in order. */
export interface AdminCall {
  status: number;
  appId: string;
  authType: 'Certificate' | 'TrustedCa' | null;
  reason: string;
}

export interface LoginAttempt {
  status: number;
  appId: string | null;
  reason: string;
}

export interface MtlsServer {
  url: string;
  /** `https://127.0.0.1:<port>`: the DSM API endpoint for admin calls. */
  endpoint: string;
  register(appId: string, registration: AppRegistration): void;
  /** Every login judged so far, in order. */
  attempts: LoginAttempt[];
  /** Every PATCH /sys/v1/apps/<uuid> so far, in order. */
  adminCalls: AdminCall[];
  close(): Promise<void>;
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The app UUID the way DSM reads it: certificate first (CN, then OID), then the basic-auth user. */
function appIdOf(certificate: X509Certificate, authorization: string | undefined): { appId: string; from: string } | null {
  const subject = certificate.toLegacyObject().subject as unknown as Record<string, string | string[]>;
  const cn = first(subject.CN);
  if (cn && UUID.test(cn)) return { appId: cn.toLowerCase(), from: 'CN' };
  const oid = first(subject[DSM_APP_ID_OID]);
  if (oid && UUID.test(oid)) return { appId: oid.toLowerCase(), from: 'OID' };
  const basic = authorization?.match(/^Basic\s+(\S+)$/i);
  const user = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] : '';
  return UUID.test(user) ? { appId: user.toLowerCase(), from: 'basic-auth user' } : null;
}

const validNow = (certificate: X509Certificate, now: Date) =>
  now >= new Date(certificate.validFrom) && now <= new Date(certificate.validTo);
const signed = (child: X509Certificate, parent: X509Certificate) => child.checkIssued(parent) && child.verify(parent.publicKey);

/** True when `leaf` chains to one of `roots`, through CA certificates among `intermediates`. */
function chainsTo(leaf: X509Certificate, intermediates: X509Certificate[], roots: X509Certificate[], now: Date): boolean {
  let current = leaf;
  for (let depth = 0; depth <= intermediates.length; depth++) {
    if (roots.some((root) => signed(current, root))) return true;
    const next = intermediates.find(
      (ca) => ca.ca && validNow(ca, now) && ca.fingerprint256 !== current.fingerprint256 && signed(current, ca),
    );
    if (!next) return false;
    current = next;
  }
  return false;
}

/** The certificates the client sent after its own, in the order sent. */
function presentedChain(leaf: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>([leaf.fingerprint256]);
  for (let peer = leaf.issuerCertificate; peer && !seen.has(peer.fingerprint256); peer = peer.issuerCertificate) {
    seen.add(peer.fingerprint256);
    chain.push(new X509Certificate(peer.raw));
  }
  return chain;
}

/**
 * The subject as (name, value) pairs in order, read by node:crypto (OpenSSL's short names, a dotted
 * OID for others, one line per attribute with RFC 2253 escapes, undone here).
 */
export function subjectPairs(certificate: X509Certificate): [string, string][] {
  return certificate.subject.split('\n').map((line) => {
    const eq = line.indexOf('=');
    const value = line
      .slice(eq + 1)
      .replace(/\\([0-9A-Fa-f]{2}|.)/g, (_, escaped: string) =>
        escaped.length === 2 ? String.fromCharCode(parseInt(escaped, 16)) : escaped,
      );
    return [line.slice(0, eq), value];
  });
}

const certificateFromBase64 = (text: unknown): X509Certificate | null => {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  try {
    return new X509Certificate(Buffer.from(text, 'base64'));
  } catch {
    return null;
  }
};

const isPair = (pair: unknown): pair is [string, string] =>
  Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string');

/** DSM's admin call: replaces the app's credential with the one in the body. */
function patchApp(
  appId: string,
  authorization: string | undefined,
  body: string,
  adminToken: string,
  apps: Map<string, AppRegistration>,
): AdminCall {
  if (authorization !== `Bearer ${adminToken}`)
    return { status: 401, appId, authType: null, reason: 'a valid admin bearer token is required' };
  if (!apps.has(appId)) return { status: 404, appId, authType: null, reason: `no app ${appId}` };
  let request: {
    credential?: { certificate?: unknown; trustedca?: { ca_certificate?: unknown; subject?: unknown; subject_general?: unknown } };
  };
  try {
    request = JSON.parse(body);
  } catch {
    return { status: 400, appId, authType: null, reason: 'the body is not JSON' };
  }
  const credential = request.credential;
  if (credential && 'certificate' in credential) {
    const certificate = certificateFromBase64(credential.certificate);
    if (!certificate)
      return { status: 400, appId, authType: null, reason: 'credential.certificate is not the base64 DER of a certificate' };
    apps.set(appId, { pinned: [certificate.toString()] });
    return { status: 200, appId, authType: 'Certificate', reason: `pinned the certificate ${certificate.fingerprint256}` };
  }
  if (credential?.trustedca) {
    const ca = certificateFromBase64(credential.trustedca.ca_certificate);
    const subject = credential.trustedca.subject;
    if (!ca)
      return { status: 400, appId, authType: null, reason: 'credential.trustedca.ca_certificate is not the base64 DER of a certificate' };
    // sdkms-client-go's TrustAnchorSubject: "subject" or "subject_general" (one of dns_name, ip_address, directory_name).
    const general = credential.trustedca.subject_general as { dns_name?: unknown; ip_address?: unknown } | undefined;
    if (general !== undefined) {
      if (subject !== undefined)
        return { status: 400, appId, authType: null, reason: 'credential.trustedca has both subject and subject_general' };
      const altName =
        typeof general?.dns_name === 'string'
          ? `DNS:${general.dns_name}`
          : typeof general?.ip_address === 'string'
            ? `IP Address:${general.ip_address}`
            : null;
      if (!altName || Object.keys(general).length !== 1)
        return { status: 400, appId, authType: null, reason: 'credential.trustedca.subject_general must hold one dns_name or ip_address' };
      apps.set(appId, { trustedCas: [ca.toString()], trustedAltName: altName });
      return { status: 200, appId, authType: 'TrustedCa', reason: `trusts ${ca.subject.replaceAll('\n', ', ')} for ${altName}` };
    }
    if (!Array.isArray(subject) || subject.length === 0 || !subject.every(isPair))
      return { status: 400, appId, authType: null, reason: 'credential.trustedca.subject must be a list of [name, value] pairs' };
    apps.set(appId, { trustedCas: [ca.toString()], trustedSubject: subject });
    return {
      status: 200,
      appId,
      authType: 'TrustedCa',
      reason: `trusts ${ca.subject.replaceAll('\n', ', ')} for ${JSON.stringify(subject)}`,
    };
  }
  return { status: 400, appId, authType: null, reason: 'the body has no credential.certificate nor credential.trustedca' };
}

function judge(socket: TLSSocket, authorization: string | undefined, apps: Map<string, AppRegistration>, now: Date): LoginAttempt {
  // Not getPeerX509Certificate(): called first, it leaves Node 20 without the rest of the chain.
  const peer = socket.getPeerCertificate(true);
  if (!peer?.raw) return { status: 401, appId: null, reason: 'no client certificate was presented' };
  const leaf = new X509Certificate(peer.raw);
  const found = appIdOf(leaf, authorization);
  if (!found) return { status: 401, appId: null, reason: 'no app UUID in the certificate subject (CN or OID) nor as the basic-auth user' };
  const registration = apps.get(found.appId);
  if (!registration) return { status: 401, appId: found.appId, reason: `unknown app ${found.appId}` };
  if (!validNow(leaf, now))
    return {
      status: 401,
      appId: found.appId,
      reason: `the certificate is not valid now (valid from ${leaf.validFrom} to ${leaf.validTo})`,
    };
  const pinned = (registration.pinned ?? []).map((pem) => new X509Certificate(pem));
  if (pinned.some((p) => p.fingerprint256 === leaf.fingerprint256)) {
    return { status: 200, appId: found.appId, reason: `registered certificate (app UUID from ${found.from})` };
  }
  const roots = (registration.trustedCas ?? []).map((pem) => new X509Certificate(pem));
  if (roots.length > 0 && chainsTo(leaf, presentedChain(peer), roots, now)) {
    const expected = registration.trustedSubject;
    if (expected && JSON.stringify(subjectPairs(leaf)) !== JSON.stringify(expected)) {
      return {
        status: 401,
        appId: found.appId,
        reason: `the certificate's subject ${JSON.stringify(subjectPairs(leaf))} is not the one registered with the trusted CA ${JSON.stringify(expected)}`,
      };
    }
    const altName = registration.trustedAltName;
    const altNames = (leaf.subjectAltName ?? '').split(', ').map((name) => name.toLowerCase());
    if (altName && !altNames.includes(altName.toLowerCase())) {
      return {
        status: 401,
        appId: found.appId,
        reason: `the certificate does not carry ${altName}, the alternative name registered with the trusted CA`,
      };
    }
    return { status: 200, appId: found.appId, reason: `certificate issued by a trusted CA (app UUID from ${found.from})` };
  }
  return {
    status: 401,
    appId: found.appId,
    reason: `the certificate is not registered for app ${found.appId} and does not chain to a CA it trusts`,
  };
}

const APP_PATH = /^\/sys\/v1\/apps\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Starts the server on 127.0.0.1, on a port the system picks. `adminToken` is the bearer token admin calls must carry. */
export async function startMtlsServer(
  tls: { key: string; certificate: string },
  now: () => Date = () => new Date(),
  adminToken = randomBytes(24).toString('base64url'),
): Promise<MtlsServer> {
  const apps = new Map<string, AppRegistration>();
  const attempts: LoginAttempt[] = [];
  const adminCalls: AdminCall[] = [];
  // rejectUnauthorized false: the TLS layer only asks for a certificate; the handler decides.
  const server: Server = createServer(
    { key: tls.key, cert: tls.certificate, requestCert: true, rejectUnauthorized: false },
    (request, response) => {
      const app = request.method === 'PATCH' ? APP_PATH.exec(request.url ?? '') : null;
      if (app) {
        let body = '';
        request.setEncoding('utf8');
        request.on('data', (chunk: string) => (body += chunk));
        request.on('end', () => {
          const call = patchApp(app[1], request.headers.authorization, body, adminToken, apps);
          adminCalls.push(call);
          const answer = call.status === 200 ? { app_id: call.appId, auth_type: call.authType } : { error: call.reason };
          response.writeHead(call.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        });
        return;
      }
      if (request.method !== 'POST' || request.url !== '/sys/v1/session/auth') {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
        return;
      }
      const attempt = judge(request.socket as TLSSocket, request.headers.authorization, apps, now());
      attempts.push(attempt);
      const body =
        attempt.status === 200
          ? { token_type: 'Bearer', expires_in: 600, access_token: randomBytes(24).toString('base64url'), entity_id: attempt.appId }
          : { error: 'Unauthorized', message: attempt.reason };
      response.writeHead(attempt.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/sys/v1/session/auth`,
    endpoint: `https://127.0.0.1:${port}`,
    register: (appId, registration) => apps.set(appId.toLowerCase(), registration),
    attempts,
    adminCalls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
