import { CLIENTS } from '../lib/clients.ts';

/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The --for values, wrapped under the option's description. */
const CLIENT_IDS = CLIENTS.map((c) => c.id)
  .join(', ')
  .replace(/(.{1,80})(?:, |$)/g, '$1,\n                                ')
  .replace(/,\s*$/, '');

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
      --p12-password <pw>       also write app-<uuid>.p12 (key and certificate) under this password; not with --csr
      --for <client>            where the key will live: appcert picks the PKCS#12 profile (or says to use the PEM
                                files) from its client table, docs/pkcs12-clients.md, and prints how to use the files.
                                Clients: ${CLIENT_IDS}
      --p12-profile modern|legacy   PKCS#12 encryption, overrides --for (default: modern)
                                modern: PBES2 AES-256, HMAC-SHA-256 MAC (opened here by OpenSSL 3, Java 17, NSS, Python, Node)
                                legacy: 3DES, SHA-1 MAC (also Go's x/crypto/pkcs12; reported for Java 8/11, Windows Server 2016, macOS, Android)
      --json                    print one JSON object describing what was written

  appcert verify [--expect <uuid>] [--password <pw>] [--json] <file>...
      Checks certificates (PEM or DER, chains in any order), CSRs and PKCS#12 files the way the Verify screen does:
      where the app UUID is, validity, key, signature, clientAuth. Exit 0 when every file passes, 1 when any fails.
      --expect <uuid>           the app UUID each file must carry (any case)
      --password <pw>           password of the PKCS#12 files (without it the empty password is tried)
      --json                    print one JSON array, one object per file (codes as in the Verify screen)

  appcert help
`;
