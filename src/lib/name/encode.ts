import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { StringType, SubjectAttribute } from '../plain/subject';

// Kept apart from subject.ts so that validating and previewing a subject does not load pkijs.

function encodeString(type: StringType, value: string): asn1js.Utf8String | asn1js.PrintableString | asn1js.IA5String {
  switch (type) {
    case 'PrintableString':
      return new asn1js.PrintableString({ value });
    case 'IA5String':
      return new asn1js.IA5String({ value });
    case 'UTF8String':
      return new asn1js.Utf8String({ value });
  }
}

/**
 * A pkijs Name with one attribute per RDN. pkijs itself would put a list of attributes into one
 * multi-valued RDN ("C = US + O = ..."), so the SEQUENCE OF SET is built here and parsed back.
 */
export function encodeName(attributes: SubjectAttribute[]): pkijs.RelativeDistinguishedNames {
  const sequence = new asn1js.Sequence({
    value: attributes.map(
      (a) =>
        new asn1js.Set({
          value: [new pkijs.AttributeTypeAndValue({ type: a.oid, value: encodeString(a.stringType, a.value) }).toSchema()],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(sequence.toBER());
}
