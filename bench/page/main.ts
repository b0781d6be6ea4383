// The bench page: the same core calls the UI makes, timed with performance.now() inside Chromium.
// Built by bench/run.ts with its own small Vite config; never part of the app build.
import type { Bytes } from '../../src/lib/plain/bytes';
import { createIdentity, type CreatedIdentity, type CreateRequest } from '../../src/lib/create';
import { NO_ALT_NAMES } from '../../src/lib/extensions';
import { generateKeyPair, type KeyType } from '../../src/lib/plain/keys';
import { writePkcs12, type P12Profile } from '../../src/lib/pkcs12';
import { EMPTY_SUBJECT } from '../../src/lib/plain/subject';
import { verifyFile } from '../../src/lib/verify/verify';
import type { BenchApi } from './api';

/** The subject the OpenSSL side writes with -subj, the app UUID in the seed's custom OID. */
const SUBJECT = {
  ...EMPTY_SUBJECT,
  country: 'US',
  organization: 'Example Corp',
  organizationalUnit: 'Payments',
  commonName: 'payments-client',
};
/** The same password the OpenSSL side uses (bench/openssl.ts). */
const PASSWORD = 'bench-Password-1';

const request = (keyType: KeyType, appId: string): CreateRequest => ({
  appId,
  placement: 'oid',
  oidStringType: 'UTF8String',
  subject: SUBJECT,
  keyType,
  mode: 'self-signed',
  days: 365,
  altNames: NO_ALT_NAMES,
  // Unencrypted, like `openssl req -noenc`: the PKCS#12 file is what carries the password.
  keyPassword: null,
});

async function create(type: KeyType, appId: string): Promise<CreatedIdentity> {
  const created = await createIdentity(request(type, appId));
  if (!created.ok) throw new Error(created.message);
  return created.value;
}

async function exportPkcs12(identity: CreatedIdentity, profile: P12Profile): Promise<Bytes> {
  if (!identity.certificate) throw new Error('createIdentity made no certificate');
  const written = await writePkcs12({
    privateKey: identity.keyPair.privateKey,
    certificates: [identity.certificate.der],
    password: PASSWORD,
    profile,
  });
  if (!written.ok) throw new Error(written.message);
  return written.value;
}

let kept: CreatedIdentity | null = null;
let certificates: { name: string; bytes: Bytes }[] = [];

const api: BenchApi = {
  async keygen(type) {
    const start = performance.now();
    await generateKeyPair(type);
    return performance.now() - start;
  },

  async pipeline(type, appId) {
    const start = performance.now();
    const identity = await create(type, appId);
    const made = performance.now();
    await exportPkcs12(identity, 'modern');
    const end = performance.now();
    return { create: made - start, pkcs12: end - made, total: end - start };
  },

  async pkcs12(profile) {
    kept ??= await create('rsa-2048', crypto.randomUUID());
    const start = performance.now();
    await exportPkcs12(kept, profile);
    return performance.now() - start;
  },

  loadCertificates(files) {
    const encoder = new TextEncoder();
    certificates = files.map((f) => ({ name: f.name, bytes: encoder.encode(f.text) }));
  },

  async verifyAll() {
    const start = performance.now();
    let read = 0;
    for (const file of certificates) {
      const report = await verifyFile(file.name, file.bytes);
      if (report.kind === 'certificate') read++;
    }
    return { ms: performance.now() - start, files: certificates.length, certificates: read };
  },
};

window.appcertBench = api;
