import { describe, expect, it } from 'vitest';
import { NO_ALT_NAMES, parseAltNames } from '../../src/lib/plain/altNames';
import { checkCreateRequest, typedAppId, type CreateRequest } from '../../src/lib/plain/createRequest';
import { readEndpoint } from '../../src/lib/endpoint';
import { authCommand } from '../../src/lib/nextSteps';
import { confirmedPassword } from '../../src/lib/plain/password';
import { EMPTY_SUBJECT } from '../../src/lib/plain/subject';
import type { AppId } from '../../src/lib/plain/uuid';

// What the Create form checks as the user types, in the pkijs-free part of the core.

const APP_ID = 'acc15bf3-e626-47aa-9373-7b08b3f26ee8';
const request = (changes: Partial<CreateRequest> = {}): CreateRequest => ({
  appId: APP_ID,
  placement: 'oid',
  oidStringType: 'UTF8String',
  subject: EMPTY_SUBJECT,
  keyType: 'rsa-2048',
  mode: 'self-signed',
  days: 365,
  altNames: NO_ALT_NAMES,
  keyPassword: 'Correct-Horse-Battery-9',
  ...changes,
});

describe('parseAltNames', () => {
  it('splits on commas, semicolons, spaces and line breaks, and sorts emails from DNS names', () => {
    expect(parseAltNames(' a.example.com, team@example.com;b.example.com\n\nops@example.com  a.example.com ')).toEqual({
      dns: ['a.example.com', 'b.example.com'],
      email: ['team@example.com', 'ops@example.com'],
      ip: [],
    });
  });
  it('reads an empty box as no names', () => {
    expect(parseAltNames(' \n ')).toEqual(NO_ALT_NAMES);
  });
});

describe('confirmedPassword', () => {
  it('accepts the same password twice', () => expect(confirmedPassword('pw-1', 'pw-1')).toEqual({ ok: true, value: 'pw-1' }));
  it('asks for the second entry when it is empty', () =>
    expect(confirmedPassword('pw-1', '')).toEqual({
      ok: false,
      code: 'confirmation-missing',
      message: 'Type the password a second time to confirm it.',
    }));
  it('says when the two differ', () =>
    expect(confirmedPassword('pw-1', 'pw-2')).toEqual({
      ok: false,
      code: 'passwords-differ',
      message: 'The two passwords differ: type the same password in both fields.',
    }));
});

describe('readEndpoint', () => {
  it.each(['', 'apps.sdkmsdev.uk.myorg.com', 'dsm.example.com:8443', '10.0.0.7'])('accepts %j', (host) =>
    expect(readEndpoint(host).ok).toBe(true),
  );
  it('accepts a pasted https address and puts only its host and port into the command', () => {
    expect(readEndpoint('https://apps.example.com:8443/')).toEqual({ ok: true, value: { host: 'apps.example.com:8443', fromUrl: true } });
    const command = authCommand({
      appId: APP_ID as AppId,
      placement: 'oid',
      certificateFile: 'a.crt',
      keyFile: 'a.key',
      endpoint: 'https://apps.example.com:8443/',
      keyEncrypted: false,
    });
    expect(command.split('\n')[0]).toBe('curl https://apps.example.com:8443/sys/v1/session/auth -X POST \\');
  });
  it('refuses a plain http address, which the mutual-TLS endpoint does not serve', () => {
    expect(readEndpoint('http://apps.example.com/')).toMatchObject({ ok: false, code: 'endpoint-not-https', message: /over https/ });
  });
  it('refuses text that would break the shell command, and keeps it out of the command', () => {
    expect(readEndpoint('apps.example.com; rm -rf ~')).toMatchObject({ ok: false, code: 'endpoint-bad-host', message: /host name/ });
    const command = authCommand({
      appId: APP_ID as AppId,
      placement: 'oid',
      certificateFile: 'a.crt',
      keyFile: 'a.key',
      endpoint: 'apps.example.com; rm -rf ~',
      keyEncrypted: false,
    });
    expect(command).not.toContain('rm -rf');
    expect(command).toContain('<your-dsm-mtls-endpoint>');
  });
  it('puts an accepted endpoint into the curl command', () => {
    const command = authCommand({
      appId: APP_ID as AppId,
      placement: 'oid',
      certificateFile: 'a.crt',
      keyFile: 'a.key',
      endpoint: 'dsm.example.com:8443',
      keyEncrypted: false,
    });
    expect(command.split('\n')[0]).toBe('curl https://dsm.example.com:8443/sys/v1/session/auth -X POST \\');
  });
});

describe('checkCreateRequest', () => {
  /** The [field, code] of each problem; none for a request that can be made. */
  const problems = (changes: Partial<CreateRequest>) => {
    const checked = checkCreateRequest(request(changes));
    return checked.ok ? [] : checked.problems.map((p) => [p.field, p.code]);
  };
  it('finds nothing wrong with a complete request', () => {
    expect(checkCreateRequest(request())).toEqual({ ok: true, value: { appId: APP_ID, notes: [] } });
  });
  it('reports each alternative name that is not a DNS name or email, on the altNames field', () => {
    const checked = checkCreateRequest(request({ altNames: parseAltNames('ok.example.com, bad_name!, a@b@c') }));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.map((p) => [p.field, p.code])).toEqual([
      ['altNames', 'alt-name-not-dns'],
      ['altNames', 'alt-name-not-email'],
    ]);
    expect(checked.problems[0].message).toContain('"bad_name!" is not a DNS name');
  });
  it('notes the UUID it will use when it cleaned what was typed', () => {
    const notes = [`Using ${APP_ID}: the same UUID without the curly braces and in lower case, as DSM shows it.`];
    expect(checkCreateRequest(request({ appId: `{${APP_ID.toUpperCase()}}` }))).toEqual({ ok: true, value: { appId: APP_ID, notes } });
    // The form shows the note while other fields still have problems.
    expect(typedAppId(`{${APP_ID.toUpperCase()}}`)).toEqual({ appId: APP_ID, notes });
    expect(typedAppId(`{{${APP_ID}}}`)).toEqual({ appId: null, notes: [] });
  });
  it('ignores the validity of a CSR, which the CA sets', () => {
    expect(problems({ mode: 'csr', days: Number.NaN })).toEqual([]);
    expect(problems({ days: Number.NaN })).toEqual([['days', 'days-out-of-range']]);
  });
  it('leaves the subject fields alone when renewing, which writes the kept subject', () => {
    const subject = { ...EMPTY_SUBJECT, country: 'USA' };
    expect(problems({ subject })).toEqual([['country', 'country-not-iso-code']]);
    expect(problems({ subject, keptSubject: { der: new Uint8Array([0x30, 0]), line: '' } })).toEqual([]);
  });
  it('asks for a key password or the explicit choice of none', () => {
    expect(problems({ keyPassword: '' })).toEqual([['keyPassword', 'key-password-empty']]);
    expect(problems({ keyPassword: null })).toEqual([]);
  });
});
