// Runs, at full size, the model and property tests that `npm test` runs at a quick size: every test file under
// dist/test that imports test/support/test-scale.ts, with KINDLING_TEST_SCALE=full (more rounds, seeds and rows; see
// that file). One file at a time, as `npm test` runs them.
//
//   npm run test:heavy
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = 'dist/test';
const files = readdirSync(root, { recursive: true })
  .map((name) => join(root, String(name)))
  .filter((path) => path.endsWith('.test.js') && /\/test-scale\.js['"]/.test(readFileSync(path, 'utf8')))
  .sort();
if (files.length === 0) {
  console.error(`no test file under ${root} imports test-scale.js: run \`npm run build\` first`);
  process.exit(1);
}
console.log(`${files.length} test files at full size (KINDLING_TEST_SCALE=full):\n  ${files.join('\n  ')}`);
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, KINDLING_TEST_SCALE: 'full' },
});
process.exit(run.status ?? 1);
