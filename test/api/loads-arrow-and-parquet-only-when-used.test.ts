// Issue 11: importing kindling and running plain jobs must not load apache-arrow (~20 MiB per thread) or hyparquet
// on the driver; the first call that needs them loads them synchronously, and the result is the same module a user's
// own `import 'apache-arrow'` gives (one copy per thread). node --test runs each file in its own process, so this
// file's process starts with neither loaded; it must not import apache-arrow or hyparquet itself before the checks.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { loadsOnDemand } from '../../src/common/require-esm.js';
import { parquetModulesLoaded } from '../../src/io/parquet-modules.js';
import { arrowLoaded } from '../../src/storage/arrow/arrow-module.js';
import { makeTempDir } from '../support/temp-dir.js';

test(
  'the driver loads apache-arrow and hyparquet only when a program first needs them',
  { skip: !loadsOnDemand },
  async () => {
    const dir = makeTempDir('lazy-modules');
    const kc = new Context({ threads: 2 });
    try {
      assert.equal(arrowLoaded(), false, 'importing kindling loaded apache-arrow');
      assert.deepEqual(parquetModulesLoaded(), { read: false, write: false });

      const sums = kc
        .range(0, 100, 1, 4)
        .map((x: number): [number, number] => [x % 3, x])
        .reduceByKey((a: number, b: number) => a + b);
      assert.equal(await sums.count(), 3);
      const rows = await kc.fromColumns({ k: ['a', 'b', 'a'], v: new Int32Array([1, 2, 3]) }).collect();
      assert.equal(rows.length, 3);
      assert.equal(arrowLoaded(), false, 'an RDD shuffle or a columnar job loaded apache-arrow on the driver');

      const table = await kc.fromColumns({ v: new Int32Array([5, 6]) }).toArrow();
      assert.equal(arrowLoaded(), true);
      const userArrow = await import('apache-arrow');
      assert.ok(
        table instanceof userArrow.Table,
        "toArrow() returned a Table of another apache-arrow copy than the user's",
      );
      assert.deepEqual(await kc.fromArrow(table).collect(), [{ v: 5 }, { v: 6 }]);

      const path = join(dir, 'v.parquet');
      await kc
        .fromColumns({ v: new Int32Array([7, 8, 9]) })
        .write.format('parquet')
        .save(path);
      assert.deepEqual(await kc.read.parquet(path).count(), 3);
      assert.equal(parquetModulesLoaded().read, true, 'planning a Parquet scan reads the footer with hyparquet');
    } finally {
      await kc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
