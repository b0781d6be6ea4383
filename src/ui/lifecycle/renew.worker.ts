// Reads the certificate or .p12 being renewed off the main thread: a crafted .p12 can ask for
// minutes of key derivation, and the page must stay responsive and able to stop it (src/ui/worker/once.ts).
import { readExisting } from '../../lib/renew';
import { serve } from '../worker/serve';
import type { ReadRequest } from './read';

serve((request: ReadRequest) => readExisting(request));
