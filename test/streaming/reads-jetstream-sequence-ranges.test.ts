import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, StreamingQueryError, type JetStreamRecord } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';
import { NATS_URL, createStream, deleteStream, publishMore, serversAvailable, uniqueName } from './external-servers.js';

/** The JSON body of a checkpoint log file (`kindling-log <fmt> <crc> <bytes>` then JSON). */
function logBody(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return JSON.parse(text.slice(text.indexOf('\n') + 1));
}

test('a jetstream source records each batch as a stream sequence range, and a restart continues after the last one', async (t) => {
  if (!(await serversAvailable(t))) return;
  const stream = uniqueName('SRC').toUpperCase();
  await createStream(
    stream,
    ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10'],
    (i) => `${stream}.${i % 2 === 0 ? 'even' : 'odd'}`,
  );
  const checkpoint = join(freshDir('jetstream-ranges'), 'ckpt');
  const kc = new Context({ threads: 2 });
  try {
    // One memory table across both runs (the sink is part of the query's fingerprint): the restart appends to it.
    const run = async (table: string): Promise<JetStreamRecord<string>[]> => {
      const started = kc.readStream
        .jetstream<string>({ servers: NATS_URL!, stream, decode: 'text', maxMessagesPerTrigger: 4 })
        .writeStream.format('memory')
        .queryName(table)
        .option('checkpointLocation', checkpoint)
        .trigger({ availableNow: true })
        .start();
      await started.awaitTermination();
      return kc.memoryTable(table) as JetStreamRecord<string>[];
    };
    const first = await run('first');
    assert.deepEqual(
      first.map((r) => [r.sequence, r.subject, r.data]),
      Array.from({ length: 10 }, (_, i) => [i + 1, `${stream}.${i % 2 === 0 ? 'even' : 'odd'}`, `m${i + 1}`]),
    );
    assert.ok(first.every((r) => Number.isInteger(r.timestamp) && Math.abs(r.timestamp - Date.now()) < 600_000));
    const ranges = [0, 1, 2].map(
      (id) => (logBody(join(checkpoint, 'offsets', String(id))) as { sources: unknown[] }).sources[0],
    );
    assert.deepEqual(ranges, [
      { start: 1, end: 4 },
      { start: 5, end: 8 },
      { start: 9, end: 10 },
    ]);
    await publishMore(stream, ['m11', 'm12'], () => `${stream}.odd`);
    const second = (await run('first')).slice(10);
    assert.deepEqual(
      second.map((r) => [r.sequence, r.data]),
      [
        [11, 'm11'],
        [12, 'm12'],
      ],
    );
  } finally {
    await kc.stop();
    await deleteStream(stream);
  }
});

test('a jetstream source filters by subject and decodes payloads as Buffers, text or JSON', async (t) => {
  if (!(await serversAvailable(t))) return;
  const stream = uniqueName('DEC').toUpperCase();
  const payloads = [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }];
  await createStream(stream, payloads, (i) => `${stream}.${i < 3 ? 'a' : 'b'}`);
  const kc = new Context({ threads: 2 });
  try {
    const read = async (decode: 'buffer' | 'text' | 'json', subject?: string): Promise<unknown[]> => {
      const name = uniqueName('t');
      const started = kc.readStream
        .jetstream({ servers: NATS_URL!, stream, decode, ...(subject === undefined ? {} : { subject }) })
        .map((r: JetStreamRecord<unknown>) => [r.sequence, r.data])
        .writeStream.format('memory')
        .queryName(name)
        .trigger({ availableNow: true })
        .start();
      await started.awaitTermination();
      return [...kc.memoryTable(name)];
    };
    assert.deepEqual(await read('json', `${stream}.b`), [
      [4, { n: 4 }],
      [5, { n: 5 }],
    ]);
    assert.deepEqual(await read('text', `${stream}.a`), [
      [1, '{"n":1}'],
      [2, '{"n":2}'],
      [3, '{"n":3}'],
    ]);
    const buffers = (await read('buffer')) as [number, Uint8Array][];
    assert.deepEqual(
      buffers.map(([seq, data]) => [seq, Buffer.from(data).toString('utf8')]),
      payloads.map((p, i) => [i + 1, JSON.stringify(p)]),
    );
    assert.ok(buffers.every(([, data]) => data instanceof Uint8Array));
  } finally {
    await kc.stop();
    await deleteStream(stream);
  }
});

test('a jetstream source fails with clear errors: a missing stream, a message that is not JSON, an unreachable server', async (t) => {
  if (!(await serversAvailable(t))) return;
  const stream = uniqueName('BAD').toUpperCase();
  await createStream(stream, ['{"ok":1}', 'not json']);
  const kc = new Context({ threads: 0 });
  const run = (options: Parameters<typeof kc.readStream.jetstream>[0]) =>
    kc.readStream
      .jetstream(options)
      .writeStream.format('memory')
      .queryName(uniqueName('e'))
      .trigger({ availableNow: true })
      .start()
      .awaitTermination();
  const sourceError = (pattern: RegExp) => (error: unknown) => {
    assert.ok(error instanceof StreamingQueryError, String(error));
    assert.equal(error.code, 'ERR_STREAM_SOURCE');
    assert.match(error.message, pattern);
    return true;
  };
  try {
    await assert.rejects(
      run({ servers: NATS_URL!, stream: 'NO_SUCH_STREAM_HERE', retryMs: 60_000 }),
      sourceError(/jetstream\(NO_SUCH_STREAM_HERE\): cannot read the state of the stream: .*stream not found/i),
    );
    await assert.rejects(
      run({ servers: NATS_URL!, stream, decode: 'json' }),
      sourceError(/message 2 of stream .* is not JSON/),
    );
    const startedMs = performance.now();
    await assert.rejects(
      run({ servers: 'nats://127.0.0.1:1', stream, retryMs: 500 }),
      sourceError(/retried for 500 ms/),
    );
    assert.ok(performance.now() - startedMs < 20_000);
    assert.throws(
      () => kc.readStream.jetstream({ servers: NATS_URL!, stream, decode: 'base64' as 'text' }),
      /decode must be 'buffer', 'text' or 'json', found "base64"/,
    );
  } finally {
    await kc.stop();
    await deleteStream(stream);
  }
});
