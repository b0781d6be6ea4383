/**
 * Running the real tools of the interop tests (OpenSSL, Debian's Python, Java keytool, NSS, curl)
 * on files in a temporary folder.
 *
 *   const dir = await tempDir();                  // in beforeAll; `await dir.remove()` in afterAll
 *   const cert = await dir.write('app.crt', pem); // returns the full path
 *   const out = await openssl(['x509', '-in', cert, '-noout', '-subject']);
 *   expect(out.code, out.stderr).toBe(0);
 *
 * `run` never throws for a failing tool: it resolves with the exit code and both outputs, so a
 * test asserts on what the tool said. It rejects only when the program cannot be started at all
 * (not installed), which `scripts/ensure-tools.sh` prevents.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Python, which has `python3-cryptography`; a `python3` earlier on PATH may not. */
export const PYTHON = '/usr/bin/python3';

export interface RunOptions {
  /** Working folder of the tool. */
  cwd?: string;
  /** Written to the tool's standard input, which is then closed. */
  input?: string | Uint8Array;
  /** Added to the current environment. */
  env?: Record<string, string>;
  /** Milliseconds before the tool is killed (default 60 s). */
  timeout?: number;
}

export interface RunResult {
  /** Exit code; -1 when the tool was killed (e.g. by the timeout). */
  code: number;
  stdout: string;
  stderr: string;
}

export interface BinaryRunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function spawnTool(
  command: string,
  args: string[],
  options: RunOptions,
  encoding: 'utf8' | 'buffer',
): Promise<{ code: number; stdout: string | Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeout ?? 60_000,
        encoding,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        // execFile's error carries the exit code as a number, or a system error code (ENOENT...)
        // as a string when the program could not be started; null when a signal killed it.
        const failed = error as (Error & { code?: number | string | null }) | null;
        if (typeof failed?.code === 'string') {
          reject(new Error(`Cannot run ${command}: ${failed.message}. Run scripts/ensure-tools.sh to install the interop tools.`));
          return;
        }
        const code = failed ? (typeof failed.code === 'number' ? failed.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr.toString() });
      },
    );
    child.stdin?.on('error', () => {}); // a tool may exit before reading all its input
    child.stdin?.end(options.input);
  });
}

/** Runs a program with arguments (no shell) and collects its text output. */
export async function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { code, stdout, stderr } = await spawnTool(command, args, options, 'utf8');
  return { code, stdout: stdout.toString(), stderr };
}

/** Like `run`, for a tool that writes bytes (e.g. `openssl x509 -outform DER`) to standard output. */
export async function runBinary(command: string, args: string[], options: RunOptions = {}): Promise<BinaryRunResult> {
  const { code, stdout, stderr } = await spawnTool(command, args, options, 'buffer');
  return { code, stdout: stdout as Buffer, stderr };
}

export const openssl = (args: string[], options?: RunOptions) => run('openssl', args, options);

/** Runs a Python program given as text (`python3 -c`) with Debian's interpreter; `sys.argv[1:]` are `args`. */
export const python = (script: string, args: string[] = [], options?: RunOptions) => run(PYTHON, ['-c', script, ...args], options);

export const keytool = (args: string[], options?: RunOptions) => run('keytool', args, options);

/** A temporary folder (from `mkdtemp`) with helpers; call `remove()` when done. */
export interface TempDir {
  path: string;
  /** The full path of a file name in the folder. */
  file(name: string): string;
  /** Writes a file and returns its full path. */
  write(name: string, data: string | Uint8Array): Promise<string>;
  read(name: string): Promise<Buffer>;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'appcert-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  const file = (name: string) => join(path, name);
  return {
    path,
    file,
    async write(name, data) {
      await writeFile(file(name), data);
      return file(name);
    },
    read: (name) => readFile(file(name)),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
