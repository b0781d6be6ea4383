import type { Bytes } from './bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CURVE_BY_OID } from './keys';
import { OID } from './oids';

/** WebCrypto signing parameters for a key algorithm identifier, or null for kinds appcert cannot check. */
function signingAlgorithm(algorithm: pkijs.AlgorithmIdentifier): (RsaHashedImportParams | EcKeyImportParams) | null {
  if (algorithm.algorithmId === OID.rsaEncryption) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (algorithm.algorithmId === OID.ecPublicKey && algorithm.algorithmParams instanceof asn1js.ObjectIdentifier) {
    const namedCurve = CURVE_BY_OID[algorithm.algorithmParams.valueBlock.toString()];
    return namedCurve ? { name: 'ECDSA', namedCurve } : null;
  }
  return null;
}

const sameAlgorithm = (a: pkijs.AlgorithmIdentifier, b: pkijs.AlgorithmIdentifier) =>
  a.algorithmId === b.algorithmId &&
  (a.algorithmId !== OID.ecPublicKey || (a.algorithmParams as asn1js.ObjectIdentifier).valueBlock.toString() === (b.algorithmParams as asn1js.ObjectIdentifier)?.valueBlock?.toString());

/**
 * True when the PKCS#8 private key belongs to the certificate's public key. Proven by signing a
 * random challenge and verifying it with the certificate's key, which also catches a damaged
 * private key whose public half still looks right. Never throws: anything unreadable is "no".
 */
export async function keyMatchesCertificate(pkcs8: Bytes, certificateDer: Bytes, crypto: Crypto = globalThis.crypto): Promise<boolean> {
  try {
    const keyInfo = pkijs.PrivateKeyInfo.fromBER(pkcs8);
    const spki = pkijs.Certificate.fromBER(certificateDer).subjectPublicKeyInfo;
    const algorithm = signingAlgorithm(keyInfo.privateKeyAlgorithm);
    if (!algorithm || !sameAlgorithm(keyInfo.privateKeyAlgorithm, spki.algorithm)) return false;
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
    const publicKey = await crypto.subtle.importKey('spki', new Uint8Array(spki.toSchema().toBER(false)), algorithm, false, ['verify']);
    const signParams = algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm;
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    const signature = await crypto.subtle.sign(signParams, privateKey, challenge);
    return await crypto.subtle.verify(signParams, publicKey, signature, challenge);
  } catch {
    return false;
  }
}
