// The first toArrow() of a program loads apache-arrow on the driver (~0.2 s of CPU, issue 10's first-run cost): it
// starts its job first and imports the module while the job runs, instead of loading it before the job starts. node
// --test runs each file in its own process, so this file's process starts without apache-arrow (where Node loads
// it on demand); it must not import apache-arrow itself before the checks. A job that fails while the module loads
// rejects the toArrow() call (no unhandled rejection ends the process).
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context, sum } from '../../src/index.js';
import { loadsOnDemand } from '../../src/common/require-esm.js';
import { arrowLoaded } from '../../src/storage/arrow/arrow-module.js';
import { makeTempDir } from '../support/temp-dir.js';

test('a first toArrow() whose job fails while apache-arrow loads rejects with the job error', async () => {
  // Runs first: its apache-arrow import is still under way when the task fails.
  const dir = makeTempDir('to-arrow');
  const kc = new Context({ threads: 1 });
  try {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'a\n1\nnot-a-number\n');
    const failing = kc.read.csv(path, { header: true, schema: { a: 'int32' }, mode: 'FAILFAST' });
    await assert.rejects(failing.toArrow(), /not-a-number/);
  } finally {
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('toArrow() starts its job before it has apache-arrow', { skip: !loadsOnDemand }, async () => {
  const kc = new Context({ threads: 2 });
  try {
    const table = kc.fromColumns({ k: new Int32Array([1, 2, 1, 2, 3]), v: new Float64Array([1, 2, 3, 4, 5]) });
    const loadedAtJobStart: boolean[] = [];
    const off = kc.onEvent((event) => {
      if (event.kind === 'job-start') loadedAtJobStart.push(arrowLoaded());
    });
    assert.equal(arrowLoaded(), false, 'importing kindling loaded apache-arrow');
    const answer = await table.groupBy('k').agg(sum('v').as('v')).orderBy('k').toArrow();
    off();
    assert.equal(arrowLoaded(), true);
    assert.deepEqual(loadedAtJobStart, [false], 'apache-arrow was loaded before the job started');
    assert.deepEqual(
      answer.toArray().map((row) => ({ ...row })),
      [
        { k: 1, v: 4 },
        { k: 2, v: 6 },
        { k: 3, v: 5 },
      ],
    );
  } finally {
    await kc.stop();
  }
});
