import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionCode, ProblemCode, WarningCode } from '../../src/lib/verify/findings';
import type { AppIdLocation } from '../../src/lib/verify/appId';
import type { InputKind } from '../../src/lib/verify/fileReport';

/** The Verify fixtures, made fresh by the checked-in OpenSSL script, and what each must get. */

export const APP = 'da7f2800-4122-4681-aebf-90beb779b73f';
export const OTHER = 'acc15bf3-e626-47aa-9373-7b08b3f26ee8';
export const P12_PASSWORD = 'correct horse';

const SCRIPT = join(import.meta.dirname, '..', 'fixtures', 'make-verify-fixtures.sh');

/** Runs the fixture script into a new temp dir; call `remove` when done. */
export function makeFixtures(): { dir: string; read: (name: string) => Uint8Array<ArrayBuffer>; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'appcert-verify-'));
  execFileSync('bash', [SCRIPT, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    dir,
    read: (name) => new Uint8Array(readFileSync(join(dir, name))),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Expectation {
  file: string;
  /** What the case shows; several cases may use one file with different options. */
  why: string;
  kind: InputKind;
  location: AppIdLocation;
  problems: ProblemCode[];
  actions?: ActionCode[];
  warnings?: WarningCode[];
  expected?: string;
  password?: string;
}

/** Every case is checked with `expected: APP` unless it says otherwise. */
export const TABLE: Expectation[] = [
  { file: 'cn-ok.pem', why: 'UUID as CN', kind: 'certificate', location: 'cn', problems: [] },
  { file: 'cn-ok.der', why: 'the same in DER', kind: 'certificate', location: 'cn', problems: [] },
  { file: 'oid-ok.pem', why: 'UUID in the OID, hostname CN', kind: 'certificate', location: 'oid', problems: [] },
  { file: 'both-ok.pem', why: 'UUID as CN and in the OID', kind: 'certificate', location: 'both', problems: [] },
  {
    file: 'seed-sample.pem',
    why: "the guide's sample: CA:TRUE",
    kind: 'certificate',
    location: 'cn',
    problems: [],
    warnings: ['leaf-has-ca-true'],
  },
  { file: 'no-app-id.pem', why: 'no UUID anywhere', kind: 'certificate', location: 'none', problems: ['no-app-id'] },
  { file: 'malformed-braces.pem', why: 'CN {uuid}', kind: 'certificate', location: 'malformed', problems: ['malformed-uuid'] },
  { file: 'malformed-short.pem', why: 'CN one digit short', kind: 'certificate', location: 'malformed', problems: ['malformed-uuid'] },
  { file: 'malformed-urn-oid.pem', why: 'OID urn:uuid:...', kind: 'certificate', location: 'malformed', problems: ['malformed-uuid'] },
  { file: 'oid-not-uuid.pem', why: 'OID holds a name', kind: 'certificate', location: 'malformed', problems: ['malformed-uuid'] },
  { file: 'uuid-conflict.pem', why: 'CN and OID differ', kind: 'certificate', location: 'conflict', problems: ['uuid-conflict'] },
  { file: 'other-app.pem', why: "another app's UUID", kind: 'certificate', location: 'cn', problems: ['uuid-mismatch'] },
  { file: 'other-app.pem', why: 'no expectation given', kind: 'certificate', location: 'cn', problems: [], expected: '' },
  {
    file: 'cn-ok.pem',
    why: 'expected UUID upper case matches',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    expected: APP.toUpperCase(),
  },
  {
    file: 'cn-ok.pem',
    why: 'expected UUID in braces: cleaned, matches',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    expected: `{${APP}}`,
  },
  {
    file: 'other-app.pem',
    why: 'expected UUID not valid: judged against nothing',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    expected: `${APP}x`,
  },
  { file: 'uppercase.pem', why: 'CN in upper case', kind: 'certificate', location: 'cn', problems: [], warnings: ['uppercase-uuid'] },
  { file: 'oid-extension.pem', why: 'OID as an extension', kind: 'certificate', location: 'none', problems: ['oid-in-wrong-place'] },
  {
    file: 'issuer-only.pem',
    why: 'UUID only in the issuer',
    kind: 'certificate',
    location: 'none',
    problems: ['no-app-id'],
    warnings: ['oid-in-issuer-only', 'issuer-not-in-file'],
  },
  { file: 'uuid-in-ou.pem', why: 'UUID in OU', kind: 'certificate', location: 'misplaced', problems: ['uuid-in-wrong-attribute'] },
  { file: 'uuid-in-o.pem', why: 'UUID in O', kind: 'certificate', location: 'misplaced', problems: ['uuid-in-wrong-attribute'] },
  { file: 'uuid-in-san.pem', why: 'UUID in a SAN URI', kind: 'certificate', location: 'misplaced', problems: ['uuid-in-wrong-attribute'] },
  {
    file: 'ca-true-uuid-in-ou.pem',
    why: 'CA:TRUE without keyCertSign, UUID in OU: the same warning as in place',
    kind: 'certificate',
    location: 'misplaced',
    problems: ['uuid-in-wrong-attribute'],
    warnings: ['leaf-has-ca-true'],
  },
  {
    file: 'chain-part-leaf.pem',
    why: 'a CA-issued leaf alone',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    warnings: ['issuer-not-in-file'],
  },
  {
    file: 'chain-part-intermediate.pem',
    why: 'an intermediate CA alone (the UUID in its OID is a decoy)',
    kind: 'certificate',
    location: 'oid',
    problems: [],
    warnings: ['ca-certificate', 'issuer-not-in-file'],
  },
  {
    file: 'chain-part-root.pem',
    why: 'a root CA alone',
    kind: 'certificate',
    location: 'none',
    problems: ['no-app-id'],
    warnings: ['ca-certificate'],
  },
  {
    file: 'impostor-intermediate.pem',
    why: 'named like the intermediate, self-signed',
    kind: 'certificate',
    location: 'oid',
    problems: [],
  },
  { file: 'multi-valued-rdn.pem', why: 'O and CN in one RDN', kind: 'certificate', location: 'cn', problems: [] },
  { file: 'type-printable.pem', why: 'PrintableString', kind: 'certificate', location: 'cn', problems: [] },
  { file: 'type-ia5.pem', why: 'IA5String', kind: 'certificate', location: 'oid', problems: [] },
  { file: 'type-bmp.pem', why: 'BMPString', kind: 'certificate', location: 'cn', problems: [], warnings: ['uncommon-string-type'] },
  {
    file: 'type-universal.pem',
    why: 'UniversalString',
    kind: 'certificate',
    location: 'oid',
    problems: [],
    warnings: ['uncommon-string-type'],
  },
  { file: 'type-teletex.pem', why: 'TeletexString O', kind: 'certificate', location: 'cn', problems: [] },
  { file: 'weak-key.pem', why: 'RSA-1024', kind: 'certificate', location: 'cn', problems: ['weak-key'] },
  { file: 'ec-p256.pem', why: 'ECDSA P-256', kind: 'certificate', location: 'cn', problems: [] },
  { file: 'ed25519.pem', why: 'Ed25519', kind: 'certificate', location: 'cn', problems: [] },
  { file: 'sha1.pem', why: 'SHA-1 signature', kind: 'certificate', location: 'cn', problems: ['weak-signature'] },
  {
    file: 'md5.pem',
    why: 'MD5 signature',
    kind: 'certificate',
    location: 'cn',
    problems: ['weak-signature'],
    warnings: ['signature-not-checked'],
  },
  {
    file: 'bad-signature.pem',
    why: 'one signature bit flipped, AKI = SKI',
    kind: 'certificate',
    location: 'cn',
    problems: ['bad-signature'],
  },
  {
    file: 'self-issued-altered.pem',
    why: 'subject = issuer, no key ids, own key fails',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    warnings: ['issuer-not-in-file'],
  },
  {
    file: 'rollover.pem',
    why: 'self-issued, signed by another key',
    kind: 'certificate',
    location: 'none',
    problems: ['no-app-id'],
    warnings: ['issuer-not-in-file'],
  },
  {
    file: 'chain-leaf-altered.pem',
    why: 'altered leaf, its CA in the file',
    kind: 'certificate',
    location: 'cn',
    problems: ['bad-signature'],
  },
  {
    file: 'server-only.pem',
    why: 'EKU serverAuth only',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    warnings: ['missing-client-auth'],
  },
  { file: 'expires-soon.pem', why: '10 days left', kind: 'certificate', location: 'cn', problems: [], warnings: ['expires-soon'] },
  { file: 'expired.pem', why: 'ended 2021', kind: 'certificate', location: 'cn', problems: ['expired'] },
  { file: 'not-yet-valid.pem', why: 'starts 2099', kind: 'certificate', location: 'cn', problems: ['not-yet-valid'] },
  {
    file: 'ca-certificate.pem',
    why: 'the root CA alone',
    kind: 'certificate',
    location: 'none',
    problems: ['no-app-id'],
    warnings: ['ca-certificate'],
  },
  { file: 'chain-leaf-first.pem', why: 'leaf, intermediate, root', kind: 'certificate', location: 'cn', problems: [] },
  {
    file: 'chain-reversed.pem',
    why: 'root, intermediate, leaf',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    warnings: ['chain-order-reversed'],
  },
  {
    file: 'chain-unordered.pem',
    why: 'intermediate, leaf, root',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    warnings: ['chain-unordered'],
  },
  {
    file: 'two-leaves.pem',
    why: 'two unrelated client certificates',
    kind: 'certificate',
    location: 'cn',
    problems: [],
    warnings: ['chain-unordered'],
  },
  { file: 'csr-cn.pem', why: 'CSR PEM, UUID as CN', kind: 'csr', location: 'cn', problems: [], actions: ['csr-needs-signing'] },
  { file: 'csr-oid.der', why: 'CSR DER, UUID in the OID', kind: 'csr', location: 'oid', problems: [], actions: ['csr-needs-signing'] },
  {
    file: 'csr-bad-signature.pem',
    why: 'CSR with a flipped signature bit',
    kind: 'csr',
    location: 'cn',
    problems: ['bad-signature'],
    actions: ['csr-needs-signing'],
  },
  {
    file: 'csr-no-app-id.pem',
    why: 'CSR without UUID',
    kind: 'csr',
    location: 'none',
    problems: ['no-app-id'],
    actions: ['csr-needs-signing'],
  },
  {
    file: 'private-key.pem',
    why: 'a private key alone',
    kind: 'unknown',
    location: 'none',
    problems: ['not-a-certificate', 'private-key'],
  },
  {
    file: 'cert-and-key.pem',
    why: 'certificate with its key',
    kind: 'certificate',
    location: 'cn',
    problems: ['private-key'],
  },
  {
    file: 'modern.p12',
    why: 'PKCS#12 (AES), right password',
    kind: 'pkcs12',
    location: 'cn',
    problems: ['private-key'],
    password: P12_PASSWORD,
  },
  {
    file: 'modern.p12',
    why: 'PKCS#12, wrong password',
    kind: 'pkcs12',
    location: 'none',
    problems: [],
    actions: ['wrong-password'],
    password: 'wrong',
  },
  { file: 'modern.p12', why: 'PKCS#12, no password', kind: 'pkcs12', location: 'none', problems: [], actions: ['password-required'] },
  {
    file: 'legacy.p12',
    why: 'PKCS#12 (3DES), right password',
    kind: 'pkcs12',
    location: 'cn',
    problems: ['private-key'],
    warnings: ['legacy-p12-encryption'],
    password: P12_PASSWORD,
  },
  { file: 'large.pem', why: 'over 100 KiB', kind: 'certificate', location: 'cn', problems: [], warnings: ['large-file'] },
  { file: 'too-large.bin', why: 'over 1 MiB', kind: 'unknown', location: 'none', problems: ['file-too-large'] },
  { file: 'empty.pem', why: 'empty', kind: 'unknown', location: 'none', problems: ['not-a-certificate'] },
  { file: 'random.bin', why: 'random bytes', kind: 'unknown', location: 'none', problems: ['not-a-certificate'] },
  { file: 'text.txt', why: 'plain text', kind: 'unknown', location: 'none', problems: ['not-a-certificate'] },
  { file: 'truncated.pem', why: 'PEM cut short', kind: 'unknown', location: 'none', problems: ['not-a-certificate'] },
  { file: 'bad-base64.pem', why: 'PEM with a bad character', kind: 'unknown', location: 'none', problems: ['not-a-certificate'] },
  { file: 'truncated.der', why: 'DER cut short', kind: 'unknown', location: 'none', problems: ['not-a-certificate'] },
];

/** Fixtures that hold exactly one certificate, for comparing with `openssl x509`. */
export const SINGLE_CERTIFICATES = [
  ...new Set(
    TABLE.filter(
      (t) => t.kind === 'certificate' && !t.file.startsWith('chain-') && !['cert-and-key.pem', 'two-leaves.pem'].includes(t.file),
    ).map((t) => t.file),
  ),
];
