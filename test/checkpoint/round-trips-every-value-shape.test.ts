import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Context } from '../../src/index.js';
import { temporaryDirectory, valueShapes } from './checkpoint-fixtures.js';

/**
 * Every value shape comes back from a checkpoint exactly (types, -0, NaN, bigints, nulls, Maps, Dates), written
 * eagerly or lazily, on both backends, and the written dataset's lineage is the checkpoint.
 */

for (const threads of [0, 2]) {
  describe(`checkpoints round-trip every value shape (threads: ${threads})`, () => {
    const dir = temporaryDirectory('ckpt-shapes');
    let kc: Context;
    before(() => {
      kc = new Context({ threads, checkpointDir: dir() });
    });
    after(() => kc.stop());

    for (const [name, values] of Object.entries(valueShapes())) {
      test(`${name}, eager`, async () => {
        const rdd = kc.parallelize(values, 3).map((x) => x);
        const written = await rdd.checkpoint({ eager: true });
        assert.equal(written, rdd);
        assert.ok(rdd.isCheckpointed());
        assert.match(rdd.getCheckpointFile() ?? '', /rdd-\d+-[0-9a-f]{12}$/);
        assert.deepEqual(await rdd.collect(), values);
        assert.deepEqual(await kc.readCheckpoint(rdd.getCheckpointFile()!).collect(), values);
      });

      test(`${name}, lazy: written by the next action`, async () => {
        const rdd = kc.parallelize(values, 3).filter(() => true);
        assert.equal(rdd.checkpoint(), rdd);
        assert.equal(rdd.isCheckpointed(), false);
        assert.equal(rdd.getCheckpointFile(), undefined);
        assert.deepEqual(await rdd.collect(), values);
        assert.ok(rdd.isCheckpointed());
        assert.deepEqual(await kc.readCheckpoint(rdd.getCheckpointFile()!).collect(), values);
      });
    }

    test('a local checkpoint round-trips too and truncates lineage, without a file for readCheckpoint', async () => {
      const values = valueShapes()['objects']!;
      const rdd = kc.parallelize(values, 2).map((x) => x);
      await rdd.localCheckpoint({ eager: true });
      assert.ok(rdd.isCheckpointed());
      assert.equal(rdd.getCheckpointFile(), undefined);
      assert.match(rdd.explain(), /\+- checkpoint: block store \+ local disk \(2 part files\)/);
      assert.deepEqual(await rdd.collect(), values);
    });
  });
}
