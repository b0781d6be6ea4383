/** `appcert generate`, run as a user runs it: `node bin/appcert.mjs ...` in a child process. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { run, tempDir, type TempDir } from '../interop/tools';
import { BIN, buildCli, expectUsageMistake } from './cli-process';

const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f';
const OID_LINE = `1.3.6.1.4.1.49690.1.2.1 = ${APP_ID}`;

let dir: TempDir;
beforeAll(async () => {
  buildCli();
  dir = await tempDir('appcert-cli-');
});
afterAll(async () => {
  await dir?.remove();
});

const appcert = (...args: string[]) => run(process.execPath, [BIN, ...args], { cwd: dir.path, timeout: 60_000 });
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('appcert generate writes the files', { timeout: 60_000 }, () => {
  it('a self-signed certificate and an encrypted key, described by --json', async () => {
    const out = dir.file('self-signed');
    const result = await appcert(
      'generate',
      '--app-id',
      APP_ID,
      '--key',
      'ec-p256',
      '--subject',
      '/C=US/O=Example, Inc./CN=payments',
      '--key-password',
      'pw for tests',
      '--out',
      out,
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      appId: APP_ID,
      placement: 'oid',
      keyType: 'ec-p256',
      kind: 'self-signed',
      subject: `C = US, O = "Example, Inc.", CN = payments, ${OID_LINE}`,
      keyEncrypted: true,
      files: { certificate: join(out, `app-${APP_ID}.crt`), privateKey: join(out, `app-${APP_ID}.key`) },
    });
    expect(Object.keys(json.files).sort()).toEqual(['certificate', 'privateKey']);
    expect(json.serialNumber).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(json.notAfter) - Date.parse(json.notBefore)).toBe(365 * 86_400_000 + 5 * 60_000);
    expect(await readFile(json.files.certificate, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(await readFile(json.files.privateKey, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(await mode(json.files.privateKey)).toBe(0o600);
  });

  it('a CSR and a plain key, the key readable by its owner only', async () => {
    const out = dir.file('csr');
    const keyPath = join(out, `app-${APP_ID}.key`);
    const result = await appcert('generate', '--app-id', APP_ID, '--csr', '--placement', 'cn', '--key', 'ec-p384', '--out', out, '--json');
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      kind: 'csr',
      placement: 'cn',
      keyType: 'ec-p384',
      keyEncrypted: false,
      subject: `CN = ${APP_ID}`,
      notBefore: null,
      notAfter: null,
      serialNumber: null,
    });
    expect(json.files).toEqual({ csr: join(out, `app-${APP_ID}.csr`), privateKey: keyPath });
    expect(await readFile(json.files.csr, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(await readFile(keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(await mode(keyPath)).toBe(0o600);
  });

  it('explains in words what it made, with the login command, a note on upper case and a warning on a plain key', async () => {
    const out = dir.file('human');
    const result = await appcert(
      'generate',
      '--app-id',
      APP_ID.toUpperCase(),
      '--placement',
      'none',
      '--key',
      'ec-p256',
      '--subject',
      '/CN=payments',
      '--days',
      '30',
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Note: Using ${APP_ID}: the same UUID in lower case, as DSM shows it.`);
    expect(result.stdout).toContain(`Created a self-signed certificate for app ${APP_ID}`);
    expect(result.stdout).toContain('subject: CN = payments\n');
    expect(result.stdout).toContain(`--cert app-${APP_ID}.crt \\\n  --key app-${APP_ID}.key \\\n  -u ${APP_ID}:`);
    expect(result.stderr).toContain('Warning: the private key is not encrypted.');
    expect(existsSync(join(out, `app-${APP_ID}.crt`))).toBe(true);
  });
});

// Each run starts Node (a fraction of a second, more on a busy machine): the forms the issue names run
// as real processes, the remaining argument checks run in-process through the same main().
describe.concurrent('appcert generate refuses bad arguments with exit code 2, a message and no stack trace', { timeout: 60_000 }, () => {
  it.each([
    ['a malformed UUID', ['--app-id', `{{${APP_ID}}}`], '--app-id: Remove the curly braces'],
    ['an unknown option', ['--colour', 'red'], "Unknown option '--colour'"],
    ['a bad --placement', ['--placement', 'san'], '--placement must be cn, oid or none, not "san".'],
    ['a bad --key', ['--key', 'rsa-1024'], '--key must be one of rsa-2048, rsa-3072, rsa-4096, ec-p256, ec-p384, not "rsa-1024".'],
    ['a bad --days', ['--days', 'a year'], '--days must be a whole number of days, not "a year".'],
    ['a bad --subject', ['--subject', '/C=US/SN=Smith'], '--subject: Unknown subject attribute "SN"'],
  ])('%s', async (_, args, message) => {
    const out = dir.file(`refused-${args.join('_').replace(/[^a-z0-9]+/gi, '-')}`);
    const result = await appcert('generate', '--app-id', APP_ID, '--key', 'ec-p256', ...args, '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Run "appcert help" for the options.');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});

describe('appcert generate never overwrites', { timeout: 60_000 }, () => {
  it('refuses, before writing anything, when a file it would write exists', async () => {
    const out = dir.file('existing');
    await mkdir(out);
    const oldKey = join(out, `app-${APP_ID}.key`);
    await writeFile(oldKey, 'the key registered in DSM');
    const result = await appcert('generate', '--app-id', APP_ID, '--key', 'ec-p256', '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${oldKey} already exists. appcert never overwrites keys or certificates: choose another --out folder, or move the old files away first. Nothing was written.`,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await readFile(oldKey, 'utf8')).toBe('the key registered in DSM');
    expect(existsSync(join(out, `app-${APP_ID}.crt`))).toBe(false);
  });
});

describe('appcert main() reports every other argument mistake the same way', () => {
  let output: { out: string; err: string };
  beforeEach(() => {
    output = { out: '', err: '' };
    vi.spyOn(console, 'log').mockImplementation((...text: unknown[]) => void (output.out += `${text.join(' ')}\n`));
    vi.spyOn(console, 'error').mockImplementation((...text: unknown[]) => void (output.err += `${text.join(' ')}\n`));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const base = ['generate', '--app-id', APP_ID, '--key', 'ec-p256'];

  it.each([
    ['a UUID without hyphens', ['generate', '--app-id', APP_ID.replaceAll('-', '')], '--app-id: The hyphens are missing'],
    ['an empty UUID', ['generate', '--app-id', ' '], '--app-id: Enter the app UUID'],
    ['no --app-id', ['generate'], '--app-id is required'],
    ['no --out', ['generate', '--app-id', APP_ID], '--out is required'],
    ['a stray argument', [...base, 'extra'], "Unexpected argument 'extra'"],
    ['an --out without a value', [...base, '--out'], "Option '--out <value>' argument missing"],
    ['negative --days', [...base, '--days=-5'], '--days must be a whole number of days, not "-5".'],
    ['fractional --days', [...base, '--days', '1.5'], '--days must be a whole number of days, not "1.5".'],
    ['zero --days', [...base, '--days', '0'], '--days: Validity must be a whole number of days from 1 to 3650. [days-out-of-range]'],
    ['too many --days', [...base, '--days', '3651'], '--days: Validity must be a whole number of days from 1 to 3650.'],
    [
      'a --subject without a slash',
      [...base, '--subject', 'CN=x'],
      '--subject: The subject must start with "/", like /C=US/O=Example/CN=name. [subject-no-slash]',
    ],
    ['the UUID OID in --subject', [...base, '--subject', `/1.3.6.1.4.1.49690.1.2.1=${APP_ID}`], 'the app UUID goes in with --placement'],
    ['a bad country in --subject', [...base, '--subject', '/C=USA'], '--subject: Use the two-letter ISO 3166 country code'],
    ['a repeated attribute in --subject', [...base, '--subject', '/OU=a/OU=b'], '--subject: OU appears twice'],
    [
      'a CN in --subject with --placement cn',
      [...base, '--placement', 'cn', '--subject', '/O=Example/CN=payments'],
      '--subject: with --placement cn the CN is the app UUID',
    ],
    ['a too long CN in --subject', [...base, '--subject', `/CN=${'x'.repeat(65)}`], '--subject: Common name can be at most 64 characters'],
    ['an empty subject for placement none', [...base, '--placement', 'none'], '--subject: The subject would be empty'],
    [
      'an empty --key-password',
      [...base, '--key-password', ''],
      '--key-password: must not be empty: leave --key-password out to write the key unencrypted. [key-password-empty]',
    ],
  ])('%s', async (_, args, message) => {
    const out = dir.file(
      `in-process-${args
        .join('_')
        .replace(/[^a-z0-9]+/gi, '-')
        .slice(0, 80)}`,
    );
    const withOut = args.includes('--out') || message.includes('--out') ? args : [...args, '--out', out];
    expectUsageMistake(await main(withOut), output, message, out);
  });

  it('names an unknown command and prints the usage', async () => {
    expect(await main(['genrate'])).toBe(2);
    expect(output.err).toContain('appcert: unknown command "genrate".');
    expect(output.err).toContain('appcert generate --app-id <uuid> --out <dir>');
  });

  it('prints the usage for help (exit 0) and for no command (exit 2)', async () => {
    expect(await main(['help'])).toBe(0);
    expect(await main([])).toBe(2);
    expect(output.out.match(/appcert generate --app-id <uuid> --out <dir>/g)).toHaveLength(2);
  });
});
