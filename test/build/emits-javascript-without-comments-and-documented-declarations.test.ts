// The build ships two emits (package.json `build`): tsconfig.json writes the JavaScript without comments (V8 keeps
// every module's source for lazy compilation, and a comment with one non-Latin-1 character makes a whole module's
// source a two-byte string: ~2.5 MiB of an idle Context), and tsconfig.types.json writes the declarations from src/
// with their JSDoc, which is the documentation users read in their editors. This checks both halves of that contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIST_SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function parseConfig(name: string): ts.ParsedCommandLine {
  const path = join(ROOT, name);
  const read = ts.readConfigFile(path, ts.sys.readFile);
  assert.equal(read.error, undefined, `${name} reads as a tsconfig`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, path);
  assert.deepEqual(parsed.errors, [], `${name} parses without errors`);
  return parsed;
}

function javascriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(dir, name));
}

test('the built JavaScript of src/ holds none of the JSDoc its source had', () => {
  const files = javascriptFiles(DIST_SRC);
  assert.ok(files.length > 100, `expected the build's modules under ${DIST_SRC}, found ${files.length}`);
  const withDoc = files.filter((file) => readFileSync(file, 'utf8').includes('/**'));
  assert.deepEqual(
    withDoc.map((file) => relative(DIST_SRC, file)),
    [],
    'modules that still carry JSDoc',
  );
  // errors.ts opens with a JSDoc block and documents each code; none of it may reach the JavaScript.
  const errors = readFileSync(join(DIST_SRC, 'common', 'errors.js'), 'utf8');
  assert.doesNotMatch(errors, /Stable error codes/);
});

test('tsconfig.json emits JavaScript without comments and no declarations', () => {
  const { options } = parseConfig('tsconfig.json');
  assert.equal(options.removeComments, true);
  assert.notEqual(options.declaration, true, 'declarations come from tsconfig.types.json, with their comments');
});

test('tsconfig.types.json emits only declarations, of src/ alone, with comments, into the same dist/', () => {
  const javascript = parseConfig('tsconfig.json');
  const types = parseConfig('tsconfig.types.json');
  assert.equal(types.options.declaration, true);
  assert.equal(types.options.emitDeclarationOnly, true);
  assert.notEqual(types.options.removeComments, true);
  assert.equal(types.options.outDir, javascript.options.outDir);
  assert.equal(types.options.rootDir, javascript.options.rootDir);
  const outside = types.fileNames.filter((file) => !relative(ROOT, file).startsWith(`src${sep}`));
  assert.deepEqual(outside, [], 'only src/ ships declarations');
  assert.ok(types.fileNames.some((file) => file.endsWith(join('src', 'index.ts'))));
});

test('a declaration emitted with tsconfig.types.json keeps the JSDoc of its source', () => {
  const types = parseConfig('tsconfig.types.json');
  const source = join(ROOT, 'src', 'common', 'errors.ts');
  const program = ts.createProgram([source], types.options);
  const written = new Map<string, string>();
  const result = program.emit(program.getSourceFile(source), (name, text) => written.set(name, text));
  assert.deepEqual(ts.getPreEmitDiagnostics(program).concat(result.diagnostics), []);
  const declarations = [...written].filter(([name]) => name.endsWith(join('src', 'common', 'errors.d.ts')));
  assert.equal(declarations.length, 1, `expected errors.d.ts among ${[...written.keys()].join(', ')}`);
  assert.deepEqual(
    [...written.keys()].filter((name) => name.endsWith('.js')),
    [],
    'no JavaScript from the declarations build',
  );
  assert.match(declarations[0]![1], /\/\*\* Stable error codes\./);
});

test('npm run build runs the JavaScript emit, then the declaration emit', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  assert.match(scripts['build']!, /tsc -p tsconfig\.json && tsc -p tsconfig\.types\.json/);
  // Declaration-only errors (an exported type that cannot be named) stay type errors.
  assert.match(scripts['typecheck']!, /--declaration/);
});
