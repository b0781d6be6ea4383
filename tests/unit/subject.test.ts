import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { encodeName } from '../../src/lib/name/encode';
import {
  EMPTY_SUBJECT,
  formatSubject,
  parseSubjectLine,
  subjectAttributes,
  validateSubject,
  type SubjectAttribute,
  type SubjectFields,
} from '../../src/lib/plain/subject';
import { parseAppId, type AppId } from '../../src/lib/plain/uuid';

const APP_ID = 'da7f2800-4122-4681-aebf-90beb779b73f' as AppId;
const DSM_APP_ID = '1.3.6.1.4.1.49690.1.2.1';

const FULL: SubjectFields = {
  country: 'us',
  state: 'California',
  locality: 'Mountain View',
  organization: 'Fortanix Inc',
  organizationalUnit: 'Engineering',
  commonName: 'test.kmip.fortanix.com',
  email: 'team@example.com',
};

// Universal tag numbers, from X.680.
const TAG = { UTF8String: 12, PrintableString: 19, IA5String: 22 } as const;

/** The DER Name decoded independently of pkijs's classes: one entry per RDN (SET). */
function decodeName(attributes: SubjectAttribute[]) {
  const der = encodeName(attributes).toSchema().toBER(false);
  const parsed = asn1js.fromBER(der);
  expect(parsed.offset).toBe(der.byteLength);
  const name = parsed.result as asn1js.Sequence;
  return name.valueBlock.value.map((rdn) => {
    expect(rdn).toBeInstanceOf(asn1js.Set);
    const members = (rdn as asn1js.Set).valueBlock.value;
    const [type, value] = (members[0] as asn1js.Sequence).valueBlock.value;
    return {
      attributesInSet: members.length,
      oid: (type as asn1js.ObjectIdentifier).valueBlock.toString(),
      tag: value.idBlock.tagNumber,
      text: new TextDecoder().decode((value as asn1js.Utf8String).valueBlock.valueHexView),
    };
  });
}

describe('subjectAttributes and encodeName', () => {
  it('puts one attribute in each RDN, in OpenSSL order, with the app-id OID last', () => {
    const rdns = decodeName(subjectAttributes(FULL, APP_ID, 'oid'));
    expect(rdns).toEqual([
      { attributesInSet: 1, oid: '2.5.4.6', tag: TAG.PrintableString, text: 'US' },
      { attributesInSet: 1, oid: '2.5.4.8', tag: TAG.UTF8String, text: 'California' },
      { attributesInSet: 1, oid: '2.5.4.7', tag: TAG.UTF8String, text: 'Mountain View' },
      { attributesInSet: 1, oid: '2.5.4.10', tag: TAG.UTF8String, text: 'Fortanix Inc' },
      { attributesInSet: 1, oid: '2.5.4.11', tag: TAG.UTF8String, text: 'Engineering' },
      { attributesInSet: 1, oid: '2.5.4.3', tag: TAG.UTF8String, text: 'test.kmip.fortanix.com' },
      { attributesInSet: 1, oid: '1.2.840.113549.1.9.1', tag: TAG.IA5String, text: 'team@example.com' },
      { attributesInSet: 1, oid: DSM_APP_ID, tag: TAG.UTF8String, text: APP_ID },
    ]);
  });

  it('writes the OID value as a PrintableString when asked', () => {
    const rdns = decodeName(subjectAttributes(FULL, APP_ID, 'oid', 'PrintableString'));
    expect(rdns.at(-1)).toEqual({ attributesInSet: 1, oid: DSM_APP_ID, tag: TAG.PrintableString, text: APP_ID });
  });

  it('makes the UUID the CN for placement cn, ignoring a typed CN', () => {
    const attributes = subjectAttributes(FULL, APP_ID, 'cn');
    expect(attributes.filter((a) => a.isAppId)).toEqual([
      { oid: '2.5.4.3', shortName: 'CN', value: APP_ID, stringType: 'UTF8String', isAppId: true },
    ]);
    expect(decodeName(attributes).map((r) => r.oid)).toEqual([
      '2.5.4.6',
      '2.5.4.8',
      '2.5.4.7',
      '2.5.4.10',
      '2.5.4.11',
      '2.5.4.3',
      '1.2.840.113549.1.9.1',
    ]);
  });

  it('leaves the UUID out for placement none', () => {
    const attributes = subjectAttributes(FULL, APP_ID, 'none');
    expect(attributes.some((a) => a.isAppId || a.value === APP_ID)).toBe(false);
    expect(attributes).toHaveLength(7);
  });

  it('leaves out empty fields and trims the rest', () => {
    const attributes = subjectAttributes({ ...EMPTY_SUBJECT, organization: '  Acme  ', commonName: '' }, APP_ID, 'oid');
    expect(attributes.map((a) => [a.shortName, a.value])).toEqual([
      ['O', 'Acme'],
      [DSM_APP_ID, APP_ID],
    ]);
  });

  it('encodes non-ASCII values as UTF-8', () => {
    const [rdn] = decodeName(subjectAttributes({ ...EMPTY_SUBJECT, organization: 'Zürich 中文 😀' }, APP_ID, 'none'));
    expect(rdn).toEqual({ attributesInSet: 1, oid: '2.5.4.10', tag: TAG.UTF8String, text: 'Zürich 中文 😀' });
  });
});

describe('validateSubject', () => {
  const errorsFor = (fields: Partial<SubjectFields>, placement: 'cn' | 'oid' | 'none' = 'oid') =>
    validateSubject({ ...EMPTY_SUBJECT, ...fields }, placement);

  it('accepts a full subject and an empty one when the UUID is in it', () => {
    expect(errorsFor(FULL)).toEqual([]);
    expect(errorsFor({}, 'oid')).toEqual([]);
    expect(errorsFor({}, 'cn')).toEqual([]);
  });

  it.each(['USA', 'U', 'U1', '12', 'Ü S'])('refuses the country %j', (country) => {
    expect(errorsFor({ country })).toEqual([
      { field: 'country', code: 'country-not-iso-code', message: 'Use the two-letter ISO 3166 country code, e.g. US, GB or DE.' },
    ]);
  });

  it.each([
    ['state', 128, 'State or province'],
    ['locality', 128, 'Locality'],
    ['organization', 64, 'Organization'],
    ['organizationalUnit', 64, 'Organizational unit'],
    ['commonName', 64, 'Common name'],
  ] as const)('holds %s to the RFC 5280 limit of %i characters', (field, limit, label) => {
    expect(errorsFor({ [field]: 'é'.repeat(limit) })).toEqual([]);
    expect(errorsFor({ [field]: 'é'.repeat(limit + 1) })).toEqual([
      { field, code: 'subject-value-too-long', message: `${label} can be at most ${limit} characters (RFC 5280); this has ${limit + 1}.` },
    ]);
  });

  it('holds the email address to 255 characters', () => {
    const local = 'a'.repeat(243);
    expect(errorsFor({ email: `${local}@example.com` })).toEqual([]);
    expect(errorsFor({ email: `${local}a@example.com` })[0]).toEqual({
      field: 'email',
      code: 'subject-value-too-long',
      message: 'Email address can be at most 255 characters (RFC 5280); this has 256.',
    });
  });

  it.each(['tab\there', 'line\nbreak', 'del\x7f', 'nul\x00'])('refuses a control character in %j', (organization) => {
    expect(errorsFor({ organization })).toEqual([
      {
        field: 'organization',
        code: 'subject-control-character',
        message: 'Organization contains a control character (tab or line break); remove it.',
      },
    ]);
  });

  it.each(['team', 'team@', '@example.com', 'a@b@c', 'tëam@example.com', 'team @example.com'])('refuses the email %j', (email) => {
    expect(errorsFor({ email })).toEqual([
      { field: 'email', code: 'subject-email-invalid', message: 'Enter one email address in plain ASCII, like team@example.com.' },
    ]);
  });

  it('refuses an empty subject for placement none, and only then', () => {
    expect(errorsFor({}, 'none')).toEqual([
      {
        field: 'commonName',
        code: 'subject-empty',
        message: 'The subject would be empty: enter at least a common name, such as the app or host name.',
      },
    ]);
    expect(errorsFor({ commonName: '   ' }, 'none')).toHaveLength(1);
    expect(errorsFor({ organization: 'Acme' }, 'none')).toEqual([]);
  });

  it('does not check a typed CN that placement cn replaces', () => {
    expect(errorsFor({ commonName: 'x'.repeat(100) }, 'cn')).toEqual([]);
    expect(errorsFor({ commonName: 'x'.repeat(100) }, 'oid')).toHaveLength(1);
  });

  it('reports every bad field at once', () => {
    expect(errorsFor({ country: 'USA', organization: 'a\tb', email: 'nope' }).map((e) => [e.field, e.code])).toEqual([
      ['country', 'country-not-iso-code'],
      ['organization', 'subject-control-character'],
      ['email', 'subject-email-invalid'],
    ]);
  });
});

describe('formatSubject', () => {
  const attr = (shortName: string, value: string): SubjectAttribute => ({
    oid: '2.5.4.10',
    shortName,
    value,
    stringType: 'UTF8String',
    isAppId: false,
  });

  it("prints the guide's sample as openssl x509 -noout -subject does", () => {
    const appId = parseAppId('acc15bf3-e626-47aa-9373-7b08b3f26ee8');
    expect(appId.ok).toBe(true);
    if (!appId.ok) return;
    const line = formatSubject(subjectAttributes({ ...FULL, country: 'US' }, appId.value.appId, 'oid'));
    expect(line).toBe(
      'C = US, ST = California, L = Mountain View, O = Fortanix Inc, OU = Engineering, CN = test.kmip.fortanix.com, ' +
        'emailAddress = team@example.com, 1.3.6.1.4.1.49690.1.2.1 = acc15bf3-e626-47aa-9373-7b08b3f26ee8',
    );
  });

  it.each([
    ['plain text', 'Acme Inc', 'Acme Inc'],
    ['a comma', 'Acme, Inc', '"Acme, Inc"'],
    ['a plus', 'R+D', '"R+D"'],
    ['a semicolon', 'a;b', '"a;b"'],
    ['angle brackets', '<x>', '"<x>"'],
    ['a quote', 'say "hi"', 'say \\"hi\\"'],
    ['a quote with a comma', '"a", b', '"\\"a\\", b"'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a leading space', ' lead', '" lead"'],
    ['a trailing space', 'trail ', '"trail "'],
    ['a leading #', '#1', '"#1"'],
    ['a # inside', 'no#1', 'no#1'],
    ['an equals sign', 'a=b', 'a=b'],
    ['two-byte UTF-8', 'é', '\\C3\\A9'],
    ['three-byte UTF-8', '中', '\\E4\\B8\\AD'],
    ['four-byte UTF-8', '😀', '\\F0\\9F\\98\\80'],
    ['control characters', 'a\tb\nc\x7f', 'a\\09b\\0Ac\\7F'],
  ])('escapes %s', (_, value, printed) => {
    expect(formatSubject([attr('O', value)])).toBe(`O = ${printed}`);
  });

  it('joins attributes with ", " and is empty for an empty subject', () => {
    expect(formatSubject([attr('C', 'US'), attr('O', 'x')])).toBe('C = US, O = x');
    expect(formatSubject([])).toBe('');
  });
});

describe('parseSubjectLine', () => {
  it('reads OpenSSL -subj syntax into fields', () => {
    expect(parseSubjectLine('/C=US/ST=CA/L=Mountain View/O=Example, Inc./OU=Eng/CN=name/emailAddress=a@example.com')).toEqual({
      ok: true,
      value: {
        country: 'US',
        state: 'CA',
        locality: 'Mountain View',
        organization: 'Example, Inc.',
        organizationalUnit: 'Eng',
        commonName: 'name',
        email: 'a@example.com',
      },
    });
  });

  it('keeps an escaped slash and an = inside a value', () => {
    expect(parseSubjectLine('/O=A\\/B/CN=x=y')).toEqual({ ok: true, value: { ...EMPTY_SUBJECT, organization: 'A/B', commonName: 'x=y' } });
  });

  it('reads an empty line as an empty subject', () => {
    expect(parseSubjectLine('/')).toEqual({ ok: true, value: EMPTY_SUBJECT });
  });

  it('refuses an attribute given twice rather than drop one', () => {
    expect(parseSubjectLine('/O=Example/OU=Payments/OU=Cards')).toEqual({
      ok: false,
      code: 'subject-repeated-attribute',
      message: 'OU appears twice: appcert writes one value per attribute, so keep only one OU=.',
    });
  });

  it('asks for the leading slash', () => {
    expect(parseSubjectLine('C=US/O=Example')).toEqual({
      ok: false,
      code: 'subject-no-slash',
      message: 'The subject must start with "/", like /C=US/O=Example/CN=name.',
    });
  });

  it.each([
    ['/X=1', 'X'],
    ['/C=US/commonName=x', 'commonName'],
    [`/${DSM_APP_ID}=${APP_ID}`, DSM_APP_ID],
    ['/O', 'O'],
  ])('names the unknown attribute in %j', (line, name) => {
    expect(parseSubjectLine(line)).toEqual({
      ok: false,
      code: 'subject-unknown-attribute',
      message: `Unknown subject attribute "${name}": use C, ST, L, O, OU, CN or emailAddress (the app UUID goes in with --placement).`,
    });
  });
});
