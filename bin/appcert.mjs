#!/usr/bin/env node
// The appcert command line. It runs the TypeScript core directly through tsx, so a fresh checkout
// needs only `npm install`: no build step can be forgotten.
import { register } from 'tsx/esm/api';

register();
// `appcert verify --json … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
