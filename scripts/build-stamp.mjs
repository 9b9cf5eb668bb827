// The build's record of its inputs, so a test run right after a build does not build again (CI's `npm ci` builds in
// `prepare`, then `npm test` would have rebuilt the same dist/ for ~50 s).
//
//   node scripts/build-stamp.mjs write     after a successful build: records every input's path, size and mtime
//   node scripts/build-stamp.mjs ensure    builds (npm run build) unless dist/ was built from exactly these inputs
//
// Any input added, removed, or changed in size or mtime (an edit, a checkout, an npm install) means a full clean build:
// the stamp only ever skips a build whose inputs are byte-for-byte where the last successful build left them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// KINDLING_BUILD_ROOT: another project folder (test/build's check of this script runs it on a folder of its own).
const root = process.env.KINDLING_BUILD_ROOT ?? new URL('..', import.meta.url).pathname;
const stampPath = join(root, 'dist', '.build-inputs.json');
// What tsconfig.json and tsconfig.types.json compile, and what decides how they compile it.
const INPUT_FOLDERS = ['src', 'test', 'test-chaos', 'test-browser', 'examples', 'native-bench', 'scripts'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.types.json', 'package.json', 'package-lock.json'];

function inputs() {
  const lines = [];
  const visit = (relative) => {
    const stats = statSync(join(root, relative));
    if (stats.isDirectory()) {
      for (const name of readdirSync(join(root, relative)).sort()) visit(join(relative, name));
    } else lines.push(`${relative} ${stats.size} ${stats.mtimeMs}`);
  };
  for (const folder of INPUT_FOLDERS) if (existsSync(join(root, folder))) visit(folder);
  for (const file of INPUT_FILES) if (existsSync(join(root, file))) visit(file);
  // The compiler itself: a different TypeScript may emit different JavaScript.
  const typescript = join(root, 'node_modules', 'typescript', 'package.json');
  lines.push(`typescript ${existsSync(typescript) ? JSON.parse(readFileSync(typescript, 'utf8')).version : 'absent'}`);
  return lines;
}

function stampMatches() {
  if (!existsSync(stampPath)) return false;
  try {
    const recorded = JSON.parse(readFileSync(stampPath, 'utf8')).inputs;
    const current = inputs();
    return Array.isArray(recorded) && recorded.length === current.length && recorded.every((l, i) => l === current[i]);
  } catch {
    return false;
  }
}

const mode = process.argv[2];
if (mode === 'write') {
  writeFileSync(stampPath, JSON.stringify({ builtAt: new Date().toISOString(), inputs: inputs() }));
} else if (mode === 'ensure') {
  if (stampMatches()) {
    const { builtAt } = JSON.parse(readFileSync(stampPath, 'utf8'));
    console.log(`dist/ was built at ${builtAt} from exactly these sources: not built again`);
  } else {
    // Under npm, npm_execpath is npm's own script: run it with this node (no shell, and Windows' npm.cmd is no issue).
    const npm = process.env.npm_execpath;
    const build =
      npm === undefined
        ? spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
        : spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' });
    process.exit(build.status ?? 1);
  }
} else {
  console.error('usage: node scripts/build-stamp.mjs write|ensure');
  process.exit(2);
}
