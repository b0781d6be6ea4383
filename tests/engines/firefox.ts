import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type ElementHandle, type Page } from 'puppeteer-core';
import {
  type Download,
  type Driver,
  type Engine,
  type Target,
  type WorkerRecord,
  ACTION_TIMEOUT,
  describeTarget,
  waitForElement,
  waitUntil,
} from './driver';
import { helpersCall } from './helpers';

/** Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi (no driver binary). */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

class FirefoxDriver implements Driver {
  #pageErrors: string[] = [];
  #saved = 0;

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly downloadDir: string,
    readonly baseUrl: string,
  ) {
    page.on('pageerror', (error) => this.#pageErrors.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
    page.on('console', (message) => void (message.type() === 'error' && this.#pageErrors.push(`console error: ${message.text()}`)));
  }

  #call<T>(call: string): Promise<T> {
    return this.page.evaluate(helpersCall(call)) as Promise<T>;
  }

  async #element(target: Target): Promise<ElementHandle<Element>> {
    await waitForElement(this, target, ACTION_TIMEOUT);
    const handle = await this.page.evaluateHandle(helpersCall(`get(${JSON.stringify(target)})`));
    const element = handle.asElement();
    if (!element) throw new Error(`${describeTarget(target)} is not an element`);
    return element as ElementHandle<Element>;
  }

  async goto(path: string) {
    await this.page.goto(new URL(path, this.baseUrl).href, { waitUntil: 'load' });
  }

  async reload() {
    await this.page.reload({ waitUntil: 'load' });
  }

  async fill(target: Target, value: string) {
    await waitForElement(this, target, ACTION_TIMEOUT);
    await this.#call(`fill(${JSON.stringify(target)}, ${JSON.stringify(value)})`);
  }

  async select(target: Target, value: string) {
    await waitForElement(this, target, ACTION_TIMEOUT);
    await this.#call(`select(${JSON.stringify(target)}, ${JSON.stringify(value)})`);
  }

  async click(target: Target) {
    await (await this.#element(target)).click();
  }

  async setFiles(target: Target, paths: string[]) {
    const element = (await this.#element(target)) as ElementHandle<HTMLInputElement>;
    await element.uploadFile(...paths);
  }

  text(target: Target) {
    return this.#call<string | null>(`text(${JSON.stringify(target)})`);
  }

  evaluate<T>(expression: string) {
    return this.page.evaluate(expression) as Promise<T>;
  }

  async download(target: Target, dir: string): Promise<Download> {
    const before = new Set(await readdir(this.downloadDir));
    await this.click(target);
    // Firefox writes `<name>.part` first and renames it when done; the size then stays put.
    const name = await waitUntil(`a download after clicking ${describeTarget(target)}`, async () => {
      const files = await readdir(this.downloadDir);
      if (files.some((file) => file.endsWith('.part'))) return false;
      return files.find((file) => !before.has(file));
    });
    const source = join(this.downloadDir, name);
    let size = -1;
    await waitUntil(`${name} to be written`, async () => {
      const now = (await stat(source)).size;
      const settled = now > 0 && now === size;
      size = now;
      return settled;
    });
    // Each download gets its own folder, so the same name twice (two PKCS#12 profiles) keeps both.
    const folder = join(dir, `download-${++this.#saved}`);
    await mkdir(folder, { recursive: true });
    const path = join(folder, name);
    await rename(source, path);
    return { name, path };
  }

  workers() {
    return this.#call<WorkerRecord[]>('workers()');
  }

  async setOffline(offline: boolean) {
    await this.page.setOfflineMode(offline);
  }

  async errors() {
    const recorded = await this.#call<string[]>('takeErrors()').catch(() => []);
    return [...this.#pageErrors.splice(0), ...recorded];
  }
}

export async function launchFirefox(baseUrl: string): Promise<Engine> {
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocolTimeout: 180_000,
  });
  const version = await browser.version();
  const downloads = await mkdtemp(join(tmpdir(), 'appcert-engines-firefox-'));
  return {
    name: 'firefox',
    version,
    async newFlow() {
      const downloadDir = await mkdtemp(join(downloads, 'flow-'));
      const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloadDir } });
      return new FirefoxDriver(await context.newPage(), context, downloadDir, baseUrl);
    },
    async endFlow(driver) {
      await (driver as FirefoxDriver).context.close();
    },
    async close() {
      await browser.close();
      await rm(downloads, { recursive: true, force: true });
    },
  };
}
