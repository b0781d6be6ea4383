#!/usr/bin/env node
// The appcert command line. It runs the TypeScript core directly through tsx, so a fresh checkout
// needs only `npm install`: no build step can be forgotten.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
