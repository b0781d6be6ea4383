import { describe, expect, it } from 'vitest';
import { fromBase64, looksLikePem, parsePem, toBase64, toPem } from '../../src/lib/pem';

/** Bytes 0, 1, 2, ... so every base64 alphabet position shows up. */
const sequence = (length: number) => Uint8Array.from({ length }, (_, i) => i % 256);

describe('toPem', () => {
  it('wraps base64 at 64 columns between BEGIN and END lines', () => {
    const pem = toPem(sequence(200), 'CERTIFICATE');
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-2)).toBe('-----END CERTIFICATE-----');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -2);
    // 200 bytes are 268 base64 characters: four full lines and one of 12.
    expect(body.map((l) => l.length)).toEqual([64, 64, 64, 64, 12]);
    expect(body.join('')).toBe(Buffer.from(sequence(200)).toString('base64'));
  });

  it('writes no short last line when the base64 fills whole lines', () => {
    const body = toPem(sequence(48), 'PRIVATE KEY').split('\n').slice(1, -2);
    expect(body).toEqual([Buffer.from(sequence(48)).toString('base64')]);
  });
});

describe('parsePem', () => {
  it('round-trips what toPem writes, for every length', () => {
    for (const length of [1, 2, 3, 47, 48, 49, 1000]) {
      const der = sequence(length);
      expect(parsePem(toPem(der, 'CERTIFICATE REQUEST'))).toEqual({ ok: true, value: [{ label: 'CERTIFICATE REQUEST', der }] });
    }
  });

  it('reads every block in order, ignoring text around them and CRLF line ends', () => {
    const text =
      `Bag Attributes\r\n    friendlyName: app\r\n${toPem(sequence(10), 'CERTIFICATE')}junk between\n${toPem(sequence(20), 'ENCRYPTED PRIVATE KEY')}`.replaceAll(
        '\n',
        '\r\n',
      );
    const parsed = parsePem(text);
    expect(parsed.ok && parsed.value.map((b) => [b.label, b.der.length])).toEqual([
      ['CERTIFICATE', 10],
      ['ENCRYPTED PRIVATE KEY', 20],
    ]);
  });

  it('ignores RFC 1421 header lines inside a block', () => {
    const pem = toPem(sequence(30), 'RSA PRIVATE KEY').replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00FF\n\n');
    const parsed = parsePem(pem);
    expect(parsed.ok && parsed.value[0].der).toEqual(sequence(30));
  });

  it('says a block without an END line was cut short', () => {
    const pem = toPem(sequence(200), 'CERTIFICATE');
    const parsed = parsePem(pem.slice(0, pem.indexOf('-----END')));
    expect(parsed).toEqual({
      ok: false,
      code: 'truncated-pem',
      message: 'The "CERTIFICATE" block has no END line: the file was cut short. Copy or download it again in full.',
    });
  });

  it('says so when BEGIN and END labels differ', () => {
    const pem = toPem(sequence(20), 'CERTIFICATE').replace('END CERTIFICATE', 'END PRIVATE KEY');
    expect(parsePem(pem)).toMatchObject({
      ok: false,
      code: 'truncated-pem',
      message: expect.stringContaining('ends with an END line for "PRIVATE KEY"'),
    });
  });

  it.each([
    ['a character that is not base64', (body: string) => `${body.slice(0, 10)}!${body.slice(11)}`],
    ['a missing character', (body: string) => body.slice(1)],
    ['padding in the middle', (body: string) => `AA==${body}`],
    ['an empty body', () => ''],
  ])('refuses %s', (_, damage) => {
    const der = sequence(30);
    const body = Buffer.from(der).toString('base64');
    const parsed = parsePem(`-----BEGIN CERTIFICATE-----\n${damage(body)}\n-----END CERTIFICATE-----\n`);
    expect(parsed).toEqual({
      ok: false,
      code: 'bad-base64',
      message: 'The "CERTIFICATE" block is not valid base64 (a character was changed or lines are missing). Copy it again in full.',
    });
  });

  it.each(['', 'hello', Buffer.from(sequence(30)).toString('base64'), '-----BEGIN certificate-----'])('finds no PEM in %j', (text) => {
    expect(parsePem(text)).toEqual({
      ok: false,
      code: 'no-pem',
      message: 'No "-----BEGIN ...-----" block was found: this is not PEM text.',
    });
  });
});

describe('base64 helpers', () => {
  it('handles inputs far beyond the argument limit of String.fromCharCode', () => {
    const big = sequence(150_000);
    const text = toBase64(big);
    expect(text).toBe(Buffer.from(big).toString('base64'));
    expect(fromBase64(text)).toEqual(big);
  });

  it('ignores white space and refuses other characters', () => {
    expect(fromBase64('AA\nEC\r\n Aw==')).toEqual(new Uint8Array([0, 1, 2, 3]));
    expect(fromBase64('AA-_')).toBeNull();
    expect(fromBase64('AAA')).toBeNull();
  });

  it('tells PEM text from other text', () => {
    expect(looksLikePem(toPem(sequence(3), 'CERTIFICATE'))).toBe(true);
    expect(looksLikePem('MIIB...')).toBe(false);
  });
});
