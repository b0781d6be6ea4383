// Checks files off the main thread, so hundreds of them never freeze the page. It imports only
// the DOM-free core (and the request format). Each start is announced: the page gives every file
// a deadline from its start and terminates this worker when one passes it (src/ui/verify/queue.ts).
import { unopenedFile } from '../../lib/verify/fileReport';
import * as core from '../../lib/verify/verify';
import { checkRequest, type CheckRequest, type CheckResponse } from './request';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CheckRequest>) => void) | null;
  postMessage(message: CheckResponse): void;
};

// Several files are checked at once (one runs while another awaits WebCrypto); each says when it starts.
scope.onmessage = async ({ data }) => {
  scope.postMessage({ id: data.id, started: true });
  let report;
  try {
    report = await checkRequest(core, data);
  } catch (error) {
    report = unopenedFile(data.name, error instanceof Error ? error.message : String(error));
  }
  scope.postMessage({ id: data.id, report });
};
