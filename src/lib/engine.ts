import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * pkijs leaves out the parameters of sha256/384WithRSAEncryption; RFC 4055 section 5 says they
 * MUST be NULL, and OpenSSL, Java and NSS write them so. Without this the signed bytes differ from
 * what any of them would make for the same certificate.
 */
class AppcertEngine extends pkijs.CryptoEngine {
  override async getSignatureParameters(privateKey: CryptoKey, hashAlgorithm?: string): Promise<pkijs.CryptoEngineSignatureParams> {
    const params = await super.getSignatureParameters(privateKey, hashAlgorithm);
    if (privateKey.algorithm.name === 'RSASSA-PKCS1-v1_5') params.signatureAlgorithm.algorithmParams = new asn1js.Null();
    return params;
  }
}

/**
 * A pkijs engine over the given WebCrypto, so callers (and tests) choose the implementation.
 * Kept out of keys.ts so the key-type facts the Create form needs load without pkijs.
 */
export const cryptoEngine = (crypto: Crypto = globalThis.crypto): pkijs.CryptoEngine => new AppcertEngine({ name: 'appcert', crypto });
