import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from '../../src/executor/compile-function.js';
import { shipFunction } from '../../src/plan/capture.js';
import { ModuleFunction } from '../../src/plan/module-function.js';
import { makeTempDir } from '../support/temp-dir.js';

const noBroadcasts = () => assert.fail('no broadcast expected');

test('a module function is imported once per thread, however often it is compiled', async (t) => {
  const dir = makeTempDir('compile');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'udf.mjs');
  writeFileSync(
    file,
    [
      'globalThis.kindlingTestImports = (globalThis.kindlingTestImports ?? 0) + 1;',
      'export function parse(line) { return line.split(","); }',
      'export default (x) => x * 2;',
      'export const notAFunction = 42;',
    ].join('\n'),
  );
  const url = pathToFileURL(file);
  const shipped = shipFunction(new ModuleFunction(url, 'parse'), { label: 'map()' });
  const [first, second] = await Promise.all([
    compileFunction(shipped, noBroadcasts),
    compileFunction(structuredClone(shipped), noBroadcasts),
  ]);
  const third = await compileFunction(
    shipFunction(new ModuleFunction(url, 'default'), { label: 'map()' }),
    noBroadcasts,
  );
  assert.deepEqual(first('a,b'), ['a', 'b']);
  assert.equal(first, second);
  assert.equal(third(4), 8);
  assert.equal((globalThis as { kindlingTestImports?: number }).kindlingTestImports, 1);

  await assert.rejects(
    compileFunction(shipFunction(new ModuleFunction(url, 'format'), { label: 'map()' }), noBroadcasts),
    { message: `map(): module ${url.href} has no export \`format\`` },
  );
  await assert.rejects(
    compileFunction(shipFunction(new ModuleFunction(url, 'notAFunction'), { label: 'map()' }), noBroadcasts),
    { message: `map(): export \`notAFunction\` of module ${url.href} is not a function, found 42` },
  );
});

test('a module that cannot be imported fails with the label and URL, and is retried on the next compile', async (t) => {
  const dir = makeTempDir('compile');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'later.mjs');
  const url = pathToFileURL(file);
  const shipped = shipFunction(new ModuleFunction(url, 'f'), { label: 'flatMap()' });
  await assert.rejects(compileFunction(shipped, noBroadcasts), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.ok(error.message.startsWith(`flatMap(): cannot import module ${url.href}: `), error.message);
    return true;
  });
  writeFileSync(file, 'export const f = (x) => [x, x];');
  const compiled = await compileFunction(shipped, noBroadcasts);
  assert.deepEqual(compiled(1), [1, 1]);
});
