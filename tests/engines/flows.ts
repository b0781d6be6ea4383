import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileReport } from '../../src/lib/verify/fileReport';
import type { Verdict } from '../../src/lib/verify/outcome';
import { openssl as runOpenssl } from '../interop/tools';
import { button, css, type Driver, heading, label, navLink, radio, testId, waitForElement, waitForText, waitUntil } from './driver';

// The flows every engine runs, written once against the engine-neutral Driver. They find elements
// as the Chromium Playwright suite does (tests/e2e) and check every download with the real OpenSSL.

export const APP_ID = 'acc15bf3-e626-47aa-9373-7b08b3f26ee8';
const APP_ID_OID = '1.3.6.1.4.1.49690.1.2.1';
const PASSWORD = 'Correct-Horse-Battery-9';
const P12_PASSWORD = 'Pkcs12-Pass-Word-7';

/** Files made before the engines start (by OpenSSL scripts and appcert's core in Node), shared by every engine. */
export interface Fixtures {
  /** make-verify-fixtures.sh output; its certificates carry VERIFY_APP_ID. */
  verifyDir: string;
  verifyAppId: string;
  /** make-p12-fixtures.sh output (password "correct horse"). */
  p12Dir: string;
  /** A key and CSR made by appcert's core, signed by a throwaway OpenSSL CA. */
  complete: { appId: string; keyFile: string; keyPassword: string; leafFile: string; chainFile: string; rootFile: string };
  /** The build served over plain http:// at this machine's network address (not a secure context); unset when it has none. */
  insecureUrl?: string;
}

export interface Flow {
  name: string;
  run(driver: Driver, dir: string, fixtures: Fixtures): Promise<void>;
}

/** Runs OpenSSL; a non-zero exit throws with OpenSSL's words. Returns stdout and stderr together. */
async function openssl(...args: string[]): Promise<string> {
  const result = await runOpenssl(args);
  assert.equal(result.code, 0, `openssl ${args.join(' ')} failed: ${result.stderr}`);
  return `${result.stdout}${result.stderr}`.trim();
}

const opensslFails = async (...args: string[]) => (await runOpenssl(args)).code !== 0;

async function saved(driver: Driver, name: string, dir: string): Promise<string> {
  const file = await driver.download(button(`Download ${name}`), dir);
  assert.equal(file.name, name, 'the downloaded file name');
  return file.path;
}

async function openCreate(driver: Driver) {
  await driver.goto('./#create');
  await waitForElement(driver, label('App UUID'));
}

async function setKeyPassword(driver: Driver) {
  await driver.fill(label('Password for the key file'), PASSWORD);
  await driver.fill(label('Type the password again'), PASSWORD);
}

async function generate(driver: Driver, summary: string) {
  await driver.click(button(/^Generate key and/));
  await waitForText(driver, testId('result-summary'), summary, 60_000);
}

/** The key file is encrypted PKCS#8; `openssl pkey -passin` opens it and it belongs to the certificate or CSR; a wrong password fails. */
async function checkEncryptedKey(keyFile: string, publicKeyOf: string[]) {
  assert.match(await readFile(keyFile, 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  assert.equal(await openssl('pkey', '-in', keyFile, '-passin', `pass:${PASSWORD}`, '-pubout'), await openssl(...publicKeyOf));
  assert.ok(
    await opensslFails('pkey', '-in', keyFile, '-passin', 'pass:wrong-password', '-pubout'),
    'a wrong password must not open the key',
  );
}

/** Create an ECDSA P-256 self-signed certificate with the UUID as CN; returns the certificate's path. */
async function createEcWithCn(driver: Driver, dir: string): Promise<string> {
  await openCreate(driver);
  await driver.fill(label('App UUID'), APP_ID);
  await driver.click(radio('In the subject CN'));
  await driver.select(label('Key type'), 'ec-p256');
  await setKeyPassword(driver);
  await generate(driver, `self-signed certificate for app ${APP_ID}`);
  const certificate = await saved(driver, `app-${APP_ID}.crt`, dir);
  assert.equal(await openssl('x509', '-in', certificate, '-noout', '-subject'), `subject=CN = ${APP_ID}`);
  assert.match(await openssl('x509', '-in', certificate, '-noout', '-text'), /ASN1 OID: prime256v1/);
  return certificate;
}

/** The PKCS#12 panel: picks where the key will live (the client table picks the profile), sets the password and saves the file. */
async function exportP12(driver: Driver, dir: string, client: 'java-17' | 'java-8'): Promise<string> {
  const panel = testId('p12-export');
  await driver.select(label('Where will the key live?', { within: panel }), client);
  await driver.fill(label('Password for the PKCS#12 file', { within: panel }), P12_PASSWORD);
  await driver.fill(label('Type the PKCS#12 password again', { within: panel }), P12_PASSWORD);
  return saved(driver, `app-${APP_ID}.p12`, dir);
}

/** `openssl pkcs12 -info -noout` (never -legacy) checks the MAC and decrypts every bag. */
const p12Info = (file: string, password: string) => openssl('pkcs12', '-info', '-noout', '-in', file, '-passin', `pass:${password}`);

/** A certificate to renew, made by OpenSSL: a subject the form cannot type (multi-valued RDN, UUID in the OID) and its key, encrypted. */
async function opensslCertificate(dir: string): Promise<{ certificate: string; key: string }> {
  const config = join(dir, 'renew-req.cnf');
  await writeFile(config, `oid_section=oids\n[oids]\ndsmAppId=${APP_ID_OID}\n[req]\ndistinguished_name=dn\n[dn]\n`);
  const certificate = join(dir, 'current.crt');
  const plainKey = join(dir, 'current-plain.key');
  await openssl(
    ...['req', '-config', config, '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '20'],
    ...['-keyout', plainKey, '-out', certificate, '-multivalue-rdn'],
    ...['-subj', `/O=Example Corp+OU=Payments/CN=payments.example.com/dsmAppId=${APP_ID}`],
    ...['-addext', 'subjectAltName=DNS:payments.example.com', '-addext', 'extendedKeyUsage=clientAuth'],
  );
  const key = join(dir, 'current.key');
  await openssl('pkcs8', '-topk8', '-in', plainKey, '-v2', 'aes-256-cbc', '-passout', `pass:${PASSWORD}`, '-out', key);
  return { certificate, key };
}

const checked = (driver: Driver, testid: string) =>
  driver.evaluate<boolean>(`document.querySelector('[data-testid="${testid}"]')?.checked === true`);

export const FLOWS: Flow[] = [
  {
    name: 'Create: RSA-2048, UUID in the OID attribute, encrypted key',
    async run(driver, dir) {
      await openCreate(driver);
      await driver.fill(label('App UUID'), APP_ID);
      await driver.click(radio('In the Fortanix attribute (OID)'));
      await driver.fill(label('Common name (CN)'), 'payments.example.com');
      assert.equal(await driver.text(label('Key type')), 'rsa-2048');
      await setKeyPassword(driver);
      await waitForText(driver, testId('subject-preview'), `subject=CN = payments.example.com, ${APP_ID_OID} = ${APP_ID}`);
      await generate(driver, `self-signed certificate for app ${APP_ID}`);
      const certificate = await saved(driver, `app-${APP_ID}.crt`, dir);
      const key = await saved(driver, `app-${APP_ID}.key`, dir);
      assert.equal(
        await openssl('x509', '-in', certificate, '-noout', '-subject'),
        `subject=CN = payments.example.com, ${APP_ID_OID} = ${APP_ID}`,
      );
      const text = await openssl('x509', '-in', certificate, '-noout', '-text');
      assert.match(text, /Public-Key: \(2048 bit\)/);
      assert.match(text, /X509v3 Extended Key Usage:\s+TLS Web Client Authentication/);
      await openssl('verify', '-CAfile', certificate, certificate); // the self-signature holds
      await checkEncryptedKey(key, ['x509', '-in', certificate, '-noout', '-pubkey']);
    },
  },
  {
    name: 'Create: ECDSA P-256, UUID as CN, encrypted key',
    async run(driver, dir) {
      const certificate = await createEcWithCn(driver, dir);
      const key = await saved(driver, `app-${APP_ID}.key`, dir);
      await checkEncryptedKey(key, ['x509', '-in', certificate, '-noout', '-pubkey']);
    },
  },
  {
    name: 'Create: CSR that openssl req -verify accepts',
    async run(driver, dir) {
      await openCreate(driver);
      await driver.fill(label('App UUID'), APP_ID);
      await driver.click(radio('In the Fortanix attribute (OID)'));
      await driver.fill(label('Common name (CN)'), 'kmip-client.example.com');
      await driver.click(radio('Certificate signing request (CSR)'));
      await driver.select(label('Key type'), 'ec-p256');
      await setKeyPassword(driver);
      await generate(driver, `certificate signing request for app ${APP_ID}`);
      const csr = await saved(driver, `app-${APP_ID}.csr`, dir);
      const key = await saved(driver, `app-${APP_ID}.key`, dir);
      assert.match(await openssl('req', '-in', csr, '-noout', '-verify'), /verify OK/);
      assert.equal(
        await openssl('req', '-in', csr, '-noout', '-subject'),
        `subject=CN = kmip-client.example.com, ${APP_ID_OID} = ${APP_ID}`,
      );
      await checkEncryptedKey(key, ['req', '-in', csr, '-noout', '-pubkey']);
    },
  },
  {
    name: 'Renew: Create from an OpenSSL certificate and its key file keeps the subject byte for byte and the key',
    async run(driver, dir) {
      const current = await opensslCertificate(dir);
      await openCreate(driver);
      await driver.click(css('[data-testid="start-from"] summary'));
      await driver.setFiles(label('Current certificate or .p12'), [current.certificate]);
      await waitForText(driver, testId('renewing'), 'Renewing OU = Payments + O = Example Corp, CN = payments.example.com');
      // The current key from its encrypted key file: read in the renew worker, checked against the certificate, kept.
      await driver.fill(label('Password of the current key file'), PASSWORD);
      await driver.setFiles(label('Current key file (optional)'), [current.key]);
      await waitUntil('"Keep the current key" to be checked', () => checked(driver, 'keep-key'));
      await setKeyPassword(driver);
      await generate(driver, `self-signed certificate for app ${APP_ID}`);
      const renewed = await saved(driver, `app-${APP_ID}.crt`, dir);
      const subject = (file: string) => openssl('x509', '-in', file, '-noout', '-subject', '-nameopt', 'RFC2253');
      assert.equal(await subject(renewed), await subject(current.certificate));
      const publicKey = (file: string) => openssl('x509', '-in', file, '-noout', '-pubkey');
      assert.equal(await publicKey(renewed), await publicKey(current.certificate));
      assert.match(await openssl('x509', '-in', renewed, '-noout', '-ext', 'subjectAltName'), /DNS:payments\.example\.com/);
      assert.notEqual(
        await openssl('x509', '-in', renewed, '-noout', '-serial'),
        await openssl('x509', '-in', current.certificate, '-noout', '-serial'),
      );
    },
  },
  {
    name: 'PKCS#12: modern and legacy profiles open in OpenSSL without -legacy',
    async run(driver, dir) {
      const certificate = await createEcWithCn(driver, dir);
      const modern = await exportP12(driver, dir, 'java-17');
      await waitForText(driver, testId('p12-saved'), `Saved app-${APP_ID}.p12`);
      const modernInfo = await p12Info(modern, P12_PASSWORD);
      assert.match(modernInfo, /MAC: sha256/);
      assert.match(modernInfo, /PBES2, PBKDF2, AES-256-CBC/);
      const legacy = await exportP12(driver, dir, 'java-8');
      const legacyInfo = await p12Info(legacy, P12_PASSWORD);
      assert.match(legacyInfo, /MAC: sha1/);
      assert.match(legacyInfo, /pbeWithSHA1And3-KeyTripleDES-CBC/);
      // Both hold the certificate Create made.
      const fingerprint = await openssl('x509', '-in', certificate, '-noout', '-fingerprint', '-sha256');
      for (const [index, file] of [modern, legacy].entries()) {
        const pem = join(dir, `certificate-from-p12-${index}.pem`);
        await openssl('pkcs12', '-in', file, '-passin', `pass:${P12_PASSWORD}`, '-nokeys', '-clcerts', '-out', pem);
        assert.equal(await openssl('x509', '-in', pem, '-noout', '-fingerprint', '-sha256'), fingerprint);
      }
    },
  },
  {
    name: 'Verify: a mixed batch checked in the worker',
    async run(driver, dir, fixtures) {
      // Opened through the menu, so the page's Worker hook is in place before the screen starts its worker.
      await driver.goto('./');
      await waitForElement(driver, heading('Create'));
      await driver.click(navLink('Verify'));
      await waitForElement(driver, heading('Verify'));
      await driver.fill(label('Expected app UUID (optional)'), fixtures.verifyAppId);
      // A CSR is not something DSM can use: it needs the app team's CA first.
      const verdicts: Record<string, Verdict> = {
        'cn-ok.pem': 'passes',
        'oid-ok.pem': 'passes',
        'chain-reversed.pem': 'passes',
        'csr-cn.pem': 'needs-action',
        'other-app.pem': 'fails',
        'expired.pem': 'fails',
        'random.bin': 'fails',
      };
      const batch = Object.keys(verdicts);
      await driver.setFiles(
        label('Certificate files to check'),
        batch.map((name) => join(fixtures.verifyDir, name)),
      );
      await waitForText(driver, testId('verify-counts'), '7 files: 3 pass, 1 need action, 3 fail.', 60_000);
      const workers = await driver.workers();
      const verifier = workers.find((worker) => /verify\.worker-[\w-]+\.js$/.test(worker.url));
      assert.ok(verifier, `no Verify worker started; workers: ${JSON.stringify(workers)}`);
      assert.equal(verifier.errors, 0, 'the Verify worker reported errors');
      // The page checks files itself only after its worker failed; this one answered and never failed.
      assert.ok(verifier.messages > 0, 'the Verify worker never answered: the page checked the files itself');

      const report = await driver.download(button('Download report (JSON)'), dir);
      const reports = JSON.parse(await readFile(report.path, 'utf8')) as FileReport[];
      assert.deepEqual(Object.fromEntries(reports.map((r) => [r.file, r.outcome.verdict])), verdicts);
      assert.ok(
        reports.find((r) => r.file === 'other-app.pem')?.problems.some((p) => p.code === 'uuid-mismatch'),
        'other-app.pem fails for uuid-mismatch',
      );
    },
  },
  {
    name: 'Complete a CSR: CA-signed certificate joined with its key into PKCS#12',
    async run(driver, dir, { complete }) {
      await driver.goto('./#complete');
      await driver.setFiles(label('Private key file'), [complete.keyFile]);
      await waitForText(driver, label('App UUID', { exact: true }), complete.appId);
      await driver.setFiles(label('Certificate files'), [complete.chainFile, complete.leafFile]);
      await driver.fill(label('Password of the key file', { exact: true }), complete.keyPassword);
      await driver.click(button('Check and join key and certificate'));
      await waitForText(driver, testId('complete-summary'), `The key matches the certificate for app ${complete.appId}`);
      const chain = await saved(driver, `app-${complete.appId}-chain.pem`, dir);
      const [leaf, issuing] = (await readFile(chain, 'utf8')).split(/(?<=-----END CERTIFICATE-----\n)/);
      assert.ok(leaf && issuing, 'the chain file holds the leaf and the issuing CA');
      await writeFile(join(dir, 'leaf.pem'), leaf);
      await writeFile(join(dir, 'issuing.pem'), issuing);
      assert.match(
        await openssl('verify', '-CAfile', complete.rootFile, '-untrusted', join(dir, 'issuing.pem'), join(dir, 'leaf.pem')),
        /: OK/,
      );

      await driver.select(label('Where will the key live?'), 'java-17');
      await driver.fill(label('Password for the PKCS#12 file'), P12_PASSWORD);
      await driver.fill(label('Type the PKCS#12 password again'), P12_PASSWORD);
      const p12 = await saved(driver, `app-${complete.appId}.p12`, dir);
      assert.match(await p12Info(p12, P12_PASSWORD), /MAC: sha256/);
      const certificates = await openssl('pkcs12', '-in', p12, '-passin', `pass:${P12_PASSWORD}`, '-nokeys');
      assert.equal(certificates.match(/-----BEGIN CERTIFICATE-----/g)?.length, 3, 'leaf, issuing CA and root in the PKCS#12');
      assert.ok(certificates.includes(`${APP_ID_OID} = ${complete.appId}`), 'the leaf keeps the UUID in the OID attribute');
    },
  },
  {
    name: "Convert: OpenSSL's legacy (RC2) PKCS#12 saved as modern",
    async run(driver, dir, fixtures) {
      await driver.goto('./#convert');
      await driver.setFiles(label('PKCS#12 file', { exact: true }), [join(fixtures.p12Dir, 'rsa-legacy.p12')]);
      await driver.fill(label('Password of the PKCS#12 file', { exact: true }), 'correct horse');
      await driver.click(button('Open', { exact: true }));
      await waitForText(driver, testId('convert-summary'), 'Opened a legacy PKCS#12 file: a private key and 1 certificate');
      await driver.click(radio(/^Modern/));
      await driver.fill(label('Password for the PKCS#12 file'), P12_PASSWORD);
      await driver.fill(label('Type the PKCS#12 password again'), P12_PASSWORD);
      const appId = fixtures.verifyAppId; // the PKCS#12 fixtures carry the same UUID as CN
      const p12 = await saved(driver, `app-${appId}.p12`, dir);
      const info = await p12Info(p12, P12_PASSWORD);
      assert.match(info, /PBES2, PBKDF2, AES-256-CBC/);
      assert.doesNotMatch(info, /RC2/);
      const pem = join(dir, 'converted.pem');
      await openssl('pkcs12', '-in', p12, '-passin', `pass:${P12_PASSWORD}`, '-nodes', '-out', pem);
      assert.equal(
        await openssl('x509', '-in', pem, '-noout', '-fingerprint'),
        await openssl('x509', '-in', join(fixtures.p12Dir, 'rsa.crt'), '-noout', '-fingerprint'),
      );
      assert.equal(await openssl('rsa', '-in', pem, '-noout', '-modulus'), await openssl('x509', '-in', pem, '-noout', '-modulus'));
    },
  },
  {
    name: 'Offline: reload after the first visit, every screen and a Create work',
    async run(driver, dir) {
      await driver.goto('./');
      await waitUntil('the service worker to control the page', () =>
        driver.evaluate<boolean>("navigator.serviceWorker.controller?.state === 'activated'"),
      );
      await waitForText(driver, css('[data-offline-state]'), 'Ready to work offline');
      await driver.setOffline(true);
      try {
        // The network really is gone: a file the service worker does not keep cannot be fetched.
        const probe = await driver.evaluate<string>(
          "fetch('./robots.txt?offline-probe', { cache: 'no-store' }).then((r) => `status ${r.status}`, () => 'unreachable')",
        );
        assert.equal(probe, 'unreachable', 'the network is still reachable: the offline switch did not work');
        await driver.reload();
        await waitForElement(driver, heading('Create'));
        for (const title of ['Complete a CSR', 'Convert PKCS#12', 'Verify', 'About & privacy']) {
          await driver.click(navLink(title));
          await waitForElement(driver, heading(title));
          assert.equal(await driver.text(css('[role="alert"]')), null, `${title} shows an alert offline`);
        }
        // The certificate code (pkijs, loaded only on Generate) comes from the cache too.
        await createEcWithCn(driver, dir);
      } finally {
        await driver.setOffline(false);
      }
    },
  },
  {
    name: 'Plain http:// from another host: the page says why keys cannot be made',
    async run(driver, _dir, { insecureUrl }) {
      assert.ok(insecureUrl, 'this machine has no non-loopback IPv4 address to serve the page from over plain http://');
      await driver.goto(new URL('./#create', insecureUrl).href);
      assert.equal(await driver.evaluate<boolean>('isSecureContext'), false, 'the browser treats the page as insecure');
      await waitForText(driver, testId('browser-support'), 'opened over plain http://');
      await waitForElement(driver, label('App UUID'));
    },
  },
];
