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
      Files are created new, keys and PKCS#12 files readable by their owner only. If any file exists
      (or a symbolic link is at its name), nothing is written and the exit code is 2.

  appcert verify [--expect <uuid>] [--password <pw>] [--json] <file>...
      Checks certificates (PEM or DER, chains in any order), CSRs and PKCS#12 files the way the Verify screen does:
      where the app UUID is, validity, key, signature, clientAuth. Each file passes, needs action (a locked
      PKCS#12 needs --password; a CSR must be signed first) or fails. Files that issued another file given
      (a chain as separate files) are that file's chain, not judged on their own.
      Exit 0 when every file passes, 1 when any fails or needs action, 2 on a usage mistake.
      --expect <uuid>           the app UUID each file must carry (any case; braces and urn:uuid: are left out)
      --password <pw>           password of the PKCS#12 files (without it the empty password is tried)
      --json                    print one JSON array, one object per file (codes as in the Verify screen)

  appcert renew --from <certificate or .p12> --out <dir> [options]
      The successor of a certificate: the same subject (byte for byte), UUID placement, alternative names,
      key type and validity length. A new key unless --reuse-key or --key-file.
      --password <pw>           password of the --from .p12
      --reuse-key               keep the current key, from the --from .p12
      --key-file <key>          keep the current key, from this key file (it must belong to the certificate)
      --key-file-password <pw>  password of --key-file
      --app-id <uuid>           for a certificate without the UUID (else read from an app-<uuid>.* file name)
      --csr, --days N, --key <type>, --key-password <pw>, --p12-password <pw>, --for <client>, --p12-profile modern|legacy, --json
                                as for generate (--key: a new key of another type); --json adds "renewedFrom"

  appcert dsm-register --cert <file> [--password <pw>] [--app-id <uuid>] [--trusted-ca <ca file> [--subject-general dns:<name>|ip:<address>]] [--endpoint https://host] [--json]
      The DSM admin's request that registers the certificate with its app: PATCH /sys/v1/apps/<uuid>,
      as a curl command (bearer token from $DSM_ADMIN_TOKEN) and the same steps on DSM's screens.
      --app-id <uuid>           required when the certificate does not carry the UUID; must agree when it does
      --trusted-ca <ca file>    register the CA and the subject ("Trusted CA") instead of pinning the certificate;
                                the certificate must chain to this CA (exit 1 when it does not)
      --subject-general dns:<name>|ip:<address>
                                with --trusted-ca: DSM matches this alternative name of the certificate
                                ("subject_general") instead of its subject
      --endpoint https://host   the DSM API endpoint (default: a placeholder to fill in)
      --json                    print {"method","path","body","curl"}

  appcert complete --key <key file> [--key-password <pw>] --cert <file> [--cert <file>...] --out <dir> [options]
      The key saved with a CSR joined with what the CA sent (PEM, DER or .p7b, any order): key match, UUID
      check, chain ordered leaf first. Writes app-<uuid>.crt and app-<uuid>-chain.pem.
      --app-id <uuid>           the app (default: from the key file name app-<uuid>.key, else the certificate)
      --placement cn|oid|none   where the CSR put the UUID (default: wherever the certificate has it)
      --p12-password <pw> [--for <client>] [--p12-profile modern|legacy]   also write app-<uuid>.p12 with the key and chain
      --json                    print one JSON object with a "files" map

  appcert convert --in <.p12> [--password <pw>] --to modern|legacy|pem | --for <client> [--new-password <pw>] --out <dir> [--json]
      A PKCS#12 file (modern, legacy 3DES or OpenSSL's old RC2) again in a PKCS#12 profile, or as PEM
      certificate, chain and encrypted key. --new-password defaults to --password.

  Lifecycle commands never overwrite a file: they stop with exit code 2 first. Exit 0 ok, 1 failed, 2 usage.

  appcert help

Passwords (<pw>) are given as OpenSSL's -passin does it:
      env:NAME                  from the environment variable NAME (recommended)
      file:PATH                 the first line of the file PATH (recommended)
      fd:N                      the first line read from file descriptor N, e.g. fd:3 3<pw.txt
      stdin                     the first line of standard input
      pass:TEXT                 TEXT itself; like a bare password, other users can see it in the process list
`;
