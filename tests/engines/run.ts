/**
 * `npm run test:engines`: the production build (`vite build` + `vite preview` on 127.0.0.1) in
 * Firefox ESR and in WebKitGTK, one engine after the other, each running every flow of flows.ts in
 * one browser. Ends with one line per engine, `firefox: N passed, N failed` (`, N skipped` when the
 * engine is not installed), writes `<results>/engines.json` for scripts/test.mjs, and exits non-zero
 * on any failure.
 *
 *   --no-build        reuse the build in APPCERT_DIST (scripts/test.mjs has just made it)
 *   ENGINES=firefox   run some engines only (comma-separated)
 *   ENGINE_FLOWS=Verify  run only the flows whose name contains this text
 *   ENGINE_TRACE=1    print every driver call and its time
 *   APPCERT_ENGINES_PORT (4273), APPCERT_DIST (dist), APPCERT_RESULTS (test-results)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { identity } from '../interop/identities';
import { makePki } from '../interop/openssl-ca';
import { tempDir } from '../interop/tools';
import { APP, makeFixtures } from '../unit/verify-fixtures';
import { type Driver, type Engine, sleep, waitUntil } from './driver';
import { FIREFOX_PATH, launchFirefox } from './firefox';
import { FLOWS as ALL_FLOWS, type Fixtures } from './flows';
import { launchWebKit, MINIBROWSER_PATH, type Network, WEBKIT_DRIVER_PATH } from './webkit';

const PORT = Number(process.env.APPCERT_ENGINES_PORT ?? 4273);
const DIST = process.env.APPCERT_DIST ?? 'dist';
const RESULTS = process.env.APPCERT_RESULTS ?? 'test-results';
const BASE_URL = `http://127.0.0.1:${PORT}/`;
const FLOWS = ALL_FLOWS.filter((flow) => flow.name.includes(process.env.ENGINE_FLOWS ?? ''));
/** A flow that takes longer is stuck: it fails and the next one runs. */
const FLOW_TIMEOUT = 180_000;

type EngineName = 'firefox' | 'webkit';

interface FlowResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

interface EngineResult {
  passed: number;
  failed: number;
  skipped: number;
  version?: string;
  /** Why the engine was skipped, or why it could not start. */
  note?: string;
  /** Browser start to close, flows included. */
  ms: number;
  flows: FlowResult[];
}

const installed = (path: string) => existsSync(path);

/** What an engine needs on this machine; empty when it can run. */
function missing(engine: EngineName): string[] {
  if (engine === 'firefox') return installed(FIREFOX_PATH) ? [] : [`firefox-esr (${FIREFOX_PATH})`];
  const needs: string[] = [];
  if (!installed(WEBKIT_DRIVER_PATH) || !installed(MINIBROWSER_PATH))
    needs.push(`webkit2gtk-driver (${WEBKIT_DRIVER_PATH}, ${MINIBROWSER_PATH})`);
  if (spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status !== 0) needs.push('xvfb (Xvfb)');
  return needs;
}

/** `vite preview` of the build, started and stopped as the node process itself (never only an npx wrapper). */
class PreviewServer implements Network {
  #child: ChildProcess | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  get url() {
    return `http://${this.host}:${this.port}/`;
  }

  async start() {
    if (this.#child && this.#child.exitCode === null) return;
    const vite = join('node_modules', 'vite', 'bin', 'vite.js');
    const child = spawn(
      process.execPath,
      [vite, 'preview', '--host', this.host, '--port', String(this.port), '--strictPort', '--outDir', DIST],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    this.#child = child;
    await waitUntil(
      `vite preview on ${this.url}`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`vite preview exited with code ${child.exitCode} (is port ${this.port} taken? set APPCERT_ENGINES_PORT)`);
        return fetch(this.url).then(
          (response) => response.ok,
          () => false,
        );
      },
      30_000,
    );
  }

  async stop() {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
  }
}

async function makeSharedFixtures(dir: string): Promise<{ fixtures: Fixtures; remove: () => void }> {
  const verify = makeFixtures();
  const p12Dir = join(dir, 'p12');
  const made = spawnSync('bash', ['tests/fixtures/make-p12-fixtures.sh', p12Dir], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`make-p12-fixtures.sh failed: ${made.stderr}`);

  // Complete a CSR: a key and CSR as Create makes them (appcert's core in Node), signed by a throwaway CA.
  const completeDir = await tempDir('appcert-engines-complete-');
  const appId = '5b0e7b8e-2f43-4c37-9d39-3f1b2c6f8a10';
  const keyPassword = 'correct horse battery';
  const pki = await makePki(completeDir, 'Engines Corp');
  const request = await identity({ mode: 'csr', placement: 'oid', appId, keyType: 'ec-p256', keyPassword });
  const keyFile = await completeDir.write(`app-${appId}.key`, request.privateKeyPem);
  const leafFile = await pki.sign(await completeDir.write('request.csr', request.csrPem ?? ''), 'signed-by-ca.crt');
  const ca = await pki.caPem();
  const chainFile = await completeDir.write('ca-chain.pem', ca.root + ca.issuing);

  return {
    fixtures: {
      verifyDir: verify.dir,
      verifyAppId: APP,
      p12Dir,
      complete: { appId, keyFile, keyPassword, leafFile, chainFile, rootFile: pki.root.certificate },
    },
    remove: () => {
      verify.remove();
      void completeDir.remove();
    },
  };
}

/** With ENGINE_TRACE=1, the driver prints each call and how long it took. */
function traced(driver: Driver): Driver {
  if (!process.env.ENGINE_TRACE) return driver;
  return new Proxy(driver, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const start = Date.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          console.log(`       ${String(property)}(${JSON.stringify(args).slice(1, 100)}) ${Date.now() - start} ms`);
        }
      };
    },
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runEngine(name: EngineName, server: PreviewServer, fixtures: Fixtures, workDir: string): Promise<EngineResult> {
  const skippedFlows = (status: 'skipped' | 'failed', error?: string): FlowResult[] =>
    FLOWS.map((flow) => ({ name: flow.name, status, ms: 0, error }));
  const needs = missing(name);
  if (needs.length > 0) {
    const note = `not installed: ${needs.join(', ')}. Run scripts/ensure-tools.sh as root (Debian) to install it.`;
    console.log(`${name}: skipped, ${note}`);
    return { passed: 0, failed: 0, skipped: FLOWS.length, note, ms: 0, flows: skippedFlows('skipped') };
  }

  const started = Date.now();
  await server.start();
  let engine: Engine;
  try {
    engine = await (name === 'firefox' ? launchFirefox(BASE_URL) : launchWebKit(BASE_URL, server));
  } catch (error) {
    await server.stop();
    const note = `the browser did not start: ${error instanceof Error ? error.message : String(error)}`;
    console.log(`${name}: ${note}`);
    return { passed: 0, failed: FLOWS.length, skipped: 0, note, ms: Date.now() - started, flows: skippedFlows('failed', note) };
  }
  console.log(`\n${name} (${engine.version}), ${BASE_URL}`);

  const flows: FlowResult[] = [];
  try {
    for (const [index, flow] of FLOWS.entries()) {
      const dir = join(workDir, `${name}-${index + 1}`);
      await mkdir(dir, { recursive: true });
      const began = Date.now();
      let error: string | undefined;
      try {
        const driver = traced(await engine.newFlow());
        try {
          await withTimeout(flow.run(driver, dir, fixtures), FLOW_TIMEOUT, flow.name);
          // No flow may end in an uncaught page error or a console error.
          const errors = await driver.errors();
          if (errors.length > 0) error = `page or console errors:\n${errors.join('\n')}`;
        } finally {
          await engine.endFlow(driver).catch(() => {});
          // A flow that failed while offline must not leave the next one without a server.
          if (name === 'webkit') await server.start().catch(() => {});
        }
      } catch (caught) {
        error = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
      }
      const ms = Date.now() - began;
      flows.push({ name: flow.name, status: error ? 'failed' : 'passed', ms, error });
      console.log(`  ${error ? 'FAIL' : 'ok  '} ${flow.name} (${seconds(ms)})`);
      if (error) console.log(`       ${error.replaceAll('\n', '\n       ')}`);
    }
  } finally {
    await engine.close().catch((error: unknown) => console.log(`${name}: closing the browser failed: ${String(error)}`));
    await server.stop();
  }
  const passed = flows.filter((flow) => flow.status === 'passed').length;
  return { passed, failed: flows.length - passed, skipped: 0, version: engine.version, ms: Date.now() - started, flows };
}

async function main() {
  const engines = (process.env.ENGINES ?? 'firefox,webkit').split(',').map((name) => name.trim()) as EngineName[];
  for (const name of engines) if (name !== 'firefox' && name !== 'webkit') throw new Error(`Unknown engine ${name}: use firefox, webkit`);

  if (!process.argv.includes('--no-build')) {
    const build = spawnSync(process.execPath, [join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
      stdio: 'inherit',
      env: process.env,
    });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`No build in ${DIST}: run vite build (or drop --no-build)`);

  const workDir = await mkdtemp(join(tmpdir(), 'appcert-engines-'));
  const server = new PreviewServer('127.0.0.1', PORT);
  // The same build from this machine's network address: plain http:// that is not localhost, which
  // browsers treat as insecure (no WebCrypto, no service worker).
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
  const insecure = address ? new PreviewServer(address, PORT + 1) : null;
  const results: Partial<Record<EngineName, EngineResult>> = {};
  const began = Date.now();
  // Fixtures only when some engine can run; a skipped engine needs none.
  const shared = engines.some((name) => missing(name).length === 0) ? await makeSharedFixtures(workDir) : null;
  if (shared) console.log(`fixtures (OpenSSL scripts, a throwaway CA, a CSR from the core): ${seconds(Date.now() - began)}`);
  const fixtures = shared?.fixtures ?? ({} as Fixtures);
  try {
    if (shared && insecure) {
      await insecure.start().then(
        () => (fixtures.insecureUrl = insecure.url),
        (error: unknown) => console.log(`No plain-http:// server at ${insecure.url}: ${String(error)}`),
      );
    }
    for (const name of engines) results[name] = await runEngine(name, server, fixtures, workDir);
  } finally {
    await server.stop();
    await insecure?.stop();
    shared?.remove();
    await rm(workDir, { recursive: true, force: true });
  }

  await mkdir(RESULTS, { recursive: true });
  await writeFile(join(RESULTS, 'engines.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('');
  for (const [name, result] of Object.entries(results))
    if (result.ms > 0) console.log(`${name} ${result.version ?? ''}: ${seconds(result.ms)} in all`);
  for (const [name, result] of Object.entries(results)) {
    console.log(`${name}: ${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ''}`);
  }
  process.exitCode = Object.values(results).some((result) => result.failed > 0) ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
