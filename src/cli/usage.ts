/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const USAGE = `appcert — Fortanix DSM client certificates

Usage:
  appcert generate --app-id <uuid> --out <dir> [options]
      --placement cn|oid|none   where the app UUID goes (default: oid)
                                cn: the subject CN is the UUID
                                oid: subject attribute 1.3.6.1.4.1.49690.1.2.1 (for CAs that refuse a non-hostname CN)
                                none: not in the certificate; send it as the basic-auth user (curl -u <uuid>:)
      --key rsa-2048|rsa-3072|rsa-4096|ec-p256|ec-p384   (default: rsa-2048)
      --csr                     write a certificate signing request for your CA instead of a self-signed certificate
      --days N                  validity of a self-signed certificate (default: 365)
      --subject "/C=US/O=Example/CN=name"   other subject attributes (C, ST, L, O, OU, CN, emailAddress)
      --key-password <pw>       encrypt the private key (PKCS#8, PBES2 AES-256); without it the key is written unencrypted
      --json                    print one JSON object describing what was written

  appcert help
`;
