/**
 * A test-only stand-in for DSM's certificate login, `POST /sys/v1/session/auth` (seed, section 4.0),
 * so that curl can prove a real mutual-TLS login with what appcert made. It judges the client
 * certificate itself with node:crypto (an implementation independent of pkijs):
 *
 * - the app UUID comes from the subject CN, else the OID 1.3.6.1.4.1.49690.1.2.1, else the basic-auth user;
 * - the certificate must be valid now, and either be registered (pinned) for that app, or chain
 *   (through the intermediates the client sent) to a CA the app trusts;
 * - 200 with a bearer token, else 401 with the reason.
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
}

export interface LoginAttempt {
  status: number;
  appId: string | null;
  reason: string;
}

export interface MtlsServer {
  url: string;
  register(appId: string, registration: AppRegistration): void;
  /** Every login judged so far, in order. */
  attempts: LoginAttempt[];
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

const validNow = (certificate: X509Certificate, now: Date) => now >= new Date(certificate.validFrom) && now <= new Date(certificate.validTo);
const signed = (child: X509Certificate, parent: X509Certificate) => child.checkIssued(parent) && child.verify(parent.publicKey);

/** True when `leaf` chains to one of `roots`, through CA certificates among `intermediates`. */
function chainsTo(leaf: X509Certificate, intermediates: X509Certificate[], roots: X509Certificate[], now: Date): boolean {
  let current = leaf;
  for (let depth = 0; depth <= intermediates.length; depth++) {
    if (roots.some((root) => signed(current, root))) return true;
    const next = intermediates.find((ca) => ca.ca && validNow(ca, now) && ca.fingerprint256 !== current.fingerprint256 && signed(current, ca));
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

function judge(socket: TLSSocket, authorization: string | undefined, apps: Map<string, AppRegistration>, now: Date): LoginAttempt {
  // Not getPeerX509Certificate(): called first, it leaves Node 20 without the rest of the chain.
  const peer = socket.getPeerCertificate(true);
  if (!peer?.raw) return { status: 401, appId: null, reason: 'no client certificate was presented' };
  const leaf = new X509Certificate(peer.raw);
  const found = appIdOf(leaf, authorization);
  if (!found) return { status: 401, appId: null, reason: 'no app UUID in the certificate subject (CN or OID) nor as the basic-auth user' };
  const registration = apps.get(found.appId);
  if (!registration) return { status: 401, appId: found.appId, reason: `unknown app ${found.appId}` };
  if (!validNow(leaf, now)) return { status: 401, appId: found.appId, reason: `the certificate is not valid now (valid from ${leaf.validFrom} to ${leaf.validTo})` };
  const pinned = (registration.pinned ?? []).map((pem) => new X509Certificate(pem));
  if (pinned.some((p) => p.fingerprint256 === leaf.fingerprint256)) {
    return { status: 200, appId: found.appId, reason: `registered certificate (app UUID from ${found.from})` };
  }
  const roots = (registration.trustedCas ?? []).map((pem) => new X509Certificate(pem));
  if (roots.length > 0 && chainsTo(leaf, presentedChain(peer), roots, now)) {
    return { status: 200, appId: found.appId, reason: `certificate issued by a trusted CA (app UUID from ${found.from})` };
  }
  return { status: 401, appId: found.appId, reason: `the certificate is not registered for app ${found.appId} and does not chain to a CA it trusts` };
}

/** Starts the server on 127.0.0.1, on a port the system picks. */
export async function startMtlsServer(tls: { key: string; certificate: string }, now: () => Date = () => new Date()): Promise<MtlsServer> {
  const apps = new Map<string, AppRegistration>();
  const attempts: LoginAttempt[] = [];
  // rejectUnauthorized false: the TLS layer only asks for a certificate; the handler decides.
  const server: Server = createServer({ key: tls.key, cert: tls.certificate, requestCert: true, rejectUnauthorized: false }, (request, response) => {
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
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/sys/v1/session/auth`,
    register: (appId, registration) => apps.set(appId.toLowerCase(), registration),
    attempts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
