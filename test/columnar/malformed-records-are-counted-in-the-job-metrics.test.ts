// A CSV or JSON-lines read reports what its `mode` did to malformed records in the job's metrics: records kept with
// nulls (PERMISSIVE) in `malformedRecordsNulled`, records dropped (DROPMALFORMED) in `malformedRecordsDropped`,
// whichever path reads them (a plain scan, a cached scan, several splits, a record pipeline after `rdd()`). On
// seeded random files the counts equal a model's count of the bad lines.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import type { Context } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { onEveryBackend, temporaryDirectory } from '../api/helpers.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('malformed-records-are-counted-in-the-job-metrics');

function malformedOf(kc: Context): { nulled: number; dropped: number } {
  const m = kc.lastJobMetrics!;
  return { nulled: m.malformedRecordsNulled, dropped: m.malformedRecordsDropped };
}

onEveryBackend('malformed records in the job metrics', (on) => {
  const dir = temporaryDirectory('malformed-counts');

  test('CSV: a value that does not fit, a long record, a short one, an open quote: nulled or dropped, counted once each', async () => {
    const path = join(dir(), 'bad.csv');
    // Line 3: v does not fit; 4: a field too many; 5: a field short; 6: a quote left open; 7: two values unfit.
    writeFileSync(path, 'k,v,w\na,1,1\nb,x2,2\nc,3,3,extra\nd,4\ne,"5,5\nf,y,z\ng,7,7\n');
    const read = (mode: 'PERMISSIVE' | 'DROPMALFORMED') =>
      on.kc().readCsv(path, { header: true, schema: { k: 'string', v: 'int', w: 'int' }, mode });
    assert.equal((await read('PERMISSIVE').collect()).length, 7);
    assert.deepEqual(malformedOf(on.kc()), { nulled: 5, dropped: 0 });
    assert.deepEqual(await read('DROPMALFORMED').collect(), [
      { k: 'a', v: 1, w: 1 },
      { k: 'g', v: 7, w: 7 },
    ]);
    assert.deepEqual(malformedOf(on.kc()), { nulled: 0, dropped: 5 });
    // A cached read counts them on the job that fills the cache.
    const cached = read('DROPMALFORMED').cache();
    assert.equal(await cached.count(), 2);
    assert.deepEqual(malformedOf(on.kc()), { nulled: 0, dropped: 5 });
    // Records read through the RDD path count the same.
    assert.equal((await read('PERMISSIVE').toRDD().collect()).length, 7);
    assert.deepEqual(malformedOf(on.kc()), { nulled: 5, dropped: 0 });
  });

  test('CSV: a clean file counts none', async () => {
    const path = join(dir(), 'clean.csv');
    writeFileSync(path, 'k,v\na,1\nb,2\n');
    await on.kc().readCsv(path, { header: true, inferSchema: true }).collect();
    assert.deepEqual(malformedOf(on.kc()), { nulled: 0, dropped: 0 });
  });

  test('JSON lines: a line that is not an object and a value that does not fit', async () => {
    const path = join(dir(), 'bad.jsonl');
    writeFileSync(path, '{"a":1}\n{"a":2\n[3]\n{"a":"four"}\n{"a":5}\n');
    const read = (mode: 'PERMISSIVE' | 'DROPMALFORMED') =>
      on
        .kc()
        .readJson(path, { schema: { a: 'int' }, mode })
        .collect();
    assert.deepEqual(await read('PERMISSIVE'), [{ a: 1 }, { a: null }, { a: null }, { a: null }, { a: 5 }]);
    assert.deepEqual(malformedOf(on.kc()), { nulled: 3, dropped: 0 });
    assert.deepEqual(await read('DROPMALFORMED'), [{ a: 1 }, { a: 5 }]);
    assert.deepEqual(malformedOf(on.kc()), { nulled: 0, dropped: 3 });
  });

  test(`CSV over several splits: the counts equal the bad lines written (seed ${seed})`, async () => {
    const rng = new Rng(seed);
    const lines = ['id,name,score'];
    let bad = 0;
    let good = 0;
    for (let i = 0; i < 20_000; i++) {
      const kind = rng.nextInt(20);
      if (kind === 0) lines.push(`${i},name${i},not-a-number`);
      else if (kind === 1) lines.push(`${i},name${i}`);
      else if (kind === 2) lines.push(`${i},name${i},${i},extra`);
      else {
        lines.push(`${i},"name, ${i}",${rng.nextInt(1000)}`);
        good++;
        continue;
      }
      bad++;
    }
    const path = join(dir(), 'random.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const schema = { id: 'int', name: 'string', score: 'int' } as const;
    const kept = await on.kc().readCsv(path, { header: true, schema, minPartitions: 5 }).count();
    assert.equal(kept, good + bad);
    assert.deepEqual(malformedOf(on.kc()), { nulled: bad, dropped: 0 });
    const dropped = await on
      .kc()
      .readCsv(path, { header: true, schema, mode: 'DROPMALFORMED', minPartitions: 5 })
      .collect();
    assert.equal(dropped.length, good);
    assert.deepEqual(malformedOf(on.kc()), { nulled: 0, dropped: bad });
  });
});
