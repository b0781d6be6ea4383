import { describe, expect, it } from 'vitest';
import { chainDigest, sha1, sha256, sha384, sha512, type DigestName } from '../../src/lib/pkcs12/digest';
import { bmpPassword, pkcs12Kdf } from '../../src/lib/pkcs12/kdf';
import { rc2CbcDecrypt, rc2DecryptBlock, rc2EncryptBlock, rc2KeySchedule } from '../../src/lib/pkcs12/rc2';
import { tripleDesCbcDecrypt, tripleDesCbcEncrypt } from '../../src/lib/pkcs12/tripleDes';
import { hex, toHexString } from './pkcs12-identity';

describe('RFC 7292 appendix B key derivation', () => {
  // Dr Stephen Henson's published vectors (drh-consultancy test.txt), as in Bouncy Castle's PKCS12Test.
  it.each([
    ['smeg', '0A58CF64530D823F', 1, 1, 24, '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3'],
    ['smeg', '0A58CF64530D823F', 1, 2, 8, '79993DFE048D3B76'],
    ['smeg', '642B99AB44FB4B1F', 1, 1, 24, 'F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966'],
    ['smeg', '642B99AB44FB4B1F', 1, 2, 8, 'C0A38D64A79BEA1D'],
    ['smeg', '3D83C0E4546AC140', 1, 3, 20, '8D967D88F6CAA9D714800AB3D48051D63F73A312'],
    ['queeg', '05DEC959ACFF72F7', 1000, 1, 24, 'ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4'],
    ['queeg', '05DEC959ACFF72F7', 1000, 2, 8, '11DEDAD7758D4860'],
    ['queeg', '1682C0FC5B3F7EC5', 1000, 1, 24, '483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F'],
    ['queeg', '1682C0FC5B3F7EC5', 1000, 2, 8, '9D461D1B00355C50'],
    ['queeg', '263216FCC2FAB31C', 1000, 3, 20, '5EC4C7A80DF652294C3925B6489A7AB857C83476'],
  ] as const)('SHA-1, password %s, salt %s, %i iterations, ID %i', async (password, salt, iterations, purpose, length, expected) => {
    const out = await pkcs12Kdf({ password: bmpPassword(password), salt: hex(salt), iterations, purpose, length, hash: 'SHA-1' });
    expect(toHexString(out)).toBe(expected.toLowerCase());
  });

  it('derives an HMAC-SHA-256 MAC key as OpenSSL 3 does (PKCS12_key_gen, 2048 iterations)', async () => {
    const out = await pkcs12Kdf({
      password: bmpPassword('123456'),
      salt: hex('e241f01650dbeae4'),
      iterations: 2048,
      purpose: 3,
      length: 32,
      hash: 'SHA-256',
    });
    expect(toHexString(out)).toBe('721259f14aad70b58839f71566b433da1b8ad08f650f4d02faaa0b9b095bb51d');
  });

  it('encodes the password as a NUL-terminated BMPString, surrogate pairs included', () => {
    expect(toHexString(bmpPassword('a€'))).toBe('006120ac0000');
    expect(toHexString(bmpPassword('🔑'))).toBe('d83ddd110000');
    expect(toHexString(bmpPassword(''))).toBe('0000');
  });
});

describe('3DES-CBC', () => {
  const key = hex('0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123');
  const zeroIv = new Uint8Array(8);

  it('matches the NIST SP 800-67 TDEA example block by block', () => {
    const plaintext = new TextEncoder().encode('The qufck brown fox jump');
    const expected = ['a826fd8ce53b855f', 'cce21c8112256fe6', '68d5c05dd9b6b900'];
    // CBC with a zero IV on a single block is the raw block cipher.
    expected.forEach((block, i) => {
      expect(toHexString(tripleDesCbcEncrypt(key, zeroIv, plaintext.slice(i * 8, i * 8 + 8)).slice(0, 8))).toBe(block);
    });
  });

  it('pads with PKCS#7 as openssl enc -des-ede3-cbc does, and decrypts back', () => {
    const plaintext = new TextEncoder().encode('The qufck brown fox jump');
    const ciphertext = tripleDesCbcEncrypt(key, hex('0001020304050607'), plaintext);
    expect(toHexString(ciphertext)).toBe('f368d06f3bbd614e60f2d0245cad3f818d5c69f2cb3fd5c7efa5066e2c4e03b9');
    expect(tripleDesCbcDecrypt(key, hex('0001020304050607'), ciphertext)).toEqual(plaintext);
  });

  it('reports bad padding (a wrong key) as null instead of returning garbage', () => {
    const ciphertext = tripleDesCbcEncrypt(key, zeroIv, new Uint8Array(20));
    const wrongKey = key.slice();
    wrongKey[0] ^= 0x02; // bit 0 is DES parity, so flip another one
    const results = [tripleDesCbcDecrypt(wrongKey, zeroIv, ciphertext), tripleDesCbcDecrypt(key, zeroIv, ciphertext.slice(0, 7))];
    expect(results[1]).toBeNull();
    expect(results[0] === null || results[0].length !== 20).toBe(true);
  });
});

describe('RC2 (RFC 2268 section 5 vectors)', () => {
  it.each([
    ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
    ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
    ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
    ['88', 64, '0000000000000000', '61a8a244adacccf0'],
    ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
    ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
    ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
    ['88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e', 129, '0000000000000000', '5b78d3a43dfff1f1'],
  ] as const)('key %s, %i effective bits', (key, bits, plaintext, ciphertext) => {
    const schedule = rc2KeySchedule(hex(key), bits);
    expect(toHexString(rc2EncryptBlock(schedule, hex(plaintext)))).toBe(ciphertext);
    expect(toHexString(rc2DecryptBlock(schedule, hex(ciphertext)))).toBe(plaintext);
  });

  it('decrypts CBC with PKCS#7 padding, and refuses a bad pad', () => {
    const key = hex('0102030405');
    const schedule = rc2KeySchedule(key, 40);
    const iv = hex('1122334455667788');
    // One block "hello" + 3 bytes of padding, CBC-encrypted by hand from the block cipher.
    const block = Uint8Array.from([...new TextEncoder().encode('hello'), 3, 3, 3].map((b, i) => b ^ iv[i]));
    const ciphertext = rc2EncryptBlock(schedule, block);
    expect(new TextDecoder().decode(rc2CbcDecrypt(key, 40, iv, ciphertext) ?? new Uint8Array())).toBe('hello');
    expect(rc2CbcDecrypt(key, 40, hex('0000000000000000'), ciphertext)).toBeNull();
  });
});

describe('synchronous SHA-1, SHA-256, SHA-384 and SHA-512 (the KDF fast path)', () => {
  it('gives the FIPS 180 "abc" and two-block digests', () => {
    const abc = new TextEncoder().encode('abc');
    expect(toHexString(sha1(abc))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHexString(sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHexString(sha384(abc))).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
    expect(toHexString(sha512(abc))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
    const twoBlocks = new TextEncoder().encode(
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    );
    expect(toHexString(sha384(twoBlocks))).toBe(
      '09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039',
    );
    expect(toHexString(sha512(twoBlocks))).toBe(
      '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909',
    );
  });

  it('agrees with WebCrypto for every length across the padding boundaries', async () => {
    for (let length = 0; length <= 260; length++) {
      const data = crypto.getRandomValues(new Uint8Array(length));
      for (const [name, digest] of [
        ['SHA-1', sha1],
        ['SHA-256', sha256],
        ['SHA-384', sha384],
        ['SHA-512', sha512],
      ] as const) {
        expect(toHexString(digest(data)), `${name} of ${length} bytes`).toBe(
          toHexString(new Uint8Array(await crypto.subtle.digest(name, data))),
        );
      }
    }
  });

  it.each(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as DigestName[])('chains %s like repeated WebCrypto digests', async (name) => {
    const start = crypto.getRandomValues(new Uint8Array(150));
    let expected = start;
    for (let i = 0; i < 50; i++) expected = new Uint8Array(await crypto.subtle.digest(name, expected));
    expect(toHexString(chainDigest(name, start, 50))).toBe(toHexString(expected));
  });
});
