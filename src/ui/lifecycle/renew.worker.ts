// Reads the certificate or .p12 being renewed, or the current key file, off the main thread: a
// crafted .p12 or encrypted key can ask for minutes of key derivation, and the page must stay
// responsive and able to stop it (src/ui/worker/once.ts).
import { keyFromFile, readExisting } from '../../lib/renew';
import { serve } from '../worker/serve';
import type { KeyRequest, ReadRequest } from './read';

serve<ReadRequest | KeyRequest, unknown>((request) =>
  request.kind === 'existing' ? readExisting(request) : keyFromFile({ der: request.certificateDer }, request.keyText, request.password),
);
