// `npm run bench`: appcert in Chromium against the OpenSSL command line, on this machine, in one run.
// Builds the app and a bench-only page, serves both with `vite preview`, alternates rounds of each
// operation with the equivalent OpenSSL commands, prints a table and writes bench/results.json.
import { chromium, type Browser, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { build, preview } from 'vite';
import type { KeyType } from '../src/lib/plain/keys';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser';
import { firstVisit, offlineReloads } from './load';
import { profiled, profiling } from './profile';
import { verifyInScreen } from './verifyScreen';
import * as openssl from './openssl';
import type {} from './page/api';
import { measure, notes, rounded, summarize, table, type Measure } from './stats';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist-bench');
const PORT = Number(process.env.BENCH_PORT ?? 4371);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const VERIFY_ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 3);
const APP_URL = `http://127.0.0.1:${PORT}/`;
const BENCH_URL = `${APP_URL}bench/`;

const SECTIONS = ['keygen', 'pipeline', 'pkcs12', 'verify', 'load'] as const;
/** BENCH_ONLY=verify,load runs only those sections (for working on one measure). */
const only = (process.env.BENCH_ONLY ?? SECTIONS.join(',')).split(',');
const runs = (section: (typeof SECTIONS)[number]) => only.includes(section);
const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));

const log = (text: string) => process.stderr.write(`${text}\n`);
/** Other work on the machine skews every figure: say how busy it was. */
const load = () =>
  `load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`;

/** Runs appcert and OpenSSL one after the other, swapping who goes first every round. */
async function paired(round: number, appcert: () => Promise<number>, opensslRun: () => number, a: number[], o: number[]) {
  if (round % 2 === 0) {
    a.push(await appcert());
    o.push(opensslRun());
  } else {
    o.push(opensslRun());
    a.push(await appcert());
  }
}

const LABEL: Record<KeyType, string> = {
  'rsa-2048': 'RSA-2048',
  'rsa-3072': 'RSA-3072',
  'rsa-4096': 'RSA-4096',
  'ec-p256': 'ECDSA P-256',
  'ec-p384': 'ECDSA P-384',
};

async function keyGeneration(page: Page, dir: string): Promise<Measure[]> {
  const types: KeyType[] = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256'];
  const samples = types.map(() => ({ a: [] as number[], o: [] as number[] }));
  const processStart: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, type] of types.entries()) {
      await paired(
        round,
        () => page.evaluate((t) => window.appcertBench!.keygen(t), type),
        () => openssl.genpkey(dir, type),
        samples[i].a,
        samples[i].o,
      );
    }
    processStart.push(openssl.timed('openssl', ['version']));
    log(`  key generation, round ${round + 1}/${ROUNDS}`);
  }
  // Starting openssl is part of what a user waits for, and all of the P-256 difference.
  const start = `OpenSSL figures include starting the process (\`openssl version\`: median ${summarize(processStart)?.median.toFixed(1)} ms)`;
  return types.map((type, i) =>
    measure(`key generation ${LABEL[type]}`, 'ms', samples[i].a, samples[i].o, `WebCrypto generateKey vs openssl genpkey; ${start}`),
  );
}

async function selfSignedPipeline(page: Page, dir: string): Promise<Measure[]> {
  const types: KeyType[] = ['rsa-2048', 'rsa-4096'];
  const samples = types.map(() => ({ a: [] as number[], o: [] as number[], pkcs12: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, type] of types.entries()) {
      const appId = crypto.randomUUID();
      const appcert = async () => {
        const times = await page.evaluate(([t, id]) => window.appcertBench!.pipeline(t, id), [type, appId] as const);
        samples[i].pkcs12.push(times.pkcs12);
        return times.total;
      };
      await paired(round, appcert, () => openssl.pipeline(dir, type, appId), samples[i].a, samples[i].o);
    }
    log(`  self-signed pipeline, round ${round + 1}/${ROUNDS}`);
  }
  return types.map((type, i) =>
    measure(
      `self-signed pipeline ${LABEL[type]}, UUID in OID, + PKCS#12`,
      'ms',
      samples[i].a,
      samples[i].o,
      `createIdentity + writePkcs12 modern (its median ${summarize(samples[i].pkcs12)?.median.toFixed(1)} ms) vs openssl req -x509 -newkey -config (oid_section) + openssl pkcs12 -export`,
    ),
  );
}

/** The extra time of a legacy PKCS#12 export over a modern one, same key and certificate, per round. */
async function legacyPkcs12(page: Page, dir: string): Promise<Measure> {
  openssl.identity(dir, crypto.randomUUID());
  const extra = async (run: (profile: 'modern' | 'legacy') => Promise<number> | number, round: number) => {
    // Swap the order every round so that neither profile always runs warm.
    if (round % 2 === 0) {
      const modern = await run('modern');
      return (await run('legacy')) - modern;
    }
    const legacy = await run('legacy');
    return legacy - (await run('modern'));
  };
  const a: number[] = [];
  const o: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await paired(
      round,
      () => extra((profile) => page.evaluate((p) => window.appcertBench!.pkcs12(p), profile), round),
      () => {
        const modern = openssl.pkcs12(dir, false);
        return openssl.pkcs12(dir, true) - modern;
      },
      a,
      o,
    );
  }
  return measure(
    'PKCS#12 legacy export, extra over modern (RSA-2048)',
    'ms',
    a,
    o,
    "writePkcs12 legacy − modern vs openssl pkcs12 -export -legacy − openssl pkcs12 -export (no ratio when OpenSSL's difference is zero or less)",
  );
}

/**
 * 1,000 OpenSSL-made certificates through the verifier: the core alone (verifyFile in turn on the
 * bench page) and the real Verify screen (its worker, rendering, progress), against a shell loop
 * of openssl x509 over the same files. Rounds rotate which of the three goes first.
 */
async function verification(page: Page, browser: Browser, files: string[]): Promise<Measure[]> {
  await page.evaluate(
    (list) => window.appcertBench!.loadCertificates(list),
    files.map((f) => ({ name: basename(f), text: readFileSync(f, 'utf8') })),
  );
  const certDir = dirname(files[0]);
  const perSecond = (ms: number) => (files.length / ms) * 1000;
  const core: number[] = [];
  const screen: number[] = [];
  const longest: number[] = [];
  const loop: number[] = [];
  const steps = [
    async () => {
      const run = await page.evaluate(() => window.appcertBench!.verifyAll());
      if (run.certificates !== files.length)
        throw new Error(`The verifier read ${run.certificates} of ${files.length} bench certificates.`);
      core.push(perSecond(run.ms));
    },
    async () => {
      const run = await verifyInScreen(browser, APP_URL, files);
      screen.push(perSecond(run.ms));
      longest.push(run.longestTask);
    },
    async () => void loop.push(perSecond(openssl.x509Loop(certDir))),
  ];
  for (let round = 0; round < VERIFY_ROUNDS; round++) {
    for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]();
    log(`  verification, round ${round + 1}/${VERIFY_ROUNDS}`);
  }
  const vs = 'vs a shell loop of openssl x509 -noout -subject -enddate over the same files; ratio > 1: appcert is faster';
  return [
    measure(
      `verification throughput, core (${files.length} certificates)`,
      'certificates/s',
      core,
      loop,
      `verifyFile on each file in turn, bench page, ${vs}`,
    ),
    measure(
      `verification throughput, Verify screen (${files.length} files)`,
      'certificates/s',
      screen,
      loop,
      `files chosen in the real Verify screen until its summary counts them all, ${vs}`,
    ),
    measure(
      'verification: longest main-thread task, Verify screen',
      'ms',
      longest,
      null,
      'PerformanceObserver longtask while the screen checks the 1,000 files (it reports tasks over 50 ms; 0 = none)',
    ),
  ];
}

async function loadMeasures(browser: Browser): Promise<Measure[]> {
  const visits = [];
  for (let round = 0; round < ROUNDS; round++) visits.push(await firstVisit(browser, APP_URL));
  log(`  first visit, gzip -9: ${visits[0].files.join(', ')}`);
  const offline = await offlineReloads(browser, APP_URL, ROUNDS);
  const precached = offline
    ? `; then, in the background, the service worker fetches ${(offline.precachedGzipBytes / 1024).toFixed(1)} KB of JS+CSS (every screen) for offline use`
    : '';
  return [
    measure(
      'first visit JS+CSS (gzip -9)',
      'KB',
      visits.map((v) => v.gzipBytes / 1024),
      null,
      `${visits[0].files.length} files the page requests, ${(visits[0].rawBytes / 1024).toFixed(1)} KB raw${precached}`,
    ),
    measure(
      'time to interactive, cold load',
      'ms',
      visits.map((v) => v.tti),
      null,
      'navigation start to the first screen rendered, fresh browser context, localhost',
    ),
    offline
      ? measure(
          'time to interactive, offline reload',
          'ms',
          offline.times,
          null,
          'reload with the network off, service worker in control, localhost',
        )
      : measure(
          'time to interactive, offline reload',
          'ms',
          [],
          null,
          'not measured: the build registers no service worker, so an offline reload cannot load',
        ),
  ];
}

/** Untimed passes under Chromium's profiler (BENCH_PROFILE=1), so the measured figures stay clean. */
async function profilePass(page: Page, browser: Browser, certificates: string[]): Promise<void> {
  await profiled(page, 'PKCS#12 modern export', () => page.evaluate(() => window.appcertBench!.pkcs12('modern')));
  await profiled(page, 'PKCS#12 legacy export', () => page.evaluate(() => window.appcertBench!.pkcs12('legacy')));
  await profiled(page, 'self-signed pipeline RSA-2048', () =>
    page.evaluate(() => window.appcertBench!.pipeline('rsa-2048', crypto.randomUUID())),
  );
  if (!runs('verify')) return;
  await profiled(page, 'verification core', () => page.evaluate(() => window.appcertBench!.verifyAll()));
  await verifyInScreen(browser, APP_URL, certificates, 'cpu');
  await verifyInScreen(browser, APP_URL, certificates, 'timeline');
}

async function main() {
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown sections (${unknown.join(', ')}): use ${SECTIONS.join(', ')}.`);
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH.`);
  log(
    `appcert bench: ${ROUNDS} rounds (${VERIFY_ROUNDS} for verification), ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${new Date().toISOString()}, ${load()}`,
  );
  log('building the app and the bench page...');
  // Unminified only when profiling, so the profile names real functions (its figures are then not the real ones).
  if (profiling) log('BENCH_PROFILE=1: unminified builds, figures not comparable with a normal run');
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: DIST, emptyOutDir: true, minify: !profiling },
  });
  await build({
    root: join(ROOT, 'bench', 'page'),
    configFile: false,
    base: './',
    logLevel: 'error',
    build: { outDir: join(DIST, 'bench'), emptyOutDir: true, target: 'es2022', minify: !profiling },
  });
  log('making (or reusing) the 1,000 OpenSSL certificates...');
  const certificates = openssl.ensureCertificates(join(ROOT, 'bench', '.cache'));

  const server = await preview({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: DIST },
    preview: { host: '127.0.0.1', port: PORT, strictPort: true },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const dir = mkdtempSync(join(tmpdir(), 'appcert-bench-'));
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(BENCH_URL);
    await page.waitForFunction(() => window.appcertBench !== undefined);

    // One untimed pass warms up the page's code and the OpenSSL binary and config on disk.
    await page.evaluate(() => window.appcertBench!.pipeline('rsa-2048', crypto.randomUUID()));
    openssl.pipeline(dir, 'rsa-2048', crypto.randomUUID());

    const results: Measure[] = [];
    if (runs('keygen')) {
      log('key generation...');
      results.push(...(await keyGeneration(page, dir)));
    }
    if (runs('pipeline')) {
      log('self-signed pipeline...');
      results.push(...(await selfSignedPipeline(page, dir)));
    }
    if (runs('pkcs12')) {
      log('legacy PKCS#12...');
      results.push(await legacyPkcs12(page, dir));
    }
    if (runs('verify')) {
      log('verification...');
      results.push(...(await verification(page, browser, certificates)));
    }
    if (profiling) await profilePass(page, browser, certificates);
    await context.close();
    if (errors.length > 0) throw new Error(`The bench page failed: ${errors.join('; ')}`);
    if (runs('load')) {
      log('load...');
      results.push(...(await loadMeasures(browser)));
    }

    console.log(`\n${table(results)}\n\n${notes(results)}\n`);
    log(`finished ${new Date().toISOString()}, ${load()}`);
    const file = join(ROOT, 'bench', 'results.json');
    if (SECTIONS.every(runs)) {
      writeFileSync(`${file}.tmp`, `${JSON.stringify(results.map(rounded), null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
      log(`wrote ${file}`);
    } else {
      log(`BENCH_ONLY run: ${file} left as it was`);
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(DIST, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
