import type { DsmRegisterError, DsmRegisterInput, DsmRegistration } from '../../lib/dsmRegister';
import { isTooMuchWork } from '../../lib/budget';
import { dsmRegistration } from '../../lib/dsmRegister';
import type { Result } from '../../lib/plain/result';
import { tooMuchWork } from '../../lib/privateKey';

/** dsmRegistration, with a file past the work budget as a `too-much-work` result rather than a thrown error. */
export async function registrationWithinBudget(
  input: DsmRegisterInput,
): Promise<Result<DsmRegistration, DsmRegisterError | 'too-much-work'>> {
  try {
    return await dsmRegistration(input);
  } catch (error) {
    if (isTooMuchWork(error)) return tooMuchWork(error.what);
    throw error;
  }
}
