import type { FileReport } from '../../lib/verify/fileReport';
import { checkRequest, type CheckRequest, type CheckResponse } from './request';

type Pending = { request: CheckRequest; resolve: (report: FileReport) => void };

/**
 * Runs checks in a Web Worker. If the worker cannot start (an old browser, a blocked script), the
 * same core runs on the page instead, so a check never waits forever.
 */
export class Checker {
  #worker: Worker | null = null;
  #pending = new Map<number, Pending>();
  #fallback = false;

  constructor() {
    try {
      this.#worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
      this.#worker.onmessage = ({ data }: MessageEvent<CheckResponse>) => {
        this.#pending.get(data.id)?.resolve(data.report);
        this.#pending.delete(data.id);
      };
      this.#worker.onerror = () => this.#useFallback();
    } catch {
      this.#fallback = true;
    }
  }

  check(request: CheckRequest): Promise<FileReport> {
    if (this.#fallback || !this.#worker) return checkOnPage(request);
    return new Promise((resolve) => {
      this.#pending.set(request.id, { request, resolve });
      // The bytes are copied, not transferred, so a fallback can still send them again.
      this.#worker?.postMessage(request);
    });
  }

  #useFallback(): void {
    this.#fallback = true;
    this.#worker?.terminate();
    this.#worker = null;
    for (const { request, resolve } of this.#pending.values()) void checkOnPage(request).then(resolve);
    this.#pending.clear();
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}

async function checkOnPage(request: CheckRequest): Promise<FileReport> {
  return checkRequest(await import('../../lib/verify/verify'), request);
}
