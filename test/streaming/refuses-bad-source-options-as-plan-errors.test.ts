// A streaming source's options are checked when the stream is defined, and a bad one is the same error as every
// other mistake in a definition: a PlanError ERR_PLAN_INVALID_ARGUMENT naming the call, the option, what it must be
// and what was found. Before, textFiles/jsonlFiles, rate and jetstream threw ERR_STREAM_SOURCE (the code of a
// source failing while a query runs), memory() and rate() took any numPartitions (a batch then failed, or ran on a
// NaN count), jetstream took any numPartitions or retryMs, and textFiles(5) was a TypeError from node:path.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Context, OptionsError } from '../../src/index.js';
import { assertPlanErrors } from '../support/plan-errors.js';

test('bad options of every streaming source are PlanErrors naming the call, the option and what was found', async () => {
  const kc = new Context({ threads: 0 });
  const nats = { servers: 'nats://127.0.0.1:4222', stream: 'S' };
  const cases: [() => unknown, string][] = [
    [
      () => kc.readStream.textFiles('in', { maxFilesPerTrigger: '3' as never }),
      'readStream.textFiles(): maxFilesPerTrigger must be a positive integer, found "3"',
    ],
    [
      () => kc.readStream.jsonlFiles('in', { maxBytesPerTrigger: 0 }),
      'readStream.jsonlFiles(): maxBytesPerTrigger must be a positive integer, found 0',
    ],
    [() => kc.readStream.textFiles(5 as never), 'readStream.textFiles(): the folder must be a path, found 5'],
    [
      () => kc.readStream.rate({ rowsPerSecond: 0 }),
      'readStream.rate(): rowsPerSecond must be a positive number, found 0',
    ],
    [
      () => kc.readStream.rate({ numPartitions: 1.5 }),
      'readStream.rate(): numPartitions must be a positive integer, found 1.5',
    ],
    [
      () => kc.readStream.memory({ numPartitions: 0 }),
      'readStream.memory(): numPartitions must be a positive integer, found 0',
    ],
    [
      () => kc.readStream.memory({ maxRecordsPerTrigger: -1 }),
      'readStream.memory(): maxRecordsPerTrigger must be a positive integer, found -1',
    ],
    [() => kc.readStream.memory({ name: '' }), 'readStream.memory(): name must be a non-empty string, found ""'],
    [
      () => kc.readStream.jetstream({ servers: 'nats://127.0.0.1:4222' } as never),
      'readStream.jetstream(): stream must be the name of a JetStream stream, found undefined',
    ],
    [
      () => kc.readStream.jetstream({ ...nats, maxMessagesPerTrigger: 0 }),
      'readStream.jetstream(): maxMessagesPerTrigger must be a positive integer, found 0',
    ],
    [
      () => kc.readStream.jetstream({ ...nats, numPartitions: '2' as never }),
      'readStream.jetstream(): numPartitions must be a positive integer, found "2"',
    ],
    [
      () => kc.readStream.jetstream({ ...nats, retryMs: -1 }),
      'readStream.jetstream(): retryMs must be an integer >= 0, found -1',
    ],
  ];
  try {
    assertPlanErrors(cases);
    // Unknown options stay the OptionsError every options object gives.
    assert.throws(
      () => kc.readStream.rate({ rowsPerSecnd: 2 } as never),
      (error: unknown) => {
        assert.ok(error instanceof OptionsError && error.code === 'ERR_OPTIONS_UNKNOWN', String(error));
        assert.match(
          error.message,
          /^readStream\.rate\(\): unknown option 'rowsPerSecnd': did you mean 'rowsPerSecond'\?/,
        );
        return true;
      },
    );
    // Good options still define a stream.
    assert.ok(kc.readStream.memory({ name: 'm', numPartitions: 2, maxRecordsPerTrigger: 5 }));
    assert.ok(kc.readStream.jetstream({ ...nats, numPartitions: 2, retryMs: 0 }));
  } finally {
    await kc.stop();
  }
});
