// Issue 11: kindling's entry (src/index.ts) loads the public surface (src/surface.ts) with require(esm), in one
// synchronous step, rather than as a static graph Node's ESM loader fetches and links asynchronously: ~2 MiB less
// resident memory for an idle Context (native-bench/SCALING.md, round 21). That holds only while no module of the
// surface's graph has a top-level `await` (require refuses such a graph, and the entry would fall back to importing
// it); and the entry must export every value of the surface, as the same objects. On a Node without require(esm) the
// entry imports the surface and the modules otherwise loaded on first use: checked with that feature switched off. A
// worker thread imports the surface too (require(esm) in a thread terminated meanwhile aborts the process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as entry from '../../src/index.js';
import * as surface from '../../src/surface.js';
import { makeTempDir } from '../support/temp-dir.js';

const SURFACE_PATH = fileURLToPath(new URL('../../src/surface.js', import.meta.url));
const INDEX_URL = new URL('../../src/index.js', import.meta.url).href;
const canRequireEsm = process.features.require_module === true;

test(
  'the public surface loads with require(esm): no module of its graph has a top-level await',
  { skip: !canRequireEsm },
  () => {
    // A fresh process, so that nothing is loaded before: require() of a graph with a top-level await throws
    // ERR_REQUIRE_ASYNC_MODULE.
    const out = execFileSync(
      process.execPath,
      ['-e', `const s = require(${JSON.stringify(SURFACE_PATH)}); console.log(typeof s.Context);`],
      { encoding: 'utf8' },
    );
    assert.equal(out.trim(), 'function');
  },
);

test('the entry exports every value of the public surface, as the same object, and nothing else', () => {
  const values = (namespace: object): string[] => Object.keys(namespace).sort();
  assert.ok(values(surface).length > 90, `expected the surface's values, found ${values(surface).length}`);
  assert.deepEqual(values(entry), values(surface), 'names exported by one module and not the other');
  const record = entry as unknown as Record<string, unknown>;
  const differ = values(surface).filter((name) => record[name] !== (surface as Record<string, unknown>)[name]);
  assert.deepEqual(differ, [], 'names bound to another object by the entry');
});

test(
  'without require(esm), the entry imports the surface and the modules loaded on first use elsewhere',
  { skip: !canRequireEsm },
  (t) => {
    // --no-experimental-require-module gives a Node of today the fallback of one before 20.19 / 22.12.
    const dir = makeTempDir('entry-fallback');
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const child = `
    const { Context } = await import(${JSON.stringify(INDEX_URL)});
    const kc = new Context({ threads: 0 });
    const doubled = kc.range(0, 4, 1, 2).map((x) => x * 2);
    const collected = await doubled.collect();
    await doubled.saveAsTextFile(${JSON.stringify(join(dir, 'out'))});
    const table = await kc.fromColumns({ v: new Int32Array([5, 6]) }).toArrow();
    await kc.stop();
    console.log(JSON.stringify({ requireModule: process.features.require_module, collected, rows: table.numRows }));`;
    const out = execFileSync(
      process.execPath,
      ['--no-experimental-require-module', '--input-type=module', '-e', child],
      { encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(out), { requireModule: false, collected: [0, 2, 4, 6], rows: 2 });
  },
);

test('a worker thread imports the surface, not require()s it, and runs a job', async () => {
  // A thread terminated while require() instantiates an ES module graph aborts the whole process (Node 20.20:
  // "v8::Module::IsGraphAsync must be used on an instantiated module"): user workers importing kindling, terminated at
  // 40-140 ms of their start, aborted it in 2 of 4 sweeps of 60 such workers when the entry required the surface on
  // every thread. A module required is in the thread's require cache; one imported is not.
  const code = `
    const { parentPort } = await import('node:worker_threads');
    const { createRequire } = await import('node:module');
    const { Context, col } = await import(${JSON.stringify(INDEX_URL)});
    const kc = new Context({ threads: 0 });
    const collected = await kc.range(0, 4, 1, 2).map((x) => x + 1).collect();
    await kc.stop();
    const required = Object.keys(createRequire(${JSON.stringify(SURFACE_PATH)}).cache);
    parentPort.postMessage({ collected, col: typeof col, surfaceRequired: required.includes(${JSON.stringify(SURFACE_PATH)}) });`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
  const message = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual(message, { collected: [1, 2, 3, 4], col: 'function', surfaceRequired: false });
});

test('the main thread require()s the surface', { skip: !canRequireEsm }, () => {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       await import(${JSON.stringify(INDEX_URL)});
       console.log(Object.keys(createRequire(${JSON.stringify(SURFACE_PATH)}).cache).includes(${JSON.stringify(SURFACE_PATH)}));`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(out.trim(), 'true');
});
