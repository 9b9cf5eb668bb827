import { resolve } from 'node:path';
import { Context as BatchContext, type StopOptions } from '../api/context/context.js';
import type { Dataset } from '../api/dataset/dataset.js';
import { rddOfState } from '../api/context/stream-support.js';
import { PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';
import { DataStreamReader } from './data-stream-reader.js';
import { queryRegistryOf } from './query-registry.js';
import { StateCoordinator } from './state-coordinator.js';
import { StreamCheckpoint, replayCommittedState } from './stream-checkpoint.js';

/**
 * The Context users import from 'kindling': the batch engine plus streaming (`readStream`, `readStateStore`,
 * `memoryTable`). Streaming sits above the batch api (DESIGN.md §2), so it extends the batch Context here instead of
 * the batch Context importing it.
 */
export class Context extends BatchContext {
  /** Where streams come from: `kc.readStream.textFiles(dir)` … (Spark's `spark.readStream`). */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  /** The rows a `memory` sink query named `name` has written so far (a live array: copy it to keep a snapshot). */
  memoryTable(name: string): readonly unknown[] {
    const table = queryRegistryOf(this).memoryTables.get(name);
    if (table === undefined) {
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `no memory sink query is named ${describeValue(name)}`);
    }
    return table;
  }

  /**
   * The committed state of a streaming query's stateful operator as a Dataset of `{ key, value, updatedMs }` rows (one
   * partition per state partition), read from the checkpoint's snapshot and delta files, each checked by CRC-32; of
   * `reduceByKeyAndWindow`'s state (the open windows), `{ key, windowStartMs, value, updatedMs }` rows.
   * @example kc.readStateStore('ckpt/wordcount').orderBy(['value', 'desc']).limit(10)
   */
  readStateStore(checkpointLocation: string, operator = '0'): Dataset {
    const root = resolve(checkpointLocation);
    const numPartitions = StreamCheckpoint.recordedStatePartitions(root);
    if (numPartitions === null) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `readStateStore(): ${root} is not the checkpoint of a stateful streaming query`,
      );
    }
    const checkpoint = StreamCheckpoint.openForReading(root);
    const state = new StateCoordinator(operator, checkpoint.stateDir(operator), numPartitions, 0);
    replayCommittedState(checkpoint, state, checkpoint.batchIds('commits').at(-1) ?? -1);
    const rows = rddOfState(this.emptyRDD(), state.inputs(), `state ${operator} of ${root}`);
    // A window state's keys are windows (a string inside, common/window-keys.ts): rows get the key and its start.
    const windows = checkpoint.metadata.fingerprint.stateful?.window !== undefined;
    return (
      windows ? rows.map(this.fn(import.meta.resolve('../common/window-keys.js'), 'windowStateRow')) : rows
    ).toDataset();
  }

  /** Stops every running streaming query (each finishes its running batch), then the pool. */
  override async stop(options: StopOptions = {}): Promise<void> {
    await Promise.all([...queryRegistryOf(this).running].map((query) => query.stop()));
    await super.stop(options);
  }
}
