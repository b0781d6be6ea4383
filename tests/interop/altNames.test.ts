/**
 * IP addresses in the subjectAltName, read by real tools: OpenSSL prints what the Create preview
 * shows, and Python's `ipaddress` and `cryptography` agree with appcert on which texts are IP
 * addresses and which bytes they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAltNames, ipAddressBytes, parseAltNames } from '../../src/lib/plain/altNames';
import { toHex } from '../../src/lib/plain/bytes';
import { createIdentity } from '../../src/lib/create';
import { EMPTY_SUBJECT } from '../../src/lib/plain/subject';
import { openssl, python, tempDir, type TempDir } from './tools';

const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f';
const TYPED = 'app.example.com, 10.0.0.1 192.168.1.254\n2001:db8::1 [fe80::1:2] ::ffff:10.0.0.2 ::1 team@example.com';
const NOT_IP = ['256.0.0.1', '010.0.0.1', '10.0.0', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:2:3:4:5:6:7::8', '12345::', '::1.2.3'];

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir('appcert-altnames-');
});
afterAll(async () => {
  await dir?.remove();
});

// Each argument as Python's ipaddress reads it: its packed bytes in hex, or null when it refuses it.
const PACKED = `
import ipaddress, json, sys
def packed(text):
    try:
        return ipaddress.ip_address(text).packed.hex()
    except ValueError:
        return None
print(json.dumps([packed(t) for t in sys.argv[1:]]))
`;

// The certificate's subjectAltName as cryptography reads it: [kind, value] with IP addresses packed in hex.
const READ_SAN = `
import json, sys
from cryptography import x509
cert = x509.load_pem_x509_certificate(open(sys.argv[1], 'rb').read())
san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
kind = {x509.DNSName: 'dns', x509.IPAddress: 'ip', x509.RFC822Name: 'email'}
print(json.dumps([[kind[type(n)], n.value.packed.hex() if isinstance(n, x509.IPAddress) else n.value] for n in san]))
`;

describe('IP addresses in the subjectAltName', () => {
  it('appcert and Python ipaddress agree on which texts are IP addresses, and on their bytes', async () => {
    const ips = parseAltNames(TYPED).ip!.map((t) => t.replace(/^\[(.*)\]$/, '$1'));
    const texts = [...ips, ...NOT_IP];
    const result = await python(PACKED, texts);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(
      texts.map((t) => {
        const bytes = ipAddressBytes(t);
        return bytes ? toHex(bytes) : null;
      }),
    );
    expect(ips).toHaveLength(6);
  });

  it('refuses a scoped IPv6 address, which Python reads: the zone names an interface of one machine, not part of a certificate', async () => {
    const result = await python(PACKED, ['fe80::1%eth0']);
    expect(JSON.parse(result.stdout)).toEqual(['fe800000000000000000000000000001']);
    expect(ipAddressBytes('fe80::1%eth0')).toBeNull();
  });

  it('OpenSSL prints the certificate’s SANs exactly as the preview shows them; cryptography reads iPAddress entries', async () => {
    const altNames = parseAltNames(TYPED);
    const outcome = await createIdentity({
      appId: APP_ID,
      placement: 'oid',
      oidStringType: 'UTF8String',
      subject: { ...EMPTY_SUBJECT, commonName: 'app.example.com' },
      keyType: 'ec-p256',
      mode: 'self-signed',
      days: 30,
      altNames,
      keyPassword: null,
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const cert = await dir.write('ip-san.crt', outcome.value.files[0].text);
    const printed = await openssl(['x509', '-in', cert, '-noout', '-ext', 'subjectAltName'], { env: { OPENSSL_CONF: '/dev/null' } });
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(`X509v3 Subject Alternative Name: \n    ${formatAltNames(altNames)}\n`);
    expect(printed.stdout).toContain('IP Address:10.0.0.1, IP Address:192.168.1.254, IP Address:2001:DB8:0:0:0:0:0:1');

    const read = await python(READ_SAN, [cert]);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual([
      ['dns', 'app.example.com'],
      ['ip', '0a000001'],
      ['ip', 'c0a801fe'],
      ['ip', '20010db8000000000000000000000001'],
      ['ip', 'fe800000000000000000000000010002'],
      ['ip', '00000000000000000000ffff0a000002'],
      ['ip', '00000000000000000000000000000001'],
      ['email', 'team@example.com'],
    ]);
  });
});
