import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder, Capabilities, type WebDriver, type WebElement } from 'selenium-webdriver';
import {
  type Download,
  type Driver,
  type Engine,
  type Target,
  type WorkerRecord,
  ACTION_TIMEOUT,
  describeTarget,
  sleep,
  waitForElement,
  waitUntil,
} from './driver';
import { helpersCall } from './helpers';

/** Debian's WebKitGTK: MiniBrowser driven by WebKitWebDriver (package webkit2gtk-driver) under Xvfb. */
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';

/** Stops and restarts the preview server: WebKit has no offline switch, so "offline" means the server is gone. */
export interface Network {
  stop(): Promise<void>;
  start(): Promise<void>;
}

interface CapturedDownload {
  name: string;
  data: string | null;
  error: string | null;
}

class WebKitDriver implements Driver {
  #errors: string[] = [];
  #saved = 0;

  constructor(
    readonly driver: WebDriver,
    readonly baseUrl: string,
    readonly network: Network,
  ) {}

  #call<T>(call: string): Promise<T> {
    return this.driver.executeScript(`return ${helpersCall(call, { captureDownloads: true })};`) as Promise<T>;
  }

  async #element(target: Target): Promise<WebElement> {
    await waitForElement(this, target, ACTION_TIMEOUT);
    return this.#call<WebElement>(`get(${JSON.stringify(target)})`);
  }

  /**
   * Keeps the errors of the page being left, then installs the hooks into the new one at once.
   * WebDriver classic has no preload scripts: an error thrown while the page loads, before the
   * hooks are in, is not seen here (the Firefox and Chromium suites see those).
   */
  async #navigate(go: () => Promise<void>) {
    this.#errors.push(...(await this.#call<string[]>('takeErrors()').catch(() => [])));
    await go();
    await this.#call('workers()');
  }

  goto(path: string) {
    return this.#navigate(() => this.driver.get(new URL(path, this.baseUrl).href));
  }

  reload() {
    return this.#navigate(() => this.driver.navigate().refresh());
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
    const element = await this.#element(target);
    try {
      await element.click();
    } catch (error) {
      // A control drawn over by its own label or a sticky header: the click is the user's intent all the same.
      if (!/intercepted|not interactable/i.test(String(error))) throw error;
      await this.driver.executeScript('arguments[0].click()', element);
    }
  }

  async setFiles(target: Target, paths: string[]) {
    await (await this.#element(target)).sendKeys(paths.join('\n'));
  }

  text(target: Target) {
    return this.#call<string | null>(`text(${JSON.stringify(target)})`);
  }

  /** Awaits a promise the expression returns, as puppeteer's evaluate does. */
  async evaluate<T>(expression: string) {
    const outcome = (await this.driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       Promise.resolve().then(() => (${expression})).then((value) => done({ value }), (error) => done({ error: String(error) }));`,
    )) as { value?: T; error?: string };
    if (outcome.error !== undefined) throw new Error(`In the page: ${outcome.error}`);
    return outcome.value as T;
  }

  async download(target: Target, dir: string): Promise<Download> {
    await this.click(target);
    const [captured] = await waitUntil(`a download after clicking ${describeTarget(target)}`, async () => {
      const ready = await this.#call<CapturedDownload[]>('takeDownloads()');
      return ready.length > 0 && ready;
    });
    if (captured.data === null) throw new Error(`The page could not read the download ${captured.name}: ${captured.error}`);
    const folder = join(dir, `download-${++this.#saved}`);
    await mkdir(folder, { recursive: true });
    const path = join(folder, captured.name);
    await writeFile(path, Buffer.from(captured.data, 'base64'));
    return { name: captured.name, path };
  }

  workers() {
    return this.#call<WorkerRecord[]>('workers()');
  }

  async setOffline(offline: boolean) {
    await (offline ? this.network.stop() : this.network.start());
  }

  async errors() {
    const recorded = await this.#call<string[]>('takeErrors()').catch(() => []);
    return [...this.#errors.splice(0), ...recorded];
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/** Starts Xvfb on a display it picks itself (-displayfd) and resolves with ":N". */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    xvfb.stderr?.on('data', (chunk) => (stderr += chunk));
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${stderr.trim()}`)));
    (xvfb.stdio[3] as NodeJS.ReadableStream).once('data', (chunk) => resolve({ display: `:${String(chunk).trim()}`, process: xvfb }));
  });
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
}

export async function launchWebKit(baseUrl: string, network: Network): Promise<Engine> {
  if (!existsSync(MINIBROWSER_PATH)) throw new Error(`MiniBrowser is not at ${MINIBROWSER_PATH} (set MINIBROWSER_PATH)`);
  const home = await mkdtemp(join(tmpdir(), 'appcert-engines-webkit-'));
  const xvfb = await startXvfb();
  const port = await freePort();
  // Its own HOME: MiniBrowser keeps its data (and any download it were to save) there.
  const webDriver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`], {
    env: { ...process.env, DISPLAY: xvfb.display, HOME: home },
    stdio: 'ignore',
  });
  const cleanUp = async () => {
    await stop(webDriver);
    await stop(xvfb.process);
    await rm(home, { recursive: true, force: true });
  };
  try {
    const capabilities = new Capabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
      // Leaving a page with a key not yet downloaded asks first (beforeunload); a new flow leaves it.
      unhandledPromptBehavior: 'accept',
    });
    const server = `http://127.0.0.1:${port}`;
    await waitUntil(
      'WebKitWebDriver to listen',
      () =>
        fetch(`${server}/status`).then(
          (r) => r.ok,
          () => false,
        ),
      15_000,
    );
    const driver = await new Builder().usingServer(server).withCapabilities(capabilities).build();
    await driver.manage().setTimeouts({ script: 60_000, pageLoad: 60_000 });
    const version = String((await driver.getCapabilities()).get('browserVersion') ?? 'unknown');
    return {
      name: 'webkit',
      version,
      // One MiniBrowser window for every flow: a session per flow would cost a browser start each.
      async newFlow() {
        return new WebKitDriver(driver, baseUrl, network);
      },
      async endFlow() {
        await driver.get('about:blank');
      },
      async close() {
        await driver.quit().catch(() => {});
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
