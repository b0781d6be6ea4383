import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src/ui/about/csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

export interface SubPathServer {
  /** e.g. http://127.0.0.1:40123/tools/appcert/ */
  url: string;
  /** Appended to sw.js, so the browser sees a new version of the app. */
  swSuffix: string;
  /** Every path the server was asked for, in order: what reached the network. */
  received: string[];
  close: () => Promise<void>;
}

/**
 * Serves the production build under a sub-path, as a host would (the CSP header on every
 * response, sw.js never cached), on a free port. `policy` replaces appcert's header, to test it.
 */
export async function serveBuildAt(
  prefix: string,
  policy = CONTENT_SECURITY_POLICY_HEADER,
  dist = process.env.APPCERT_DIST ?? 'dist',
): Promise<SubPathServer> {
  const state = { swSuffix: '' };
  const received: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    received.push(path);
    if (!path.startsWith(prefix)) return void response.writeHead(404).end();
    const file = normalize(path.slice(prefix.length) || 'index.html');
    if (file.startsWith('..')) return void response.writeHead(404).end();
    try {
      let body: Buffer | string = await readFile(join(dist, file));
      if (file === 'sw.js') body = body.toString('utf8') + state.swSuffix;
      response.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': policy,
        'Cache-Control': file === 'sw.js' ? 'no-cache' : 'max-age=60',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    received,
    get swSuffix() {
      return state.swSuffix;
    },
    set swSuffix(value: string) {
      state.swSuffix = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
