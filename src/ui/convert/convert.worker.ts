// Opens a PKCS#12 file off the main thread: a crafted file can ask for minutes of key derivation,
// and the page must stay responsive and able to stop it (src/ui/worker/once.ts).
import { openPkcs12 } from '../../lib/convert';
import { serve } from '../worker/serve';
import type { OpenRequest } from './open';

serve(({ der, password }: OpenRequest) => openPkcs12(der, password));
