import type { CompleteError } from '../../lib/complete';

/** The inputs of the Complete form a failure can be about. */
export type CompleteInput = 'key' | 'password' | 'certificates' | 'appId';

/** Every code of the core, so a new one cannot go unplaced; null: about the form as a whole. */
const INPUT_OF: Record<CompleteError, CompleteInput | null> = {
  'no-key': 'key',
  'not-a-key': 'key',
  'unsupported-key': 'key',
  // The key file's own encryption scheme: another password cannot help, another file can.
  'unsupported-encryption': 'key',
  'wrong-password': 'password',
  'no-certificates': 'certificates',
  'not-a-certificate': 'certificates',
  'no-leaf': 'certificates',
  'several-leaves': 'certificates',
  // The usual cause is a certificate from another request, next to the right key.
  'key-mismatch': 'certificates',
  'empty-uuid': 'appId',
  'malformed-uuid': 'appId',
  'uuid-missing': 'appId',
  'uuid-mismatch': 'appId',
  'too-much-work': null,
};

/** The input a failure is about (its message is shown there, as on Create), or null for the form as a whole. */
export const problemInput = (code: CompleteError | 'read-failed' | 'failed'): CompleteInput | null =>
  code in INPUT_OF ? INPUT_OF[code as CompleteError] : null;
