#!/usr/bin/env node
// `npm run audit`: Lighthouse 12 with Debian's Chromium against the production build served by
// `vite preview`; prints the category scores and every audit that cost points. Slow, so not part
// of `npm test`. Exits non-zero when a score is under its target.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PORT = Number(process.env.APPCERT_AUDIT_PORT ?? 4380);
const DIST = process.env.APPCERT_DIST ?? 'dist';
const URL = `http://127.0.0.1:${PORT}/`;
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 90 };
// The flags of docs/toolchain: headless, and nothing that reaches for the network by itself.
const CHROME_FLAGS =
  '--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run';

const node = (args, options = {}) => spawnSync(process.execPath, args, { stdio: 'inherit', ...options });

if (node(['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { env: { ...process.env, APPCERT_DIST: DIST } }).status !== 0) {
  console.error('audit: the production build failed');
  process.exit(1);
}

// Node itself, not an npx wrapper, so that killing it stops the server.
const preview = spawn(
  process.execPath,
  ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', DIST],
  {
    stdio: 'ignore',
  },
);
const out = mkdtempSync(join(tmpdir(), 'appcert-audit-'));
let code = 1;
try {
  await waitFor(URL);
  const report = join(out, 'lighthouse.json');
  const run = node(
    [
      'node_modules/lighthouse/cli/index.js',
      URL,
      '--quiet',
      '--output=json',
      `--output-path=${report}`,
      `--only-categories=${Object.keys(TARGETS).join(',')}`,
      `--chrome-flags=${CHROME_FLAGS}`,
    ],
    { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' } },
  );
  if (run.status !== 0) throw new Error(`lighthouse exited with ${run.status}`);
  code = printScores(JSON.parse(readFileSync(report, 'utf8')));
} catch (error) {
  console.error(`audit: ${error.message}`);
} finally {
  preview.kill();
  rmSync(out, { recursive: true, force: true });
}
process.exit(code);

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`vite preview did not answer at ${url}`);
}

/** Prints each category's score against its target, and the audits that lost points. */
function printScores(lhr) {
  let belowTarget = 0;
  console.log(`\nLighthouse ${lhr.lighthouseVersion} · ${lhr.finalDisplayedUrl} · ${lhr.environment.hostUserAgent}`);
  for (const [id, target] of Object.entries(TARGETS)) {
    const category = lhr.categories[id];
    const score = Math.round(category.score * 100);
    if (score < target) belowTarget += 1;
    console.log(`${score >= target ? 'ok  ' : 'LOW '} ${category.title.padEnd(15)} ${String(score).padStart(3)}  (target ${target})`);
    for (const { id: auditId, weight } of category.auditRefs) {
      const audit = lhr.audits[auditId];
      if (weight > 0 && audit.score !== null && audit.score < 1)
        console.log(`       - ${audit.title}${audit.displayValue ? `: ${audit.displayValue}` : ''}`);
    }
  }
  return belowTarget === 0 ? 0 : 1;
}
