import type { FileReport } from '../../lib/verify/fileReport';

/** One input of the Verify screen: a chosen file (read when its turn comes) or pasted text, and its report once checked. */
export interface Entry {
  id: number;
  name: string;
  source: File | Uint8Array<ArrayBuffer>;
  report: FileReport | null;
  checking: boolean;
}
