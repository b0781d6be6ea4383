// Checks files off the main thread, so hundreds of them never freeze the page. It imports only
// the DOM-free core (and the request format). Files are checked one at a time, in the order they
// came, and each start is announced: the page gives every file a deadline from its start and
// terminates this worker when one passes it.
import * as core from '../../lib/verify/verify';
import { checkRequest, type CheckRequest, type CheckResponse } from './request';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CheckRequest>) => void) | null;
  postMessage(message: CheckResponse): void;
};

const waiting: CheckRequest[] = [];
let running = false;

scope.onmessage = ({ data }) => {
  waiting.push(data);
  if (!running) void checkWaiting();
};

async function checkWaiting() {
  running = true;
  for (let request = waiting.shift(); request; request = waiting.shift()) {
    scope.postMessage({ id: request.id, started: true });
    let report;
    try {
      report = await checkRequest(core, request);
    } catch (error) {
      report = core.unopenedFile(request.name, error instanceof Error ? error.message : String(error));
    }
    scope.postMessage({ id: request.id, report });
  }
  running = false;
}
