/**
 * Running `appcert` as a user runs it: `node bin/appcert.mjs ...` in a child process, on the CLI
 * built from the source as it is now (scripts/build-cli.mjs, run once per test file).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';

export const BIN = resolve(import.meta.dirname, '../../bin/appcert.mjs');

/** Builds build/cli.mjs from the current source; the build replaces the file in one step, so parallel test files can share it. */
export function buildCli(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/build-cli.mjs')], { stdio: 'inherit' });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Written to standard input, which is then closed (otherwise standard input is empty). */
  stdin?: string;
  /** Written to an extra pipe the command gets as file descriptor 3. */
  fd3?: string;
}

export function appcertProcess(args: string[], options: CliOptions): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe', ...(options.fd3 === undefined ? [] : ['pipe' as const])],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.stdin);
    if (options.fd3 !== undefined) {
      const extra = child.stdio[3] as NodeJS.WritableStream;
      extra.on('error', () => {});
      extra.end(options.fd3);
    }
  });
}

/** A usage mistake as `main` reports it: exit 2, the message, the pointer to help, no stack trace, nothing printed or written. */
export function expectUsageMistake(code: number, output: { out: string; err: string }, message: string, folder: string): void {
  expect(code).toBe(2);
  expect(output.err).toContain(message);
  expect(output.err).toContain('Run "appcert help" for the options.');
  expect(output.err).not.toMatch(/^\s+at /m);
  expect(output.out).toBe('');
  expect(existsSync(folder)).toBe(false);
}
