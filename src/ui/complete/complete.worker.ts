// Decrypts the key file and reads the CA's certificates off the main thread: a crafted key file or
// chain can ask for minutes of work, and the page must stay responsive and able to stop it.
import { completeCsr, type CompleteRequest } from '../../lib/complete';
import { serve } from '../worker/serve';

serve((request: CompleteRequest) => completeCsr(request));
