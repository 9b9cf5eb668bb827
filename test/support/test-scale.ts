/**
 * The size model and property tests run at. By default (`npm test`) a quick size that still catches the bugs each
 * test exists for; with `KINDLING_TEST_SCALE=full` (`npm run test:heavy`) the full size the test was written with:
 * more rounds, seeds and rows, to look further for what the quick size may miss.
 * (node --test also loads this file, as it loads every file under a test/ folder; it declares no tests.)
 */

/** Whether this run is at full size (`KINDLING_TEST_SCALE=full`); any other value, or none, is the quick size. */
export const FULL_SIZE = process.env['KINDLING_TEST_SCALE'] === 'full';

/**
 * `quick` in a default run, `full` at full size: how many rounds, seeds or rows a test runs.
 *
 * @example
 * for (let round = 0; round < sized(15, 60); round++) …
 */
export function sized(quick: number, full: number): number {
  return FULL_SIZE ? full : quick;
}
