import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The in-page helpers (page-helpers.js) as text: installed by the first call after each load. */
const HELPERS = readFileSync(join(import.meta.dirname, 'page-helpers.js'), 'utf8');

/**
 * A JavaScript expression that installs the helpers if needed and returns `window.__engines.<call>`.
 * With `captureDownloads`, the page's downloads are kept in the page for the driver to read.
 */
export const helpersCall = (call: string, { captureDownloads = false } = {}) =>
  `(() => {\n${HELPERS}\n${captureDownloads ? 'window.__engines.captureDownloads = true;\n' : ''}return window.__engines.${call};\n})()`;
