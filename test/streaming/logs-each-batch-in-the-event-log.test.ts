import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { Context, readEventLogs } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';

test('every committed batch of a streaming query is a streaming-batch-progress event in the event log', async () => {
  const root = freshDir('stream-events');
  const kc = new Context({ threads: 0, eventLog: join(root, 'events') });
  const input = kc.readStream.memory<[string, number]>({ maxRecordsPerTrigger: 2 });
  input.addData(['a', 1], ['b', 1], ['a', 1]);
  const query = input
    .updateStateByKey((values: number[], n: number | undefined) => (n ?? 0) + values.length)
    .writeStream.format('memory')
    .queryName('counts')
    .trigger({ availableNow: true })
    .start();
  await query.awaitTermination();
  await kc.stop();
  const [log] = readEventLogs(join(root, 'events'));
  const batches = log!.events.filter((event) => event.kind === 'streaming-batch-progress');
  assert.deepEqual(
    batches.map((event) => [event.queryId, event.batchId, event.numInputRows, event.stateRows, event.jobIds.length]),
    [
      [query.id, 0, 2, 2, 1],
      [query.id, 1, 1, 2, 1],
    ],
  );
});
