// Checks files off the main thread, so hundreds of them never freeze the page. It imports only
// the DOM-free core (and the request format).
import * as core from '../../lib/verify/verify';
import { checkRequest, type CheckRequest, type CheckResponse } from './request';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CheckRequest>) => void) | null;
  postMessage(message: CheckResponse): void;
};

scope.onmessage = async ({ data }) => {
  scope.postMessage({ id: data.id, report: await checkRequest(core, data) });
};
