import { describe, expect, it } from 'vitest';
import { NO_ALT_NAMES, parseAltNames } from '../../src/lib/plain/altNames';
import { checkCreateRequest, type CreateRequest } from '../../src/lib/plain/createRequest';
import { authCommand, endpointProblem } from '../../src/lib/nextSteps';
import { confirmationProblem } from '../../src/lib/plain/password';
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

describe('confirmationProblem', () => {
  it('accepts the same password twice', () => expect(confirmationProblem('pw-1', 'pw-1')).toBeNull());
  it('asks for the second entry when it is empty', () => expect(confirmationProblem('pw-1', '')).toMatch(/second time/));
  it('says when the two differ', () => expect(confirmationProblem('pw-1', 'pw-2')).toMatch(/differ/));
});

describe('endpointProblem', () => {
  it.each(['', 'apps.sdkmsdev.uk.myorg.com', 'dsm.example.com:8443', '10.0.0.7'])('accepts %j', (host) =>
    expect(endpointProblem(host)).toBeNull(),
  );
  it('accepts a pasted https address and puts only its host and port into the command', () => {
    expect(endpointProblem('https://apps.example.com:8443/')).toBeNull();
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
    expect(endpointProblem('http://apps.example.com/')).toMatch(/over https/);
  });
  it('refuses text that would break the shell command, and keeps it out of the command', () => {
    expect(endpointProblem('apps.example.com; rm -rf ~')).toMatch(/host name/);
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
  it('finds nothing wrong with a complete request', () => {
    expect(checkCreateRequest(request()).errors).toEqual([]);
  });
  it('reports each alternative name that is not a DNS name or email, on the altNames field', () => {
    const { errors } = checkCreateRequest(request({ altNames: parseAltNames('ok.example.com, bad_name!, a@b@c') }));
    expect(errors.map((e) => e.field)).toEqual(['altNames', 'altNames']);
    expect(errors[0].message).toContain('"bad_name!" is not a DNS name');
  });
  it('notes the UUID it will use when it cleaned what was typed', () => {
    const checked = checkCreateRequest(request({ appId: `{${APP_ID.toUpperCase()}}` }));
    expect(checked.errors).toEqual([]);
    expect(checked.appId).toBe(APP_ID);
    expect(checked.notes).toEqual([`Using ${APP_ID}: the same UUID without the curly braces and in lower case, as DSM shows it.`]);
  });
  it('ignores the validity of a CSR, which the CA sets', () => {
    expect(checkCreateRequest(request({ mode: 'csr', days: Number.NaN })).errors).toEqual([]);
    expect(checkCreateRequest(request({ days: Number.NaN })).errors.map((e) => e.field)).toEqual(['days']);
  });
});
