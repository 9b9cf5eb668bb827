import { existsSync } from 'node:fs';
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
