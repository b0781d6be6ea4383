import type { Bytes } from './plain/bytes';
import { isTooMuchWork, WorkBudget } from './budget';
import { isPkcs8 } from './der';
import { scanDer } from './derScan';
import { parsePem } from './pem';
import { decryptPkcs8, importPkcs8, pkcs8KeyType, tooMuchWork } from './privateKey';
import { failure, success, type Result } from './plain/result';

/** A private key file as people give it (the .key saved with a CSR): read, decrypted and imported. */

export type KeyFileError = 'no-key' | 'not-a-key' | 'wrong-password' | 'unsupported-encryption' | 'unsupported-key' | 'too-much-work';

/**
 * The unencrypted PKCS#8 bytes of a key file: appcert's encrypted PEM (with its password) or plain
 * PKCS#8 PEM. Its work (DER elements, PBKDF2 iterations) is charged to `budget`.
 */
export async function readPrivateKeyFile(
  text: string,
  password: string,
  crypto: Crypto = globalThis.crypto,
  budget: WorkBudget = new WorkBudget(),
): Promise<Result<Bytes, KeyFileError>> {
  const blocks = parsePem(text);
  if (!blocks.ok) {
    return failure(
      'no-key',
      'This is not a PEM private key file. Choose the .key file saved when the CSR was made (it starts with "-----BEGIN ENCRYPTED PRIVATE KEY-----").',
    );
  }
  const block = blocks.value.find((b) => /PRIVATE KEY$/.test(b.label));
  if (!block) {
    return failure(
      'no-key',
      `This file holds a "${blocks.value[0].label}" block, not a private key. Choose the .key file saved when the CSR was made.`,
    );
  }
  if (block.label === 'RSA PRIVATE KEY' || block.label === 'EC PRIVATE KEY') {
    return failure(
      'unsupported-key',
      `This is an old-style "${block.label}" file. Convert it to PKCS#8 first: openssl pkcs8 -topk8 -in old.key -out new.key`,
    );
  }
  if (block.label === 'PRIVATE KEY') {
    try {
      scanDer(block.der, budget);
    } catch (error) {
      if (isTooMuchWork(error)) return tooMuchWork(error.what);
      throw error;
    }
    return isPkcs8(block.der)
      ? success(block.der)
      : failure(
          'not-a-key',
          'The "PRIVATE KEY" block is damaged: its contents are not a PKCS#8 key. Use the key file exactly as it was saved.',
        );
  }
  if (password === '') {
    return failure('wrong-password', 'This key file is encrypted: enter the password chosen when the CSR was made.');
  }
  return decryptPkcs8(block.der, password, crypto, budget);
}

export const UNSUPPORTED_KEY = failure(
  'unsupported-key',
  'This key is of a kind appcert does not handle (it supports RSA 2048/3072/4096 and ECDSA P-256/P-384).',
);

/** The CryptoKey of a PKCS#8 key of a kind appcert writes PKCS#12 files for (extractable, kept in memory only). */
export async function importPrivateKey(pkcs8: Bytes, crypto: Crypto = globalThis.crypto): Promise<Result<CryptoKey, 'unsupported-key'>> {
  const type = pkcs8KeyType(pkcs8);
  if (type === null) return UNSUPPORTED_KEY;
  return success(await importPkcs8(pkcs8, type, crypto));
}
