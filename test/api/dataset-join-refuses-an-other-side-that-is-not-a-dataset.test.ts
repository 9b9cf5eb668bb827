// `join`'s first argument is checked when the plan is built: anything but a Dataset (a plain object, an RDD, a
// table) is a PlanError that names the verb, before any job runs. The check is `instanceof` the class that holds
// the exchange verbs (api/dataset/dataset-exchanges.ts), a base class of `Dataset`: every Dataset passes it, nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, PlanError, type Dataset } from '../../src/index.js';

test('join() of something that is not a Dataset is a PlanError naming join(); a Dataset joins', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const left = kc.fromColumns({ id: new Int32Array([1, 2, 3]), x: new Float64Array([0.5, 1.5, 2.5]) });
    const right = kc.fromColumns({ id: new Int32Array([2, 3, 4]), y: new Int32Array([20, 30, 40]) });
    const notDatasets: unknown[] = [{}, null, 'id', kc.range(0, 3), left.toRDD()];
    for (const other of notDatasets) {
      assert.throws(
        () => left.join(other as Dataset, 'id'),
        (error: unknown) =>
          error instanceof PlanError &&
          error.code === 'ERR_PLAN_INVALID_ARGUMENT' &&
          error.message.startsWith('join(): expected a Dataset to join with'),
        `join(${String(other)})`,
      );
    }
    const joined = await left.join(right, 'id').orderBy('id').collect();
    assert.deepEqual(joined, [
      { id: 2, x: 1.5, y: 20 },
      { id: 3, x: 2.5, y: 30 },
    ]);
  } finally {
    await kc.stop();
  }
});
