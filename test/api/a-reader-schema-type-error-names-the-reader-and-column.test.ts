// A type name in a reader's schema that is not one (`{ a: 'integr' }`) is a PlanError that names the reader and the
// column, as the user wrote them; it used to say `cast(): expected a type name`, naming a verb the user never called.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, PlanError, col } from '../../src/index.js';
import { temporaryDirectory } from './helpers.js';

const dir = temporaryDirectory('reader-schema-types');

test('readCsv and readJson name themselves and the column of a bad schema type; cast() names cast()', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const csv = join(dir(), 'a.csv');
    const json = join(dir(), 'a.jsonl');
    writeFileSync(csv, 'a,b\n1,2\n');
    writeFileSync(json, '{"a":1}\n');
    const refused = (start: string) => (e: unknown) =>
      e instanceof PlanError && e.message.startsWith(start) && e.message.includes('found "integr"');
    assert.throws(
      () => kc.readCsv(csv, { header: true, schema: { a: 'int', b: 'integr' } }),
      refused("readCsv(): schema column 'b': expected a type name"),
    );
    assert.throws(() => kc.readJson(json, { schema: { a: 'integr' } }), refused("readJson(): schema column 'a'"));
    assert.throws(() => kc.fromColumns({ a: [1] }).select(col('a').cast('integr')), refused('cast(): expected'));
    assert.deepEqual(await kc.readCsv(csv, { header: true, schema: { a: 'int', b: 'string' } }).collect(), [
      { a: 1, b: '2' },
    ]);
  } finally {
    await kc.stop();
  }
});
