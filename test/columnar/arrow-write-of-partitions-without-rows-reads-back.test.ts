// An RDD partition of no rows turned into columns (`rdd.toDataset()`) has no batch, so no schema: ds.write arrow
// wrote a 0-byte part file for it, which is no Arrow file, and readArrow (as pyarrow) refused the whole output
// ("part-00000.arrow is empty"). Such a partition now writes no file, as Parquet's does.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { onEveryBackend, temporaryDirectory } from '../api/helpers.js';

const dir = temporaryDirectory('arrow-empty-partitions');

onEveryBackend('ds.write arrow of an RDD with empty partitions', (on) => {
  test('writes the partitions with rows only, and reads back every row', async () => {
    const out = join(dir(), `out-${on.backend.name}`);
    const rows = [
      { k: 1, v: 'a' },
      { k: 2, v: 'b' },
    ];
    await on.kc().parallelize(rows, 5).toDataset().write.format('arrow').save(out);
    assert.deepEqual(readdirSync(out).sort(), ['_SUCCESS', 'part-00002.arrow', 'part-00004.arrow']);
    assert.deepEqual(await on.kc().read.arrow(out).orderBy('k').collect(), rows);
  });
});
