import { refuseLargeFile, unopenedFile, type FileReport } from '../../lib/verify/fileReport';

/** What the page sends the worker: a file's bytes; null for a file refused by its size unread. */
export interface CheckRequest {
  id: number;
  name: string;
  size: number;
  bytes: ArrayBuffer | null;
  /** Why the page could not read the file (it was moved or deleted since it was chosen). */
  unreadable?: string;
  password?: string;
}

/** What the worker answers: when it starts a file (its deadline runs from then), then the file's report. */
export type CheckResponse = { id: number; started: true } | { id: number; report: FileReport };

/** One check, the same in the worker and on the page. */
export function checkRequest(
  core: Pick<typeof import('../../lib/verify/verify'), 'verifyFile'>,
  request: CheckRequest,
): Promise<FileReport> | FileReport {
  if (request.unreadable !== undefined) return unopenedFile(request.name, request.unreadable);
  if (request.bytes === null) return refuseLargeFile(request.name, request.size) ?? unopenedFile(request.name, 'not read');
  return core.verifyFile(request.name, new Uint8Array(request.bytes), { password: request.password });
}
