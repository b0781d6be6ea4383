import type { Bytes } from './plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { isTooMuchWork, WorkBudget } from './budget';
import { isPkcs8 } from './der';
import { scanDer } from './derScan';
import { ecKeyType, isKeyType, keyAlgorithm, type KeyType } from './plain/keys';
import { OID } from './plain/oids';
import { pbes2Decrypt, pbes2Encrypt, wrongPassword, type DecryptError, type Pbes2Options } from './pbes2';
import { toPem } from './pem';
import { failure, type Result } from './plain/result';
import { MESSAGES } from './verify/findings';

/** The unencrypted PKCS#8 bytes of a private key. */
export async function exportPkcs8(privateKey: CryptoKey, crypto: Crypto = globalThis.crypto): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey));
}

/** EncryptedPrivateKeyInfo (RFC 5958) under a password: what `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes. */
export async function encryptPkcs8(pkcs8: Bytes, password: string, options: Pbes2Options = {}): Promise<Bytes> {
  const { algorithm, ciphertext } = await pbes2Encrypt(pkcs8, password, options);
  // PKCS8ShroudedKeyBag has exactly the EncryptedPrivateKeyInfo structure.
  const info = new pkijs.PKCS8ShroudedKeyBag({
    encryptionAlgorithm: algorithm,
    encryptedData: new asn1js.OctetString({ valueHex: ciphertext }),
  });
  return new Uint8Array(info.toSchema().toBER(false));
}

export const privateKeyPem = (pkcs8: Bytes) => toPem(pkcs8, 'PRIVATE KEY');
export const encryptedPrivateKeyPem = (der: Bytes) => toPem(der, 'ENCRYPTED PRIVATE KEY');

/** The failure for a file that asks for more work than its budget (budget.ts). */
export const tooMuchWork = (what: string) => failure('too-much-work' as const, MESSAGES.tooMuchWork(what));

/**
 * Decrypts an EncryptedPrivateKeyInfo and checks that the result is a PKCS#8 key. The DER is
 * pre-scanned and the PBKDF2 iterations charged to `budget`: a key file asking for too much is
 * `too-much-work`.
 */
export async function decryptPkcs8(
  der: Bytes,
  password: string,
  crypto: Crypto = globalThis.crypto,
  budget: WorkBudget = new WorkBudget(),
): Promise<Result<Bytes, DecryptError | 'not-a-key' | 'too-much-work'>> {
  try {
    return await decrypt(der, password, crypto, budget);
  } catch (error) {
    if (isTooMuchWork(error)) return tooMuchWork(error.what);
    throw error;
  }
}

async function decrypt(
  der: Bytes,
  password: string,
  crypto: Crypto,
  budget: WorkBudget,
): Promise<Result<Bytes, DecryptError | 'not-a-key'>> {
  scanDer(der, budget);
  let info: pkijs.PKCS8ShroudedKeyBag;
  try {
    info = pkijs.PKCS8ShroudedKeyBag.fromBER(der);
  } catch {
    return failure('not-a-key', 'This is not an encrypted private key (PKCS#8).');
  }
  const plain = await pbes2Decrypt(
    info.encryptionAlgorithm,
    new Uint8Array(info.encryptedData.valueBlock.valueHexView),
    password,
    crypto,
    budget,
  );
  if (!plain.ok && plain.code === 'unsupported-encryption') {
    return failure(
      plain.code,
      `${plain.message} Re-encrypt the key with OpenSSL 3's defaults (PBES2, AES-256): openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out new.key`,
    );
  }
  if (!plain.ok) return plain;
  scanDer(plain.value, budget);
  return isPkcs8(plain.value) ? plain : wrongPassword();
}

/** The key type of a PKCS#8 key, or null for a kind appcert does not make (e.g. RSA-1024, P-521, Ed25519). */
export function pkcs8KeyType(pkcs8: Bytes): KeyType | null {
  try {
    const info = pkijs.PrivateKeyInfo.fromBER(pkcs8);
    if (info.parsedKey instanceof pkijs.RSAPrivateKey) {
      const modulus = info.parsedKey.modulus.valueBlock.valueHexView;
      const type = `rsa-${(modulus[0] === 0 ? modulus.length - 1 : modulus.length) * 8}`;
      return isKeyType(type) ? type : null;
    }
    if (info.privateKeyAlgorithm.algorithmId === OID.ecPublicKey) {
      const curve = info.privateKeyAlgorithm.algorithmParams;
      return curve instanceof asn1js.ObjectIdentifier ? ecKeyType(curve.valueBlock.toString()) : null;
    }
  } catch {
    return null;
  }
  return null;
}

/** A signing CryptoKey from PKCS#8 bytes. */
export function importPkcs8(pkcs8: Bytes, type: KeyType, crypto: Crypto = globalThis.crypto): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pkcs8, keyAlgorithm(type), true, ['sign']);
}
