import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where screenshots go: look at them after a run. */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'browser');

/** How to get a browser, for the skip message. */
export const HOW_TO_RUN =
  'no Chromium found: install Debian’s `chromium` (apt-get install -y chromium) or set KINDLING_CHROMIUM, then run `npm run test:browser`';

/** The Chromium executable: KINDLING_CHROMIUM, else the first of Debian's names on PATH; null when there is none. */
export function findChromium(): string | null {
  const given = process.env['KINDLING_CHROMIUM'];
  if (given !== undefined && given !== '') return given;
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

/** True when a missing browser must fail the run (CI) rather than skip. */
export const BROWSER_REQUIRED = process.env['KINDLING_BROWSER_REQUIRED'] === '1';

const execFileAsync = promisify(execFile);

/**
 * Runs Chromium asynchronously: the UI under test is served by this same process, whose event loop must keep
 * answering while the browser loads the page.
 */
async function run(chromium: string, args: readonly string[]): Promise<string> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
  const base = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--hide-scrollbars'];
  const { stdout } = await execFileAsync(chromium, [...base, ...args], { timeout: 90_000, maxBuffer: 64 << 20 });
  return stdout;
}

/** The DOM of `url` after the browser loaded and parsed it, serialized (what a user's browser would show). */
export function dumpDom(chromium: string, url: string): Promise<string> {
  return run(chromium, ['--dump-dom', url]);
}

/** Saves a PNG of `url` as the browser draws it; returns its path. */
export async function screenshot(chromium: string, url: string, name: string, size = '1280,900'): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, name);
  await run(chromium, [`--screenshot=${file}`, `--window-size=${size}`, url]);
  if (!existsSync(file)) throw new Error(`chromium wrote no screenshot ${file}`);
  return file;
}

/** The hrefs of the links in a dumped DOM that match `pattern`, in page order (what a click would follow). */
export function links(dom: string, pattern: RegExp): string[] {
  return [...dom.matchAll(/<a href="([^"]+)"/g)]
    .map((m) => m[1]!.replaceAll('&amp;', '&'))
    .filter((h) => pattern.test(h));
}
