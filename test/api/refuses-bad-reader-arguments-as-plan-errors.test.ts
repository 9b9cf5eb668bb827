// Mistakes in a reader's arguments are PlanErrors ERR_PLAN_INVALID_ARGUMENT at definition time, as every other
// definition mistake: read.arrow(5) was a TypeError ("patterns is not iterable"), and read.csv's yes/no options
// and nullValue took a wrong type without a word (header: 'true' read the header line as a row).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { assertPlanErrors } from '../support/plan-errors.js';
import { makeTempDir } from '../support/temp-dir.js';

test('read.arrow and read.csv refuse wrongly typed arguments with a PlanError naming them', async () => {
  const file = join(makeTempDir('reader-args'), 'a.csv');
  writeFileSync(file, 'x,y\n1,2\n');
  const kc = new Context({ threads: 0 });
  const cases: [() => unknown, string][] = [
    [() => kc.read.arrow(5 as never), 'readArrow() expects a path, glob or list of them, found 5'],
    [() => kc.read.csv(file, { header: 'true' as never }), 'readCsv(): header must be true or false, found "true"'],
    [() => kc.read.csv(file, { inferSchema: 1 as never }), 'readCsv(): inferSchema must be true or false, found 1'],
    [() => kc.read.csv(file, { multiLine: 'no' as never }), 'readCsv(): multiLine must be true or false, found "no"'],
    [() => kc.read.csv(file, { nullValue: 0 as never }), 'readCsv(): nullValue must be a string, found 0'],
  ];
  try {
    assertPlanErrors(cases);
    const read = kc.read.csv(file, { header: true, inferSchema: true, nullValue: 'NA' });
    assert.deepEqual(await read.collect(), [{ x: 1, y: 2 }]);
  } finally {
    await kc.stop();
  }
});
