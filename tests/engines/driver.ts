/**
 * The engine-neutral browser driver the cross-engine flows are written against. Each engine has an
 * adapter (firefox.ts over puppeteer-core and WebDriver BiDi, webkit.ts over selenium-webdriver and
 * WebKitWebDriver); the flows never see which one runs them.
 *
 * Elements are found the way the Chromium Playwright suite finds them (tests/e2e): by label, by
 * role and accessible name, or by test id. The search runs inside the page (page-helpers.js), so
 * both engines resolve a target by the same rules.
 */

/** Text to match: a string matches exactly, or else as a case-insensitive substring (like Playwright's getByLabel); a RegExp as written. */
export type TextMatch = string | RegExp;

export type Role = 'button' | 'link' | 'radio' | 'checkbox' | 'heading';

/** Where an element is, in a form that crosses into the page as JSON. */
export interface Target {
  by: 'label' | 'role' | 'testId' | 'css';
  role?: Role;
  /** Label text, accessible name, test id or CSS selector. */
  value: SerializedMatch;
  /** Only an exact (or RegExp) match, never a substring. */
  exact?: boolean;
  /** Search only inside this element. */
  within?: Target;
}

export type SerializedMatch = string | { source: string; flags: string };

const serialize = (match: TextMatch): SerializedMatch => (typeof match === 'string' ? match : { source: match.source, flags: match.flags });

export const label = (text: TextMatch, options: { exact?: boolean; within?: Target } = {}): Target => ({
  by: 'label',
  value: serialize(text),
  ...options,
});
export const role = (kind: Role, name: TextMatch, options: { exact?: boolean; within?: Target } = {}): Target => ({
  by: 'role',
  role: kind,
  value: serialize(name),
  ...options,
});
export const button = (name: TextMatch, options: { exact?: boolean; within?: Target } = {}) => role('button', name, options);
export const radio = (name: TextMatch) => role('radio', name);
export const heading = (name: TextMatch) => role('heading', name, { exact: true });
export const testId = (id: string, within?: Target): Target => ({ by: 'testId', value: id, within });
export const css = (selector: string): Target => ({ by: 'css', value: selector });
/** A link of the app's main navigation. */
export const navLink = (name: string): Target => role('link', name, { exact: true, within: css('nav') });

/** What the page's Worker hook saw: one entry per `new Worker(...)`. */
export interface WorkerRecord {
  url: string;
  /** Messages the page received from the worker. */
  messages: number;
  errors: number;
}

/** A file the page offered as a download, saved on disk. */
export interface Download {
  /** The name the page gave it. */
  name: string;
  path: string;
}

export interface Driver {
  /** Opens a path of the app (relative to the preview server's root), waiting for the load. */
  goto(path: string): Promise<void>;
  reload(): Promise<void>;
  /** Types a value into a text field (replacing what is there), as input events the app sees. */
  fill(target: Target, value: string): Promise<void>;
  /** Chooses an option of a <select> by its value. */
  select(target: Target, value: string): Promise<void>;
  /** A real click by the driver (user activation included, which downloads may need). */
  click(target: Target): Promise<void>;
  setFiles(target: Target, paths: string[]): Promise<void>;
  /** The element's normalized text (or a field's value); null when it is not on the page. */
  text(target: Target): Promise<string | null>;
  /** Runs a JavaScript expression in the page and returns its (JSON-able) value, awaited when it is a promise. */
  evaluate<T>(expression: string): Promise<T>;
  /** Clicks a target that downloads a file and waits until the file is saved into `dir`. */
  download(target: Target, dir: string): Promise<Download>;
  /** What the page's Worker hook recorded since the page loaded. */
  workers(): Promise<WorkerRecord[]>;
  /** Cuts the page off the network (or restores it). */
  setOffline(offline: boolean): Promise<void>;
  /** Uncaught page errors and console errors since the flow began. */
  errors(): Promise<string[]>;
}

/** An engine: one browser for all flows, a fresh page (and download folder) per flow. */
export interface Engine {
  readonly name: 'firefox' | 'webkit';
  /** The browser's own version string, for the report. */
  readonly version: string;
  /** A fresh page for one flow. */
  newFlow(): Promise<Driver>;
  /** Ends the flow's page. */
  endFlow(driver: Driver): Promise<void>;
  close(): Promise<void>;
}

/** How long an action waits for its element to appear (screens load lazily), as Playwright's actions do. */
export const ACTION_TIMEOUT = 15_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than false/null/undefined, or fails with `what` and the last value seen. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | false | null | undefined>,
  timeout = 30_000,
  describe?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== false && value !== null && value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeout / 1000} s waiting for ${what}${describe ? `; ${await describe()}` : ''}`);
    await sleep(100);
  }
}

const describeMatch = (match: TextMatch) => (typeof match === 'string' ? JSON.stringify(match) : String(match));

export function describeTarget(target: Target): string {
  const value = typeof target.value === 'string' ? JSON.stringify(target.value) : `/${target.value.source}/${target.value.flags}`;
  const own = target.by === 'role' ? `${target.role} ${value}` : `${target.by} ${value}`;
  return target.within ? `${own} in ${describeTarget(target.within)}` : own;
}

/** Waits until the target's text contains (or, for a RegExp, matches) `text`. */
export async function waitForText(driver: Driver, target: Target, text: TextMatch, timeout = 30_000): Promise<string> {
  let last: string | null = null;
  return waitUntil(
    `${describeTarget(target)} to show ${describeMatch(text)}`,
    async () => {
      last = await driver.text(target);
      if (last === null) return false;
      return (typeof text === 'string' ? last.includes(text) : text.test(last)) ? last : false;
    },
    timeout,
    async () => (last === null ? 'it is not on the page' : `it shows ${JSON.stringify(last)}`),
  );
}

/** Waits until the target is on the page (and visible). */
export async function waitForElement(driver: Driver, target: Target, timeout = 30_000): Promise<void> {
  await waitUntil(`${describeTarget(target)} to appear`, async () => (await driver.text(target)) !== null, timeout);
}
