import { failure, success, type Result } from './result';

/** Advice on a password the user chose. Warnings, not errors: the user decides. */
export interface PasswordAdvice {
  code: 'weak-password' | 'non-ascii-password';
  message: string;
}

export function passwordAdvice(password: string): PasswordAdvice[] {
  const advice: PasswordAdvice[] = [];
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 12 || (password.length < 16 && classes < 3)) {
    advice.push({
      code: 'weak-password',
      message:
        'This password is easy to guess: use 12 or more characters mixing letters, digits and symbols, or a passphrase of four or more words.',
    });
  }
  if (/[^\x20-\x7e]/.test(password)) {
    advice.push({
      code: 'non-ascii-password',
      message:
        "The password has characters beyond plain ASCII: Java's keytool refuses such PKCS#12 passwords. Use ASCII if a Java client will open the file.",
    });
  }
  return advice;
}

export type ConfirmationError = 'confirmation-missing' | 'passwords-differ';

/** The password once it was typed twice the same, or why it cannot be used yet. */
export function confirmedPassword(password: string, confirmation: string): Result<string, ConfirmationError> {
  if (password === confirmation) return success(password);
  if (confirmation === '') return failure('confirmation-missing', 'Type the password a second time to confirm it.');
  return failure('passwords-differ', 'The two passwords differ: type the same password in both fields.');
}
