// Runs the test files (`*.test.js`) under dist/test with Node's test runner, two files at a time:
//
//   node scripts/run-tests.mjs [--test-concurrency=N]
//
// Why not `node --test dist/test/`: given a folder, Node 20's runner runs every .js file under any folder named
// `test` as a test file, so the 40-odd fixtures and child-process runners there each cost a process of their own.
// Why two at a time: one file at a time left the second core idle about a third of the run (a file waiting on fsync,
// a child process or a server), and the run took 10–12 minutes on a 2-core machine. So a test must not assume an idle
// machine: one that times a hung task or a straggler leaves room for another file running beside it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = 'dist/test';
const concurrency = process.argv.find((arg) => arg.startsWith('--test-concurrency=')) ?? '--test-concurrency=2';
const files = readdirSync(root, { recursive: true })
  .map((name) => join(root, String(name)))
  .filter((path) => path.endsWith('.test.js'))
  .sort();
if (files.length === 0) {
  console.error(`no test file under ${root}: run \`npm run build\` first`);
  process.exit(1);
}
const run = spawnSync(process.execPath, ['--test', concurrency, ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
