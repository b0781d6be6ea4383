/**
 * The CLI's passwords (OpenSSL's -passin forms), the files it writes (new, never through a link,
 * all or none) and what it prints (nothing from a file that a terminal would obey).
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNewFiles } from '../../src/cli/output';
import { UsageError } from '../../src/cli/usage';
import { openssl, run, tempDir, type TempDir } from '../interop/tools';
import { appcertProcess, BIN, buildCli, type CliOptions } from './cli-process';

const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f';
const P12 = `app-${APP_ID}.p12`;

let dir: TempDir;
beforeAll(async () => {
  buildCli();
  dir = await tempDir('appcert-cli-secrets-');
});
afterAll(async () => {
  await dir?.remove();
});

const appcert = (args: string[], options: Partial<CliOptions> = {}) => appcertProcess(args, { cwd: dir.path, ...options });
const generate = (out: string, extra: string[], options: Partial<CliOptions> = {}) =>
  appcert(['generate', '--app-id', APP_ID, '--key', 'ec-p256', '--out', out, ...extra], options);

/** Whether `appcert verify` opens the PKCS#12 file with this bare (literal) password. */
async function opensWith(path: string, password: string): Promise<boolean> {
  const result = await appcert(['verify', '--json', '--password', password, path]);
  const [report] = JSON.parse(result.stdout) as { kind: string; actions: { code: string }[] }[];
  return report.kind === 'pkcs12' && !report.actions.some((a) => a.code === 'wrong-password');
}

describe('password options take OpenSSL -passin forms', { timeout: 120_000 }, () => {
  it.each<[string, (passwordFile: string) => { value: string; options?: Partial<CliOptions> }, string]>([
    ['pass:TEXT', () => ({ value: 'pass:s3cret: pass' }), 's3cret: pass'],
    ['env:NAME', () => ({ value: 'env:APPCERT_TEST_PASSWORD', options: { env: { APPCERT_TEST_PASSWORD: 's3cret env' } } }), 's3cret env'],
    ['file:PATH (first line only)', (file) => ({ value: `file:${file}` }), 's3cret file'],
    ['fd:N (an extra descriptor given by the parent)', () => ({ value: 'fd:3', options: { fd3: 's3cret fd\nnot this\n' } }), 's3cret fd'],
    [
      'stdin (the first line of standard input)',
      () => ({ value: 'stdin', options: { stdin: 's3cret stdin\nnot this\n' } }),
      's3cret stdin',
    ],
    ['a bare value, literally', () => ({ value: 'env-like but bare' }), 'env-like but bare'],
  ])('%s', async (form, given, password) => {
    const out = dir.file(`p12-${form.replace(/[^a-z0-9]+/gi, '-')}`);
    const file = await dir.write(`${form.slice(0, 4)}-password.txt`, 's3cret file\nsecond line\n');
    const { value, options } = given(file);
    const result = await generate(out, ['--p12-password', value, '--json'], options);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(password);
    // Read back with the password given bare: the form delivered exactly this text, no more.
    expect(await opensWith(join(out, P12), password)).toBe(true);
    expect(await opensWith(join(out, P12), `${password}\n`)).toBe(false);
  });

  it('recommends env: or file: in the help', async () => {
    const help = await appcert(['help']);
    expect(help.stdout).toMatch(/env:NAME .*\(recommended\)/);
    expect(help.stdout).toMatch(/file:PATH .*\(recommended\)/);
    expect(help.stdout).toContain('other users can see it in the process list');
  });

  it('reads file: from a pipe too (bash process substitution, as with a vault command)', async () => {
    const out = dir.file('p12-process-substitution');
    const result = await run(
      'bash',
      [
        '-c',
        `"$0" "$1" generate --app-id ${APP_ID} --key ec-p256 --out "$2" --p12-password file:<(printf 's3cret pipe\\nnot this')`,
        process.execPath,
        BIN,
        out,
      ],
      { cwd: dir.path },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await opensWith(join(out, P12), 's3cret pipe')).toBe(true);
  });

  it('gives stdin line by line when two options read it, as openssl does', async () => {
    const out = dir.file('two-on-stdin');
    const result = await generate(out, ['--key-password', 'stdin', '--p12-password', 'stdin'], { stdin: 'key secret\np12 secret\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(await opensWith(join(out, P12), 'p12 secret')).toBe(true);
    const key = await openssl(['pkey', '-in', join(out, `app-${APP_ID}.key`), '-passin', 'pass:key secret', '-noout']);
    expect(key.code, key.stderr).toBe(0);
  });

  it.each([
    [
      'a missing environment variable',
      ['--p12-password', 'env:APPCERT_NOT_SET'],
      '--p12-password env:APPCERT_NOT_SET: the environment variable APPCERT_NOT_SET is not set.',
    ],
    [
      'a missing password file',
      ['--key-password', 'file:no-such-file.txt'],
      '--key-password file:no-such-file.txt: the password file cannot be used: it does not exist.',
    ],
    ['a folder as password file', ['--key-password', 'file:.'], 'it is a folder'],
    ['a descriptor that is not open', ['--key-password', 'fd:987'], '--key-password fd:987: the password cannot be read: it is not open.'],
    ['a descriptor that is not a number', ['--key-password', 'fd:three'], 'fd: needs a file descriptor number'],
    ['an empty standard input', ['--key-password', 'stdin'], '--key-password stdin (standard input): nothing to read'],
  ])('refuses %s with exit code 2, names the option and writes nothing', async (_, args, message) => {
    const out = dir.file(`refused-${args.join('-').replace(/[^a-z0-9]+/gi, '-')}`);
    const result = await generate(out, args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });

  it('never prints the password it read, not even a wrong one', async () => {
    const out = dir.file('wrong-password');
    expect((await generate(out, ['--p12-password', 'pass:right'])).code).toBe(0);
    const secretFile = await dir.write('wrong-password.txt', 'hunter2-wrong\n');
    for (const args of [['--json'], []]) {
      const result = await appcert(['verify', ...args, '--password', `file:${secretFile}`, join(out, P12)]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('wrong-password');
      expect(result.stdout + result.stderr).not.toContain('hunter2');
    }
  });
});

describe('files the CLI writes', { timeout: 120_000 }, () => {
  it('refuses a symbolic link planted at a file name: not followed, not changed, exit 2, nothing written', async () => {
    const outside = await tempDir('appcert-outside-');
    try {
      const target = await outside.write('victim.txt', 'do not touch');
      const dangling = outside.file('would-be-created.txt');
      const out = dir.file('planted');
      await mkdir(out);
      await symlink(target, join(out, `app-${APP_ID}.key`));
      await symlink(dangling, join(out, `app-${APP_ID}.crt`));
      const result = await generate(out, ['--p12-password', 'pass:x']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('are symbolic links: appcert never writes through a link');
      expect(result.stderr).toContain('Nothing was written.');
      expect(await readFile(target, 'utf8')).toBe('do not touch');
      expect(existsSync(dangling)).toBe(false);
      expect((await readdir(out)).sort()).toEqual([`app-${APP_ID}.crt`, `app-${APP_ID}.key`]);
      expect(await readlink(join(out, `app-${APP_ID}.key`))).toBe(target);
    } finally {
      await outside.remove();
    }
  });

  it('writes keys and PKCS#12 files readable by their owner only', async () => {
    const out = dir.file('modes');
    const result = await generate(out, ['--p12-password', 'pass:x']);
    expect(result.code, result.stderr).toBe(0);
    expect((await lstat(join(out, P12))).mode & 0o777).toBe(0o600);
    expect((await lstat(join(out, `app-${APP_ID}.key`))).mode & 0o777).toBe(0o600);
  });

  it('removes what it wrote, and the folder it made, when a later file cannot be created', async () => {
    const out = join(dir.file('half-way'), 'nested');
    const twice = join(out, 'same-name.pem');
    // The second file has the first one's name: it passes the check (nothing there yet) and meets the first at creation.
    const attempt = writeNewFiles([
      { path: join(out, 'first.pem'), data: 'one', secret: false },
      { path: twice, data: 'two', secret: false },
      { path: twice, data: 'three', secret: true },
    ]);
    await expect(attempt).rejects.toThrow(/already exists\. .*Nothing was written\./);
    expect(existsSync(dir.file('half-way'))).toBe(false);
  });

  it('leaves an existing folder in place and untouched when it refuses', async () => {
    const out = dir.file('existing-folder');
    await mkdir(out);
    await writeFile(join(out, 'a.pem'), 'old');
    await expect(
      writeNewFiles([
        { path: join(out, 'b.pem'), data: 'new', secret: false },
        { path: join(out, 'a.pem'), data: 'new', secret: false },
      ]),
    ).rejects.toThrow(UsageError);
    expect((await readdir(out)).sort()).toEqual(['a.pem']);
    expect(await readFile(join(out, 'a.pem'), 'utf8')).toBe('old');
  });
});

/** What a terminal would obey or reorder: C0 but newline, DEL, C1 and bidi controls. */
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

describe('what the CLI prints', { timeout: 120_000 }, () => {
  it('shows control and bidi characters from file names and subjects as escapes, in text and JSON', async () => {
    const hostile = `CN=a\u001b[2Jb\u202ecod.exe\u009b31m`;
    const name = `evil\u001b]0;title\u0007\u202e.pem`;
    const key = dir.file('hostile.key');
    const made = await openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      dir.file(name),
      '-days',
      '30',
      '-utf8',
      '-subj',
      `/${hostile}`,
    ]);
    expect(made.code, made.stderr).toBe(0);

    const text = await appcert(['verify', name, `missing\u001b[31m.pem`]);
    expect(text.code).toBe(1);
    expect(text.stdout + text.stderr).not.toMatch(TERMINAL_CONTROL);
    expect(text.stdout).toContain('evil\\x1b]0;title\\x07\\u202e.pem');
    expect(text.stdout).toContain('missing\\x1b[31m.pem');
    // The core prints subjects as OpenSSL does, with control bytes as \XX escapes already.
    expect(text.stdout).toContain('subject: CN = a\\1B[2Jb\\E2\\80\\AEcod.exe\\C2\\9B31m');

    const json = await appcert(['verify', '--json', name]);
    expect(json.stdout).not.toMatch(TERMINAL_CONTROL);
    const [report] = JSON.parse(json.stdout) as { file: string }[];
    expect(report.file).toBe(name);
  });

  it('shows control characters in quoted option values and paths as escapes', async () => {
    const result = await appcert(['generate', '--app-id', APP_ID, '--placement', 'c\u001b[2Jn\u202e', '--out', dir.file('x')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--placement must be cn, oid or none, not "c\\x1b[2Jn\\u202e".');
    expect(result.stderr).not.toMatch(TERMINAL_CONTROL);
    const out = dir.file('out\u001b[31m\u202e');
    const made = await generate(out, []);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).not.toMatch(TERMINAL_CONTROL);
    expect(made.stdout).toContain('out\\x1b[31m\\u202e');
  });
});
