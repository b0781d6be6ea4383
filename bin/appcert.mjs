#!/usr/bin/env node
// The appcert command line: runs build/cli.mjs, the core bundled into one file by
// scripts/build-cli.mjs (on `npm install`/`npm ci`, `npm test` and `npm run build:cli`).
// `appcert verify --json … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
let cli;
try {
  cli = await import('../build/cli.mjs');
} catch (error) {
  if (error.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('cli.mjs')) throw error;
  console.error('appcert: the command is not built yet. Run "npm install" (or "npm run build:cli") in the appcert folder first.');
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
