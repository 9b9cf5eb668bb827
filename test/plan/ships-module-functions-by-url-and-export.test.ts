import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { shipFunction } from '../../src/plan/capture.js';
import { ModuleFunction } from '../../src/plan/module-function.js';
import { PlanError } from '../../src/common/errors.js';

test('a ModuleFunction ships as kind module with its URL string and export name', () => {
  const url = pathToFileURL('/tmp/udf.mjs');
  const shipped = shipFunction(new ModuleFunction(url, 'parse'), { label: 'map()', deterministic: false });
  assert.deepEqual(shipped, {
    kind: 'module',
    label: 'map()',
    moduleUrl: url.href,
    exportName: 'parse',
    deterministic: false,
  });
  assert.equal(new ModuleFunction('file:///tmp/udf.mjs', 'default').moduleUrl, 'file:///tmp/udf.mjs');
});

test('a module URL must be a file: URL, and the export name non-empty', () => {
  for (const bad of ['./udf.js', 'udf', 'https://example.com/udf.js', 42]) {
    assert.throws(
      () => new ModuleFunction(bad as string, 'parse'),
      (error: unknown) =>
        error instanceof PlanError &&
        error.code === 'ERR_PLAN_INVALID_ARGUMENT' &&
        /^kc\.fn\(\) expects a file: URL of a module/.test(error.message),
    );
  }
  assert.throws(
    () => new ModuleFunction('file:///tmp/udf.mjs', ''),
    (error: unknown) => error instanceof PlanError && /name of an exported function/.test(error.message),
  );
});

test('captures passed with a module or global function are refused rather than silently dropped', () => {
  const moduleFn = new ModuleFunction('file:///tmp/udf.mjs', 'parse');
  assert.throws(
    () => shipFunction(moduleFn, { label: 'map()', captures: { stop: 1 } }),
    (error: unknown) =>
      error instanceof PlanError &&
      error.code === 'ERR_PLAN_INVALID_ARGUMENT' &&
      error.message ===
        'map() was given captures, but a kc.fn() module function cannot see them: only an arrow or function shipped as source can',
  );
  assert.throws(
    () => shipFunction(Math.abs, { label: 'map()', captures: { k: 1 } }),
    /the global function Math\.abs cannot see them/,
  );
  assert.equal(shipFunction(moduleFn, { label: 'map()', captures: {} }).kind, 'module');
});
