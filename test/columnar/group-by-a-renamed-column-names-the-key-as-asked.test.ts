// groupBy(col('k').as('g')) names the key column `g`, as Spark does and as a computed key's alias already did: the
// alias of a plain column was dropped, so the answer held `k` and a query reading `g` found it missing (undefined,
// read as null). Found by the differential test random-queries-answer-as-duckdb.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { col, Context, count, sum } from '../../src/index.js';

const kc = new Context({ threads: 0 });
after(() => kc.stop());

test('a renamed column key comes out under its new name, beside an unrenamed one', async () => {
  const ds = kc.fromColumns({ k: [1, 1, 2, null], s: ['a', 'a', 'b', 'a'], v: [1, 2, 3, 4] }, { numPartitions: 2 });
  const rows = await ds
    .groupBy(col('k').as('g'), col('s').as('s'))
    .agg(count().as('n'), sum('v').as('sv'))
    .orderBy('g')
    .collect();
  assert.deepEqual(rows, [
    { g: null, s: 'a', n: 1, sv: 4 },
    { g: 1, s: 'a', n: 2, sv: 3 },
    { g: 2, s: 'b', n: 1, sv: 3 },
  ]);
  assert.deepEqual(await ds.groupBy(col('k').as('g')).count().orderBy('g').columns(), ['g', 'count']);
});
