/**
 * What a reading worker says: that it loaded (so a later error is a crash, not a browser without
 * module workers), then the reader's value or the message of an error it threw.
 */
export type WorkerAnswer<T> = { ready: true } | { value: T } | { error: string };

/** Answers each request a worker receives with `read`'s value (structured-cloned: plain data, bytes, CryptoKeys). */
export function serve<Request, Answer>(read: (request: Request) => Promise<Answer>): void {
  const scope = self as unknown as {
    onmessage: ((event: MessageEvent<Request>) => void) | null;
    postMessage(message: WorkerAnswer<Answer>): void;
  };
  scope.postMessage({ ready: true });
  scope.onmessage = async ({ data }) => {
    try {
      scope.postMessage({ value: await read(data) });
    } catch (error) {
      scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  };
}
