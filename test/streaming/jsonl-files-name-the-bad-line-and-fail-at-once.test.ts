import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Context, InputError, StreamingQueryError, type LoggedEvent } from '../../src/index.js';
import { inputFolder } from './stream-fixtures.js';

/** The words of `{ "w": … }` records counted in one batch (a shuffle, so the read runs in a map stage). */
async function countWords(kc: Context, input: string): Promise<{ rows: unknown[]; failure: unknown }> {
  const query = kc.readStream
    .jsonlFiles<{ w: string }>(input)
    .map((event: { w: string }) => [event.w, 1])
    .reduceByKey((a: number, b: number) => a + b)
    .writeStream.format('memory')
    .queryName('words')
    .trigger({ once: true })
    .start();
  const failure = await query.awaitTermination().then(
    () => null,
    (error: unknown) => error,
  );
  return { rows: [...kc.memoryTable('words')], failure };
}

test('a jsonl line that is not JSON fails the batch at the first attempt, naming file:line and showing the line', async () => {
  const input = inputFolder('stream-jsonl-badline', {
    '1.jsonl': '{"w":"a"}\n{"w":"b"}\n{"w":"a"}\n{"w":"c"}\n',
    '2.jsonl': '{"w":"a"}\n\n{"w":\n{"w":"d"}\n',
  });
  const kc = new Context({ threads: 2 }); // taskAttemptsMax 4: a user function's error would be retried
  const failedAttempts: LoggedEvent[] = []; // a task that threw (another partition may end killed: not counted)
  const retries: LoggedEvent[] = [];
  const off = kc.onEvent((event) => {
    if (event.kind === 'task-end' && event.reason === 'exception') failedAttempts.push(event);
    if (event.kind === 'task-start' && event.attempt > 0) retries.push(event);
  });
  try {
    const { rows, failure } = await countWords(kc, input);
    assert.ok(failure instanceof StreamingQueryError, String(failure));
    assert.equal(failure.code, 'ERR_STREAM_QUERY_FAILED');
    assert.equal(failure.batchId, 0);
    const cause = failure.cause;
    assert.ok(cause instanceof InputError, `cause: ${String(cause)}`);
    assert.equal(cause.code, 'ERR_INPUT_INVALID_RECORD');
    for (const message of [failure.message, cause.message]) {
      assert.ok(message.includes(`${join(input, '2.jsonl')}:3:`), message);
      assert.ok(message.includes(JSON.stringify('{"w":')), message);
      assert.ok(message.includes('expected one JSON value per line, found'), message);
    }
    // The InputError a user catches as the cause names the batch too, once (its wrapper already did).
    assert.ok(cause.message.startsWith(`streaming batch 0: ${join(input, '2.jsonl')}:3: `), cause.message);
    assert.ok(failure.message.startsWith(`streaming batch 0 failed: ${join(input, '2.jsonl')}:3: `), failure.message);
    assert.equal(failedAttempts.length, 1, JSON.stringify(failedAttempts));
    assert.deepEqual(retries, []);
    assert.deepEqual(rows, []);
  } finally {
    off();
    await kc.stop();
  }
});

test('jsonlFiles over two good files returns exactly their records', async () => {
  const input = inputFolder('stream-jsonl-good', {
    '1.jsonl': '{"w":"a"}\n{"w":"b"}\n{"w":"a"}\n{"w":"c"}\n',
    '2.jsonl': '{"w":"a"}\n\n{"w":"e"}\n{"w":"d"}', // a blank line; no terminator after the last
  });
  const kc = new Context({ threads: 2 });
  try {
    const { rows, failure } = await countWords(kc, input);
    assert.equal(failure, null);
    assert.deepEqual(rows.map((row) => JSON.stringify(row)).sort(), [
      '["a",3]',
      '["b",1]',
      '["c",1]',
      '["d",1]',
      '["e",1]',
    ]);
  } finally {
    await kc.stop();
  }
});

test('jsonlFiles takes any JSON value a line holds, skips blank lines, and reads a BOM and CRLF lines', async () => {
  const input = inputFolder('stream-jsonl-values', {
    'values.jsonl': '\uFEFF{"a":1}\r\n\r\n  \t \r\n[1,2]\r\n3\r\n"s"\r\nnull\r\ntrue\r\n {"b":{"c":[null]}} \r\n',
  });
  const kc = new Context({ threads: 0 });
  try {
    const query = kc.readStream
      .jsonlFiles(input)
      .writeStream.format('memory')
      .queryName('values')
      .trigger({ once: true })
      .start();
    await query.awaitTermination();
    assert.deepEqual([...kc.memoryTable('values')], [{ a: 1 }, [1, 2], 3, 's', null, true, { b: { c: [null] } }]);
    assert.deepEqual(
      query.recentProgress.map((p) => p.numInputRows),
      [7],
    );
  } finally {
    await kc.stop();
  }
});

test('a gzip jsonl file is read decompressed, and its bad line is named by the .gz file (decompressed) and the line', async () => {
  const input = inputFolder('stream-jsonl-gzip', {
    'good.jsonl.gz': gzipSync('{"w":"a"}\n{"w":"b"}\n'),
    'bad.jsonl.gz': gzipSync('{"w":"a"}\n{"w":"b"}\nnot json\n'),
  });
  const kc = new Context({ threads: 0 });
  try {
    const { failure } = await countWords(kc, input);
    assert.ok(failure instanceof StreamingQueryError && failure.cause instanceof InputError, String(failure));
    assert.ok(failure.message.includes(`${join(input, 'bad.jsonl.gz')} (decompressed):3: `), failure.message);
  } finally {
    await kc.stop();
  }
  const good = inputFolder('stream-jsonl-gzip-good', { 'good.jsonl.gz': gzipSync('{"w":"a"}\n{"w":"b"}\n{"w":"a"}') });
  const again = new Context({ threads: 0 });
  try {
    const { rows, failure } = await countWords(again, good);
    assert.equal(failure, null);
    assert.deepEqual(rows.map((row) => JSON.stringify(row)).sort(), ['["a",2]', '["b",1]']);
  } finally {
    await again.stop();
  }
});
