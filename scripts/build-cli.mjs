#!/usr/bin/env node
// Builds the `appcert` command into one JavaScript file, build/cli.mjs, that bin/appcert.mjs runs:
// the TypeScript core and its dependencies bundled, so a start compiles nothing. `npm install` and
// `npm ci` run it (the `prepare` script), `npm test` runs it first (`pretest`), and so do the CLI
// tests, so the command tested is the source as it is now.
import { rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = join(root, 'build', 'cli.mjs');

/** Bundles src/cli/main.ts; written under another name first, so a running command never reads half a file. */
export async function buildCli() {
  const { build } = await import('esbuild').catch(() => {
    throw new Error('esbuild is missing: it is a devDependency, so install with "npm install" or "npm ci" (not --omit=dev).');
  });
  const partial = `${CLI_BUNDLE}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
  });
  await rename(partial, CLI_BUNDLE);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
