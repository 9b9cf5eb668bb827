/**
 * A process the event-time window tests run (and kill): counts the events of `<input>` per user and 10 s window
 * (sliding every 5 s, 3 s of allowed lateness) into the jsonl file sink `<out>`, one file per batch, until the input
 * is done: `node event-windows-runner.js <input> <out> <checkpoint> [<crash point>:<batch id>]`. Without arguments
 * (as `node --test dist/test/` loads every file under test/) it does nothing.
 */
import { Context } from '../../src/index.js';
import { WINDOW } from './event-windows-fixtures.js';

async function main(input: string, out: string, checkpoint: string, crash: string | undefined): Promise<void> {
  const kc = new Context({ threads: 0 });
  let writer = kc.readStream
    .jsonlFiles<{ user: string; ts: number }>(input, { maxFilesPerTrigger: 1 })
    .reduceByKeyAndWindow((a: number, b: number) => a + b, {
      eventTime: (event: { ts: number }) => event.ts,
      pair: (event: { user: string }) => [event.user, 1],
      ...WINDOW,
      numPartitions: 3,
    })
    .writeStream.outputMode('append')
    .trigger({ availableNow: true })
    .option('checkpointLocation', checkpoint)
    .option('snapshotEveryDeltas', 3)
    .option('minBatchesToRetain', 2)
    .format('jsonl');
  if (crash !== undefined) {
    const [point, batchId] = crash.split(':');
    writer = writer.option('crashAt', { point, batchId: Number(batchId) });
  }
  const query = writer.start(out);
  try {
    await query.awaitTermination();
  } finally {
    await kc.stop();
  }
}

const [input, out, checkpoint, crash] = process.argv.slice(2);
if (input !== undefined && out !== undefined && checkpoint !== undefined) await main(input, out, checkpoint, crash);
