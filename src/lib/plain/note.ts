/**
 * Something the user should know about a result that is not a failure: `info` when appcert has
 * already dealt with it (e.g. put the chain in order), `warning` when they may need to act.
 */
export interface Note {
  severity: 'info' | 'warning';
  message: string;
}

export const info = (message: string): Note => ({ severity: 'info', message });
export const warning = (message: string): Note => ({ severity: 'warning', message });
