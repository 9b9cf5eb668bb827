import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SCREENSHOT_DIR } from './chromium.js';

/** Milliseconds a browser command or a page load may take before the test fails. */
const COMMAND_TIMEOUT_MS = 60_000;

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/**
 * Headless Chromium driven through the DevTools protocol over a pipe (`--remote-debugging-pipe`: messages are
 * JSON terminated by a NUL byte on file descriptors 3 and 4), the transport puppeteer uses, written out here
 * because neither puppeteer-core nor playwright-core is a dependency. Enough of it for the UI tests: open a page,
 * evaluate in it, click an element with real mouse events, wait for the next page load, and take a screenshot.
 *
 * @example
 * const browser = await CdpBrowser.launch('/usr/bin/chromium');
 * const page = await browser.open('http://127.0.0.1:4040/jobs');
 * await page.click('#jobs tbody a');
 */
export class CdpBrowser {
  readonly #child: ChildProcess;
  readonly #input: Writable;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Set<(method: string, params: Record<string, unknown>, sessionId?: string) => void>();
  readonly #profile: string;
  #nextId = 1;

  private constructor(child: ChildProcess, profile: string) {
    this.#child = child;
    this.#profile = profile;
    this.#input = child.stdio[3] as Writable;
    const output = child.stdio[4] as Readable;
    let buffered = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\0')) >= 0) {
        const message = JSON.parse(buffered.slice(0, end)) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: { message: string };
          method?: string;
          params?: Record<string, unknown>;
          sessionId?: string;
        };
        buffered = buffered.slice(end + 1);
        if (message.id !== undefined) {
          const pending = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.error !== undefined) pending?.reject(new Error(`chromium: ${message.error.message}`));
          else pending?.resolve(message.result ?? {});
        } else if (message.method !== undefined) {
          for (const listener of this.#listeners) listener(message.method, message.params ?? {}, message.sessionId);
        }
      }
    });
  }

  static launch(executable: string): CdpBrowser {
    const profile = mkdtempSync(join(tmpdir(), 'kindling-chromium-'));
    const child = spawn(
      executable,
      [
        '--headless',
        // CI containers run as root, where Chromium's sandbox refuses to start.
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new CdpBrowser(child, profile);
  }

  /** Sends one protocol command (to a page when `sessionId` is given) and waits for its result. */
  send(method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`chromium: no answer to ${method} in ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      this.#pending.set(id, {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Waits for the next event `method` of a page session. */
  waitFor(method: string, sessionId: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`chromium: no ${method} in ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      const listener = (m: string, params: Record<string, unknown>, session?: string) => {
        if (m !== method || session !== sessionId) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(params);
      };
      this.#listeners.add(listener);
    });
  }

  /** A new tab showing `url`, once it has loaded. */
  async open(url: string, width = 1280, height = 900): Promise<CdpPage> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new CdpPage(this, sessionId as string);
    await this.send('Page.enable', {}, page.sessionId);
    await this.send('Runtime.enable', {}, page.sessionId);
    await this.send(
      'Emulation.setDeviceMetricsOverride',
      { width, height, deviceScaleFactor: 1, mobile: false },
      page.sessionId,
    );
    await page.goto(url);
    return page;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    try {
      await this.send('Browser.close');
    } catch {
      this.#child.kill('SIGKILL');
    }
    await exited;
    rmSync(this.#profile, { recursive: true, force: true });
  }
}

/** One tab. */
export class CdpPage {
  readonly #browser: CdpBrowser;
  readonly sessionId: string;

  constructor(browser: CdpBrowser, sessionId: string) {
    this.#browser = browser;
    this.sessionId = sessionId;
  }

  async goto(url: string): Promise<void> {
    const loaded = this.#browser.waitFor('Page.loadEventFired', this.sessionId);
    await this.#browser.send('Page.navigate', { url }, this.sessionId);
    await loaded;
  }

  /** The value of `expression` in the page (awaited when it is a promise), as JSON would carry it. */
  async evaluate<T>(expression: string): Promise<T> {
    const answer = await this.#browser.send(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
      this.sessionId,
    );
    const details = answer['exceptionDetails'] as { text?: string; exception?: { description?: string } } | undefined;
    if (details !== undefined) throw new Error(`in the page: ${details.exception?.description ?? details.text}`);
    return (answer['result'] as { value: T }).value;
  }

  /** Waits until `expression` is truthy in the page (checked on the page's own animation frames). */
  async waitUntil(expression: string, what: string): Promise<void> {
    const ok = await this.evaluate<boolean>(`new Promise((resolve) => {
      const started = performance.now();
      const check = () => {
        if (${expression}) return resolve(true);
        if (performance.now() - started > ${COMMAND_TIMEOUT_MS - 5000}) return resolve(false);
        requestAnimationFrame(check);
      };
      check();
    })`);
    if (!ok) throw new Error(`the page never showed ${what}`);
  }

  /** Clicks the centre of the first element matching `selector` with mouse events, and waits for the page it opens. */
  async click(selector: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(`(() => {
      const element = document.querySelector(${JSON.stringify(selector)});
      if (element === null) return null;
      element.scrollIntoView({ block: 'center' });
      const r = element.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    })()`);
    if (box === null) throw new Error(`nothing matches ${selector}`);
    const loaded = this.#browser.waitFor('Page.loadEventFired', this.sessionId);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.#browser.send(
        'Input.dispatchMouseEvent',
        { type, x: box.x, y: box.y, button: 'left', clickCount: 1 },
        this.sessionId,
      );
    }
    await loaded;
  }

  /** Saves a PNG of the whole page under test-output/browser/; returns its path. */
  async screenshot(name: string): Promise<string> {
    const { data } = await this.#browser.send(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: true },
      this.sessionId,
    );
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = join(SCREENSHOT_DIR, name);
    writeFileSync(file, Buffer.from(data as string, 'base64'));
    return file;
  }
}
