import { describe, expect, it } from 'vitest';
import { endpointHost, readEndpoint } from '../../src/lib/endpoint';

// The endpoint field of the Create and Complete results: a host name or a pasted address.

describe('readEndpoint', () => {
  it.each([
    ['apps.sdkmsdev.uk.myorg.com', 'apps.sdkmsdev.uk.myorg.com', false],
    ['  dsm.example.com:8443 ', 'dsm.example.com:8443', false],
    ['10.0.0.7', '10.0.0.7', false],
    ['https://apps.example.com/', 'apps.example.com', true],
    ['HTTPS://apps.example.com', 'apps.example.com', true],
    ['https://apps.example.com:8443/sys/v1/session/auth?x=1#top', 'apps.example.com:8443', true],
    ['apps.example.com/sys/v1/session/auth', 'apps.example.com', true],
  ])('reads %j as host %j', (text, host, fromUrl) => {
    expect(readEndpoint(text)).toEqual({ ok: true, value: { host, fromUrl } });
  });

  it('reads an empty field as no endpoint yet', () => expect(readEndpoint('  ')).toEqual({ ok: true, value: null }));

  it.each([
    ['http://apps.example.com/', 'endpoint-not-https'],
    ['ftp://apps.example.com', 'endpoint-not-https'],
    ['https://admin:pw@apps.example.com/', 'endpoint-has-login'],
    ['apps.example.com; rm -rf ~', 'endpoint-bad-host'],
    ['$(id).example.com', 'endpoint-bad-host'],
    ['apps.example.com:99999', 'endpoint-bad-host'],
    ['apps.example.com:0', 'endpoint-bad-host'],
    ['https://', 'endpoint-bad-host'],
    ['-apps.example.com', 'endpoint-bad-host'],
  ])('refuses %j with %s and says what to type', (text, code) => {
    const endpoint = readEndpoint(text);
    expect(endpoint.ok).toBe(false);
    if (!endpoint.ok) {
      expect(endpoint.code).toBe(code);
      expect(endpoint.message).toContain('apps.sdkmsdev.uk.myorg.com');
    }
  });
});

describe('endpointHost', () => {
  it('is the host to put into the command, or null', () => {
    expect(endpointHost('https://apps.example.com:444/')).toBe('apps.example.com:444');
    expect(endpointHost('')).toBeNull();
    expect(endpointHost(undefined)).toBeNull();
    expect(endpointHost('not a host')).toBeNull();
  });
});
