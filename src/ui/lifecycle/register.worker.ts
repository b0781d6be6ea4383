// The DSM registration with a CA file the user dropped, off the main thread and under the page's
// deadline (src/ui/worker/once.ts): the file is read like any other hostile input.
import { serve } from '../worker/serve';
import { registrationWithinBudget } from './registration';

serve(registrationWithinBudget);
