import type { Bytes } from './plain/bytes';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { KeyType } from './plain/keys';
import { KEY_TYPES } from './plain/keys';
import { OID } from './plain/oids';
import { altNameList, NO_ALT_NAMES, type AltName, type AltNames } from './plain/altNames';

export { NO_ALT_NAMES, validateAltNames, type AltNames } from './plain/altNames';

/** SHA-1 of the subjectPublicKey bits: RFC 5280 section 4.2.1.2, method 1, as OpenSSL computes it. */
export async function keyIdentifier(spki: pkijs.PublicKeyInfo, crypto: Crypto): Promise<Bytes> {
  const bits = spki.subjectPublicKey.valueBlock.valueHexView;
  return new Uint8Array(await crypto.subtle.digest('SHA-1', new Uint8Array(bits)));
}

const extension = (extnID: string, critical: boolean, value: { toSchema(): asn1js.BaseBlock } | asn1js.BaseBlock) =>
  new pkijs.Extension({
    extnID,
    critical,
    extnValue: ('toSchema' in value ? value.toSchema() : value).toBER(false),
  });

export interface ClientExtensionOptions {
  keyType: KeyType;
  subjectKeyId: Bytes;
  /** Set for a self-signed certificate (its own key id); a CA sets its own for a CSR. */
  authorityKeyId?: Bytes;
  altNames?: AltNames;
}

/**
 * The extensions of a TLS client certificate: not a CA, signing (and RSA key transport), clientAuth.
 * The same list goes into a CSR's extensionRequest so the CA is asked for exactly this.
 */
export function clientExtensions(options: ClientExtensionOptions): pkijs.Extension[] {
  const rsa = KEY_TYPES[options.keyType].family === 'RSA';
  // keyUsage bits, most significant first: digitalSignature(0), nonRepudiation(1), keyEncipherment(2).
  const usage = rsa
    ? new asn1js.BitString({ valueHex: new Uint8Array([0xa0]), unusedBits: 5 })
    : new asn1js.BitString({ valueHex: new Uint8Array([0x80]), unusedBits: 7 });
  const list = [
    extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: false })),
    extension(OID.keyUsage, true, usage),
    extension(OID.extKeyUsage, false, new pkijs.ExtKeyUsage({ keyPurposes: [OID.clientAuth] })),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: options.subjectKeyId })),
  ];
  if (options.authorityKeyId) {
    list.push(
      extension(
        OID.authorityKeyIdentifier,
        false,
        new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: options.authorityKeyId }) }),
      ),
    );
  }
  const names = altNameList(options.altNames ?? NO_ALT_NAMES);
  if (names.length > 0) {
    list.push(extension(OID.subjectAltName, false, new pkijs.GeneralNames({ names: names.map(generalName) })));
  }
  return list;
}

/** GeneralName choices (RFC 5280 section 4.2.1.6): rfc822Name [1], dNSName [2], iPAddress [7] as its 4 or 16 bytes. */
function generalName(name: AltName): pkijs.GeneralName {
  if (name.kind === 'ip') return new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: name.bytes }) });
  return new pkijs.GeneralName({ type: name.kind === 'dns' ? 2 : 1, value: name.value });
}
