/**
 * Which file for which client: the compatibility table behind the client picker, the CLI's
 * `--for` and docs/pkcs12-clients.md (generated from this data; a unit test keeps them equal).
 * Every cell is tested here (naming the test that runs the client on this machine), reported
 * (naming public sources someone read) or unknown. The picker recommends only a file whose
 * cell says it opens.
 */

import { failure, success, type Result } from './plain/result';

/** The files appcert can give a client: PKCS#12 in one of two profiles, or PEM certificate + key. */
export type ClientFormat = 'modern' | 'legacy' | 'pem';

export const FORMATS: readonly ClientFormat[] = ['modern', 'legacy', 'pem'];

export const FORMAT_LABELS: Record<ClientFormat, string> = {
  modern: 'PKCS#12 modern (PBES2 AES-256, HMAC-SHA-256 MAC)',
  legacy: 'PKCS#12 legacy (3DES, SHA-1 MAC)',
  pem: 'PEM certificate + key',
};

export interface Source {
  title: string;
  url: string;
}

/** A test in this repository: its file and (part of) its name as vitest prints it. */
export interface TestRef {
  file: string;
  name: string;
}

export type Evidence =
  /** `opens` false: the named tests prove the client refuses the file. */
  | { kind: 'tested'; opens: boolean; tests: TestRef[]; note?: string }
  | { kind: 'reported'; opens: boolean; sources: Source[]; note?: string }
  | { kind: 'unknown'; note?: string };

export interface Client {
  /** Stable id, also the CLI's `--for` value. */
  id: string;
  /** What the user picks, e.g. "Java 8". */
  name: string;
  cells: Record<ClientFormat, Evidence>;
  /** What appcert gives this client, or null when no cell is known to open. */
  recommended: ClientFormat | null;
  /** One line: why. */
  reason: string;
}

/** Where the table lives in the repository (README, CLI help and the About screen point here). */
export const CLIENT_TABLE_PATH = 'docs/pkcs12-clients.md';

const PKCS12_TEST = 'tests/interop/pkcs12.test.ts';
const LOGIN_TEST = 'tests/interop/mtls-login.test.ts';
const CLIENTS_TEST = 'tests/interop/clients.test.ts';

const S = {
  keychainRust: {
    title: 'rust-security-framework #216 (SecPKCS12Import: "MAC verification failed")',
    url: 'https://github.com/kornelski/rust-security-framework/issues/216',
  },
  keychainXca: {
    title: 'XCA #474 (Keychain refuses AES and 3DES files from XCA; OpenSSL -legacy imports)',
    url: 'https://github.com/chris2511/xca/issues/474',
  },
  keychainPyca: {
    title: 'pyca/cryptography #7293 (Keychain refuses its PKCS#12)',
    url: 'https://github.com/pyca/cryptography/issues/7293',
  },
  keychainEcp: {
    title: 'googleapis/enterprise-certificate-proxy #210 (OpenSSL -legacy for Keychain import)',
    url: 'https://github.com/googleapis/enterprise-certificate-proxy/pull/210',
  },
  keychainXca360: {
    title: 'XCA #360 (Keychain: "wrong password" with a SHA-256 MAC; SHA-1 expected)',
    url: 'https://github.com/chris2511/xca/issues/360',
  },
  keychainIpsec: {
    title: 'hwdsl2/setup-ipsec-vpn #1580 (macOS/iOS need 3DES-SHA1, not AES-SHA2)',
    url: 'https://github.com/hwdsl2/setup-ipsec-vpn/issues/1580',
  },
  keychain2026: {
    title: 'iosrxwy/MacAssistant #3 (macOS 26.5: "MAC verification failed" on OpenSSL 3 defaults, -legacy imports)',
    url: 'https://github.com/iosrxwy/MacAssistant/issues/3',
  },
  iosOpenssl: {
    title: 'openssl/openssl #19495 (SecPKCS12Import on iOS fails on OpenSSL 3 output, worked with 1.x)',
    url: 'https://github.com/openssl/openssl/issues/19495',
  },
  jdkMac: {
    title: 'JDK-8267701 (HmacPBESHA256 new in 8u301, 11.0.12, 7u311)',
    url: 'https://bugs.java.com/bugdatabase/view_bug?bug_id=8267701',
  },
  kse173: {
    title: 'KeyStore Explorer #173 (AES-256 PFX: "keystore password was incorrect" on Java 8 and 11)',
    url: 'https://github.com/kaikramer/keystore-explorer/issues/173',
  },
  kse308: {
    title: 'KeyStore Explorer #308 (OpenJDK 8u282 cannot read a PBES2 key)',
    url: 'https://github.com/kaikramer/keystore-explorer/issues/308',
  },
  kse302: {
    title: 'KeyStore Explorer #302 (3DES PKCS#12 imports into a Java keystore, AES does not)',
    url: 'https://github.com/kaikramer/keystore-explorer/issues/302',
  },
  temurin2002: {
    title: 'adoptium/temurin-build #2002 (Java 11.0.3 cannot load an AES PKCS#12)',
    url: 'https://github.com/adoptium/temurin-build/issues/2002',
  },
  dscHelp: {
    title: 'CertificateDsc PfxImport help (AES256_SHA256 needs Windows 10 / Server build 1709 or later)',
    url: 'https://powershellgallery.com/packages/CertificateDsc/5.0.0-preview0005/Content/DSCResources%5CDSC_PfxImport%5Cen-US%5Cabout_PfxImport.help.txt',
  },
  dsc153: {
    title: 'PowerShell/CertificateDsc #153 (AES256-SHA256 import fails, TripleDES-SHA1 works)',
    url: 'https://github.com/PowerShell/CertificateDsc/issues/153',
  },
  trustico: {
    title: 'Trustico, "Exporting a PFX File with AES or 3DES Encryption" (Windows Server 2016 and older need 3DES)',
    url: 'https://shop.trustico.com.au/blogs/stories/exporting-a-pfx-file-with-aes-or-3des-encryption',
  },
  certes: {
    title: 'certes v4.0.0 release note (Windows Server 2016 cannot read AES PFX files)',
    url: 'https://github.com/fszlin/certes/releases/tag/v4.0.0',
  },
  strongswan: {
    title: 'strongswan-docs #5 (Android 12 refuses OpenSSL 3 defaults; -legacy imports)',
    url: 'https://github.com/strongswan/strongswan-docs/issues/5',
  },
  xca389: {
    title: 'XCA #389 (Android cannot decrypt AES-256-CBC; 3DES for both bags imports)',
    url: 'https://github.com/chris2511/xca/pull/389',
  },
  clipShare: {
    title: 'clip_share_server #48 (Android 13 and older refuse modern PFX)',
    url: 'https://github.com/thevindu-w/clip_share_server/pull/48',
  },
  mbedtls4749: { title: 'Mbed-TLS #4749 (no PKCS#12 file parser; open)', url: 'https://github.com/Mbed-TLS/mbedtls/issues/4749' },
  mbedtls9677: {
    title: 'Mbed-TLS #9677 (PKCS#12 archive not parsed; PKCS#8 PEM key is)',
    url: 'https://github.com/Mbed-TLS/mbedtls/issues/9677',
  },
  openvpn3: {
    title: 'OpenVPN/openvpn3 #50 ("mbed TLS does not support PKCS#12 at all")',
    url: 'https://github.com/OpenVPN/openvpn3/issues/50',
  },
} satisfies Record<string, Source>;

const tested = (...tests: TestRef[]): Evidence => ({ kind: 'tested', opens: true, tests });
const testedFails = (tests: TestRef[], note?: string): Evidence => ({ kind: 'tested', opens: false, tests, note });
const opens = (sources: Source[], note?: string): Evidence => ({ kind: 'reported', opens: true, sources, note });
const fails = (sources: Source[], note?: string): Evidence => ({ kind: 'reported', opens: false, sources, note });
const unknown = (note?: string): Evidence => ({ kind: 'unknown', note });

const FORTANIX_UNKNOWN = unknown('No Fortanix document found that says which file its configuration points at.');

export const CLIENTS: readonly Client[] = [
  {
    id: 'curl',
    name: 'curl on Linux (OpenSSL 3)',
    cells: {
      modern: tested(
        { file: LOGIN_TEST, name: 'with a %s PKCS#12 (--cert-type P12)' },
        { file: PKCS12_TEST, name: 'OpenSSL 3 opens it (no -legacy flag) and names the algorithms' },
      ),
      legacy: tested(
        { file: LOGIN_TEST, name: 'with a %s PKCS#12 (--cert-type P12)' },
        { file: PKCS12_TEST, name: 'OpenSSL 3 opens it (no -legacy flag) and names the algorithms' },
      ),
      pem: tested({ file: LOGIN_TEST, name: 'with the UUID in the CN: the command appcert prints, PEM certificate + encrypted key' }),
    },
    recommended: 'pem',
    reason:
      "Fortanix's mutual-TLS guide, section 4.0, logs in with curl --cert and --key; curl here logs in with every file appcert makes.",
  },
  {
    id: 'openssl-1.1',
    name: 'curl or OpenSSL 1.1',
    cells: {
      modern: opens([S.iosOpenssl], 'OpenSSL 1.x parsed an AES and a 3DES file there (their MAC is not stated).'),
      legacy: opens([S.iosOpenssl]),
      pem: unknown(),
    },
    recommended: 'legacy',
    reason:
      'Both profiles are reported to open with OpenSSL 1.x, neither is tested here; legacy is the one more clients are reported to open.',
  },
  {
    id: 'java-17',
    name: 'Java 17 or later (keytool, JSSE)',
    cells: {
      modern: {
        ...tested(
          { file: PKCS12_TEST, name: 'Java 17 keytool lists a PrivateKeyEntry under the app alias' },
          { file: CLIENTS_TEST, name: 'Java 17 JSSE logs in with the javax.net.ssl.keyStore properties' },
        ),
        note: 'Tested with Java 17 only.',
      },
      legacy: tested(
        { file: PKCS12_TEST, name: 'Java 17 keytool lists a PrivateKeyEntry under the app alias' },
        { file: CLIENTS_TEST, name: 'Java 17 JSSE logs in with the javax.net.ssl.keyStore properties' },
      ),
      pem: unknown(),
    },
    recommended: 'modern',
    reason: "Java 17's keytool and JSSE here open the modern profile and log in with it.",
  },
  {
    id: 'java-11',
    name: 'Java 11',
    cells: {
      modern: fails(
        [S.temurin2002, S.kse173, S.jdkMac],
        'HmacPBESHA256 (the modern MAC) exists only from 11.0.12; later 11 updates are untested here.',
      ),
      legacy: opens([S.kse302, S.jdkMac], 'JDK-8267701: HmacPBESHA1 is in every release.'),
      pem: unknown(),
    },
    recommended: 'legacy',
    reason: 'Java 11 before 11.0.12 is reported to refuse AES/HMAC-SHA-256 PKCS#12 ("keystore password was incorrect").',
  },
  {
    id: 'java-8',
    name: 'Java 8',
    cells: {
      modern: fails(
        [S.kse308, S.kse173, S.jdkMac],
        'HmacPBESHA256 (the modern MAC) exists only from 8u301; later 8 updates are untested here.',
      ),
      legacy: opens([S.kse302, S.jdkMac], 'JDK-8267701: HmacPBESHA1 is in every release.'),
      pem: unknown(),
    },
    recommended: 'legacy',
    reason: 'Java 8 before 8u301 is reported to refuse AES/HMAC-SHA-256 PKCS#12.',
  },
  {
    id: 'windows-server-2016',
    name: 'Windows Server 2016 (PFX import)',
    cells: {
      modern: fails(
        [S.dscHelp, S.certes, S.trustico],
        'The sources do not say whether the import wizard, certutil and Import-PfxCertificate differ.',
      ),
      legacy: opens([S.dsc153]),
      pem: unknown(),
    },
    recommended: 'legacy',
    reason: 'Windows Server 2016 (build 1607) is reported to refuse AES256-SHA256 PFX files with a "wrong password" error.',
  },
  {
    id: 'windows-server-2019',
    name: 'Windows Server 2019 or later (PFX import)',
    cells: {
      modern: opens([S.dscHelp], 'The help names builds from 1709; Server 2019 is build 1809, later ones are not named.'),
      legacy: opens([S.dsc153]),
      pem: unknown(),
    },
    recommended: 'modern',
    reason: 'Windows from build 1709 is reported to import AES256-SHA256 PFX files.',
  },
  {
    id: 'windows-10-11',
    name: 'Windows 10 (1709 or later) or 11 (PFX import)',
    cells: {
      modern: opens([S.dscHelp], 'The help names Windows 10 from build 1709; Windows 11 is not named.'),
      legacy: opens([S.dsc153]),
      pem: unknown(),
    },
    recommended: 'modern',
    reason: 'Windows 10 from build 1709 is reported to import AES256-SHA256 PFX files.',
  },
  {
    id: 'macos-keychain',
    name: 'macOS Keychain (Keychain Access, SecPKCS12Import)',
    cells: {
      modern: fails(
        [S.keychainRust, S.keychainXca, S.keychainPyca, S.keychainEcp, S.keychain2026],
        'Refused as "MAC verification failed" or a wrong password, also on macOS 26.',
      ),
      legacy: opens(
        [S.keychainXca, S.keychainEcp, S.keychain2026, S.keychainXca360, S.keychainIpsec],
        "Most reports used OpenSSL -legacy (RC2-40 certificates, 3DES key, SHA-1 MAC); appcert's legacy encrypts the certificates with 3DES too, and none of the reports names exactly that.",
      ),
      pem: unknown(),
    },
    recommended: 'legacy',
    reason: "Apple's import is reported to refuse AES/HMAC-SHA-256 PKCS#12 files as a wrong password; the SHA-1/3DES kind imports.",
  },
  {
    id: 'ios',
    name: 'iOS or iPadOS (SecPKCS12Import)',
    cells: {
      modern: fails([S.iosOpenssl, S.keychainIpsec]),
      legacy: opens([S.iosOpenssl, S.keychainIpsec], 'Reported for OpenSSL 1.x output (3DES key, SHA-1 MAC).'),
      pem: unknown(),
    },
    recommended: 'legacy',
    reason: "SecPKCS12Import on iOS is reported to refuse OpenSSL 3's AES/SHA-256 files and to take OpenSSL 1.x's SHA-1/3DES ones.",
  },
  {
    id: 'android',
    name: 'Android (certificate installer)',
    cells: {
      modern: fails([S.strongswan, S.clipShare, S.xca389], 'Android 12 and 13; newer versions unknown.'),
      legacy: opens(
        [S.strongswan, S.xca389],
        "certes v4.0.0's release note claims Android rejects 3DES/RC2 files; the reports above say 3DES imports.",
      ),
      pem: unknown(),
    },
    recommended: 'legacy',
    reason: 'Android 12 and 13 are reported to refuse AES PKCS#12 with a misleading "incorrect password"; 3DES files import.',
  },
  {
    id: 'nss',
    name: 'Firefox or another NSS client',
    cells: {
      modern: tested({ file: PKCS12_TEST, name: 'NSS pk12util imports it into a fresh database' }),
      legacy: tested({ file: PKCS12_TEST, name: 'NSS pk12util imports it into a fresh database' }),
      pem: unknown(),
    },
    recommended: 'modern',
    reason: 'NSS pk12util here imports the modern profile.',
  },
  {
    id: 'python',
    name: 'Python (ssl, requests)',
    cells: {
      modern: tested({ file: PKCS12_TEST, name: 'Python cryptography loads the key and certificate, and they match' }),
      legacy: tested({ file: PKCS12_TEST, name: 'Python cryptography loads the key and certificate, and they match' }),
      pem: tested(
        { file: CLIENTS_TEST, name: 'Python ssl logs in with load_cert_chain, PEM certificate and encrypted key' },
        { file: CLIENTS_TEST, name: 'Python requests logs in with cert=(certificate, key), the key saved without a password' },
      ),
    },
    recommended: 'pem',
    reason: "Python's ssl module takes a PEM certificate and key (load_cert_chain); it logs in with them here.",
  },
  {
    id: 'node',
    name: 'Node.js (tls, https)',
    cells: {
      modern: tested({ file: CLIENTS_TEST, name: 'Node tls logs in with pfx and passphrase' }),
      legacy: tested({ file: CLIENTS_TEST, name: 'Node tls logs in with pfx and passphrase' }),
      pem: tested({ file: CLIENTS_TEST, name: 'Node tls logs in with a PEM certificate and encrypted key' }),
    },
    recommended: 'modern',
    reason: "Node's tls logs in here with the modern PKCS#12 as pfx.",
  },
  {
    id: 'go',
    name: 'Go (crypto/tls, x/crypto/pkcs12)',
    cells: {
      modern: testedFails(
        [{ file: CLIENTS_TEST, name: 'Go x/crypto/pkcs12 refuses the modern profile' }],
        'golang.org/x/crypto/pkcs12 (Debian\'s 0.4.0) stops at the SHA-256 MAC ("unknown digest algorithm"); software.sslmate.com/src/go-pkcs12 was not tried.',
      ),
      legacy: {
        ...tested({ file: CLIENTS_TEST, name: 'Go x/crypto/pkcs12 decodes the legacy profile and logs in' }),
        note: 'With golang.org/x/crypto/pkcs12.Decode.',
      },
      pem: {
        ...tested({ file: CLIENTS_TEST, name: 'Go crypto/tls logs in with LoadX509KeyPair, PEM certificate and unencrypted key' }),
        note: 'tls.LoadX509KeyPair needs the key saved without a password.',
      },
    },
    recommended: 'legacy',
    reason:
      'golang.org/x/crypto/pkcs12 opens the legacy profile here and refuses the modern one; crypto/tls takes PEM only with an unencrypted key.',
  },
  {
    id: 'dotnet',
    name: '.NET',
    cells: { modern: unknown(), legacy: unknown(), pem: unknown() },
    recommended: null,
    reason:
      "Neither tested here nor reported for these profiles; on macOS .NET imports through Apple's API (fullstackproltd/AspNetCoreSpa #266 shows Apple's MAC error), so the macOS Keychain row may apply there.",
  },
  {
    id: 'mbedtls',
    name: 'Mbed TLS clients',
    cells: {
      modern: fails([S.mbedtls4749, S.openvpn3], 'Mbed TLS has no PKCS#12 file parser.'),
      legacy: fails([S.mbedtls4749, S.openvpn3], 'Mbed TLS has no PKCS#12 file parser.'),
      pem: opens([S.mbedtls9677], 'A PKCS#8 PEM key loads.'),
    },
    recommended: 'pem',
    reason: 'Mbed TLS is reported to have no PKCS#12 file parser; it loads PEM keys and certificates.',
  },
  {
    id: 'fortanix-pkcs11',
    name: 'Fortanix PKCS#11 library',
    cells: { modern: FORTANIX_UNKNOWN, legacy: FORTANIX_UNKNOWN, pem: FORTANIX_UNKNOWN },
    recommended: null,
    reason:
      "appcert found no Fortanix document saying which file the library's certificate login reads; the certificate must carry the app UUID (Fortanix's mutual-TLS guide, section 3.6).",
  },
  {
    id: 'kmip',
    name: 'KMIP client',
    cells: { modern: FORTANIX_UNKNOWN, legacy: FORTANIX_UNKNOWN, pem: FORTANIX_UNKNOWN },
    recommended: null,
    reason: "Depends on the KMIP client; the certificate must carry the app UUID (Fortanix's mutual-TLS guide, section 3.6).",
  },
  {
    id: 'fortanix-sdk',
    name: 'Fortanix DSM SDK or REST client',
    cells: { modern: FORTANIX_UNKNOWN, legacy: FORTANIX_UNKNOWN, pem: FORTANIX_UNKNOWN },
    recommended: null,
    reason:
      "Depends on the SDK's TLS stack; the app UUID may be sent in the request instead of the certificate (Fortanix's mutual-TLS guide, section 3.6).",
  },
];

/** True when the cell says the client opens that file (tested here, or reported to). */
export const opensFormat = (evidence: Evidence): boolean => evidence.kind !== 'unknown' && evidence.opens;

export const clientById = (id: string): Client | undefined => CLIENTS.find((c) => c.id === id);

/**
 * The client behind a `--for` value (or the picker's choice), as a result the CLI can print:
 * an unknown id lists the ones that exist.
 */
export function clientFor(id: string): Result<Client, 'unknown-client'> {
  const client = clientById(id.trim().toLowerCase());
  if (client) return success(client);
  return failure(
    'unknown-client',
    `"${id}" is not a client appcert knows. Choose one of: ${CLIENTS.map((c) => c.id).join(', ')} (see ${CLIENT_TABLE_PATH}).`,
  );
}
