// The layer check from DESIGN.md §2: a file may import only from its own layer or from the layers its layer lists
// below, and the import graph of src/ has no cycles. Run by `npm test`; exits non-zero with every violation listed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Which layers each layer may import (besides itself). Keep in step with DESIGN.md §2. */
const allowedImports = {
  common: [],
  protocol: ['common'],
  storage: ['protocol', 'common'],
  io: ['protocol', 'common'],
  plan: ['protocol', 'common'],
  executor: ['storage', 'io', 'protocol', 'common'],
  backend: ['executor', 'protocol', 'common'],
  events: ['protocol', 'common'],
  scheduler: ['events', 'plan', 'backend', 'protocol', 'common'],
  checkpoint: ['storage', 'plan', 'io', 'protocol', 'common'],
  ui: ['events', 'common'],
  api: ['ui', 'events', 'scheduler', 'plan', 'backend', 'checkpoint', 'storage', 'io', 'protocol', 'common'],
  streaming: ['api', 'events', 'plan', 'storage', 'checkpoint', 'io', 'protocol', 'common'],
  '.': null, // src/index.ts: the public surface may re-export from anywhere
};

function listTsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file) {
  const rel = relative(srcDir, file).split(sep);
  return rel.length === 1 ? '.' : rel[0];
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s([^;]*?)from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const files = listTsFiles(srcDir);
const graph = new Map();
const problems = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets = [];
  for (const match of text.matchAll(importPattern)) {
    const spec = match[2] ?? match[3];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    // Type-only imports are erased at compile time: they obey the layers but cannot form a runtime cycle.
    const typeOnly = match[1] !== undefined && /^type\s/.test(match[1].trim());
    if (!typeOnly) targets.push(target);
    const from = layerOf(file);
    const to = layerOf(target);
    const allowed = allowedImports[from];
    if (allowed === undefined)
      problems.push(`${relative(srcDir, file)}: folder src/${from}/ is not a layer in DESIGN.md`);
    else if (allowed !== null && from !== to && !allowed.includes(to)) {
      problems.push(`${relative(srcDir, file)} imports ${spec}: layer '${from}' may not import layer '${to}'`);
    }
  }
  graph.set(file, targets);
}

// Cycle search: depth-first, reporting each cycle once by its path.
const state = new Map(); // file -> 'visiting' | 'done'
function visit(file, stack) {
  if (state.get(file) === 'done') return;
  if (state.get(file) === 'visiting') {
    const cycle = stack.slice(stack.indexOf(file)).concat(file);
    problems.push(`import cycle: ${cycle.map((f) => relative(srcDir, f)).join(' -> ')}`);
    return;
  }
  state.set(file, 'visiting');
  for (const next of graph.get(file) ?? []) visit(next, [...stack, file]);
  state.set(file, 'done');
}
for (const file of files) visit(file, []);

if (problems.length > 0) {
  console.error(`layer check: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`layer check: ${files.length} files, no imports against DESIGN.md §2, no cycles`);
