#!/usr/bin/env node
// `npm test`: every check in one run — tools, lint, type check, unit and interop tests (vitest), then
// end-to-end tests (Playwright, Chromium) and the cross-engine suite (Firefox ESR, WebKitGTK)
// against the same production build. Ends with one line
// "N passed, N failed, N skipped" with the real totals, and a non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', env: process.env }).status === 0;
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

/** A step that is not a test (tools, type check, build): it adds to the totals only when it fails. */
function stage(name, ok) {
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (!ok) totals.failed += 1;
  return ok;
}

/** The titles of failed tests, so that the summary at the end of a long log says which ones failed. */
function failedVitestTests(report) {
  return (report?.testResults ?? []).flatMap((file) =>
    (file.assertionResults ?? [])
      .filter((test) => test.status === 'failed')
      .map((test) => `${file.name.replace(`${process.cwd()}/`, '')} › ${test.fullName}`),
  );
}

/** Playwright tests whose status is `status`: 'unexpected' (failed) or 'flaky' (passed on its retry). */
function playwrightTests(suite, status, file = suite.file) {
  const here = (suite.specs ?? []).flatMap((spec) =>
    spec.tests.filter((test) => test.status === status).map(() => `${spec.file ?? file}:${spec.line} › ${spec.title}`),
  );
  return [...here, ...(suite.suites ?? []).flatMap((child) => playwrightTests(child, status, child.file ?? file))];
}

function listTests(titles, what = 'failed') {
  for (const title of titles) lines.push(`       ${what}: ${title}`);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });

if (
  stage(
    'tools (Chromium, OpenSSL, curl, keytool, NSS, Python cryptography; Firefox ESR, WebKitGTK if possible)',
    run('bash', ['scripts/ensure-tools.sh']),
  )
) {
  stage('lint (ESLint, Prettier)', run('npm', ['run', '--silent', 'lint']));
  stage('type check (svelte-check, tsc for core, UI and Node code)', run('npm', ['run', '--silent', 'check']));

  const vitestOk = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
  const vitest = readJson('test-results/vitest.json');
  if (vitest) {
    totals.passed += vitest.numPassedTests;
    totals.failed += vitest.numFailedTests;
    totals.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
    lines.push(`${vitestOk ? 'ok  ' : 'FAIL'} vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed`);
    listTests(failedVitestTests(vitest));
  }
  if (!vitestOk && (!vitest || vitest.numFailedTests === 0)) stage('vitest run (crashed before reporting)', false);

  if (stage('production build (vite build)', run('npx', ['vite', 'build', '--logLevel', 'warn']))) {
    const e2eOk = run('npx', ['playwright', 'test']);
    const report = readJson('test-results/playwright.json');
    if (report) {
      const { expected, unexpected, skipped, flaky } = report.stats;
      totals.passed += expected + flaky;
      totals.failed += unexpected;
      totals.skipped += skipped;
      lines.push(
        `${e2eOk ? 'ok  ' : 'FAIL'} playwright: ${expected + flaky} passed${flaky ? ` (${flaky} on a retry)` : ''}, ${unexpected} failed`,
      );
      const suites = report.suites ?? [];
      listTests(suites.flatMap((suite) => playwrightTests(suite, 'unexpected')));
      listTests(
        suites.flatMap((suite) => playwrightTests(suite, 'flaky')),
        'passed on a retry',
      );
    }
    if (!e2eOk && (!report || report.stats.unexpected === 0)) stage('playwright run (crashed before reporting)', false);

    // Same build; an engine that is not installed counts its flows as skipped, never as passed.
    const enginesOk =
      spawnSync('npx', ['tsx', 'tests/engines/run.ts', '--no-build'], {
        stdio: 'inherit',
        env: { ...process.env, APPCERT_RESULTS: 'test-results' },
      }).status === 0;
    const engines = readJson('test-results/engines.json');
    for (const [name, result] of Object.entries(engines ?? {})) {
      totals.passed += result.passed;
      totals.failed += result.failed;
      totals.skipped += result.skipped;
      lines.push(
        `${result.failed === 0 ? 'ok  ' : 'FAIL'} ${name}: ${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped (${result.note})` : ''}`,
      );
    }
    if (!enginesOk && (!engines || Object.values(engines).every((result) => result.failed === 0)))
      stage('engine suite (crashed before reporting)', false);
  }
}

console.log(`\n${lines.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 ? 0 : 1);
