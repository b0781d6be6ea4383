import { describe, expect, it } from 'vitest';
import { formatAltNames, formatIpAddress, ipAddressBytes, parseAltNames, validateAltNames } from '../../src/lib/plain/altNames';
import { toHex } from '../../src/lib/plain/bytes';
import { clientExtensions } from '../../src/lib/extensions';

// subjectAltName entries as typed in the Create form: IP literals become iPAddress entries.

const hex = (bytes: Uint8Array | null) => (bytes ? toHex(new Uint8Array(bytes)) : null);

describe('ipAddressBytes', () => {
  it.each([
    ['10.0.0.1', '0a000001'],
    ['255.255.255.255', 'ffffffff'],
    ['2001:db8::1', '20010db8000000000000000000000001'],
    ['[2001:DB8::1]', '20010db8000000000000000000000001'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['fe80::', 'fe800000000000000000000000000000'],
    ['::ffff:10.0.0.2', '00000000000000000000ffff0a000002'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
  ])('reads %j as %s', (text, bytes) => expect(hex(ipAddressBytes(text))).toBe(bytes));

  it.each([
    '256.0.0.1',
    '10.0.0',
    '10.0.0.1.2',
    '010.0.0.1',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '1:2:3:4:5:6:7::8',
    'g::1',
    '12345::',
    '::1.2.3',
    'fe80::1%eth0',
    '',
  ])('refuses %j', (text) => expect(ipAddressBytes(text)).toBeNull());
});

describe('formatIpAddress', () => {
  it('prints as OpenSSL does: dotted IPv4, eight upper-case groups for IPv6', () => {
    expect(formatIpAddress(ipAddressBytes('10.0.0.1')!)).toBe('10.0.0.1');
    expect(formatIpAddress(ipAddressBytes('2001:db8::1')!)).toBe('2001:DB8:0:0:0:0:0:1');
    expect(formatIpAddress(ipAddressBytes('::ffff:10.0.0.2')!)).toBe('0:0:0:0:0:FFFF:A00:2');
  });
});

describe('parseAltNames with IP addresses', () => {
  it('sorts IP literals out of the DNS names', () => {
    expect(parseAltNames('app.example.com 10.0.0.1, 2001:db8::1; ops@example.com 10.0.0.1')).toEqual({
      dns: ['app.example.com'],
      email: ['ops@example.com'],
      ip: ['10.0.0.1', '2001:db8::1'],
    });
  });
  it('reports a number-only entry that is no IPv4 address as a bad IP address, not a DNS name', () => {
    const names = parseAltNames('10.0.0.256, 1.2.3');
    expect(names.dns).toEqual([]);
    expect(validateAltNames(names)).toEqual(
      ['10.0.0.256', '1.2.3'].map((ip) => ({
        ok: false,
        code: 'alt-name-not-ip',
        message: `"${ip}" is not an IP address: write IPv4 as four numbers 0-255 like 10.0.0.1, IPv6 like 2001:db8::1.`,
      })),
    );
  });
});

describe('formatAltNames', () => {
  it('lists the entries as openssl x509 -ext subjectAltName prints them, in the order they are written', () => {
    expect(formatAltNames(parseAltNames('ops@example.com 2001:db8::1 app.example.com 10.0.0.1'))).toBe(
      'DNS:app.example.com, IP Address:2001:DB8:0:0:0:0:0:1, IP Address:10.0.0.1, email:ops@example.com',
    );
  });
  it('is empty without names', () => expect(formatAltNames(parseAltNames(''))).toBe(''));
});

describe('clientExtensions', () => {
  it('writes an IP address as iPAddress [7] with its 4 or 16 bytes, after the DNS names', () => {
    const extensions = clientExtensions({
      keyType: 'ec-p256',
      subjectKeyId: new Uint8Array(20),
      altNames: parseAltNames('a.example.com 10.0.0.1 ::1'),
    });
    const san = extensions.find((e) => e.extnID === '2.5.29.17')!;
    // SEQUENCE { [2] "a.example.com", [7] 0a000001, [7] ::1 }
    expect(toHex(new Uint8Array(san.extnValue.valueBlock.valueHexView))).toBe(
      `3027820d${toHex(new TextEncoder().encode('a.example.com'))}87040a0000018710${'00'.repeat(15)}01`,
    );
  });
});
