import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { Context, type Stream } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';

type Event = readonly [string, number];

// A restart that swapped updateStateByKey for reduceByKeyAndWindow (same partitions) was refused as "its event-time
// windows were null, now {…}", and one that added reduceByKeyAndWindow to a stateless query as "it had no
// updateStateByKey, now it has": neither named the operator the user changed.
test('a restart that swaps, adds or removes the stateful operator is refused naming the operators', async () => {
  const kc = new Context({ threads: 0 });
  const perKey = (events: Stream<Event>): Stream<any> =>
    events.updateStateByKey((news: number[], total: number | undefined) => (total ?? 0) + news.length, {
      numPartitions: 2,
    });
  const perWindow = (events: Stream<Event>): Stream<any> =>
    events.reduceByKeyAndWindow((a: number, b: number) => a + b, {
      eventTime: (event: Event) => event[1],
      pair: (event: Event) => [event[0], 1],
      windowMs: 1000,
      watermarkDelayMs: 0,
      numPartitions: 2,
    });
  const stateless = (events: Stream<Event>): Stream<any> => events.map((event: Event) => event[0]);
  try {
    const root = freshDir('stream-changed-operator');
    const start = (shape: (events: Stream<Event>) => Stream<any>, checkpoint: string) => {
      const events = kc.readStream.memory<Event>();
      events.addData(['a', 10], ['b', 20]);
      return shape(events)
        .writeStream.outputMode('update')
        .trigger({ availableNow: true })
        .option('checkpointLocation', join(root, checkpoint))
        .format('memory')
        .queryName(checkpoint)
        .start();
    };
    await start(perKey, 'keyed').awaitTermination();
    assert.throws(
      () => start(perWindow, 'keyed'),
      (error: Error) =>
        /: its stateful operator was updateStateByKey, now reduceByKeyAndWindow\. Use a new checkpointLocation/.test(
          error.message,
        ),
    );
    await start(stateless, 'stateless').awaitTermination();
    assert.throws(
      () => start(perWindow, 'stateless'),
      /: it had no stateful operator, now it has reduceByKeyAndWindow\. Use a new/,
    );
    assert.throws(() => start(stateless, 'keyed'), /: it had updateStateByKey, now it has no stateful operator\. Use/);
  } finally {
    await kc.stop();
  }
});
