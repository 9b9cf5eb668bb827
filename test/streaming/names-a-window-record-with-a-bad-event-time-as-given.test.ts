import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { Context, InputError, StreamingQueryError, type Stream } from '../../src/index.js';
import { inputFolder } from './stream-fixtures.js';
import { WINDOW } from './event-windows-fixtures.js';

interface Event {
  user: string;
  ts: unknown;
  note?: string;
}

/** Counts `events` per user and window, a file per batch; resolves to the query's failure. */
async function failureOf(kc: Context, events: Stream<Event>): Promise<StreamingQueryError> {
  const query = events
    .reduceByKeyAndWindow((a: number, b: number) => a + b, {
      eventTime: (event: Event) => event.ts as number,
      pair: (event: Event) => [event.user, 1],
      ...WINDOW,
    })
    .writeStream.format('memory')
    .queryName(`bad-time-${Math.random()}`)
    .trigger({ availableNow: true })
    .start();
  const failure = await query.awaitTermination().then(
    () => null,
    (error: unknown) => error,
  );
  assert.ok(failure instanceof StreamingQueryError, String(failure));
  assert.ok(failure.cause instanceof InputError, String(failure.cause));
  assert.equal(failure.cause.code, 'ERR_INPUT_INVALID_RECORD');
  return failure;
}

const LONG_NOTE = 'x'.repeat(500);

test('a bad event time is reported with the record as the stream gave it (cut short), its batch, and file:line', async () => {
  const input = inputFolder('window-bad-time', {
    '1.jsonl': '{"user":"a","ts":1000}\n',
    // Line 4 (after a blank line) is the bad one; the long note is cut in the message.
    '2.jsonl': `{"user":"a","ts":2000}\n\n{"user":"b","ts":3000}\n{"user":"c","ts":"12:00","note":"${LONG_NOTE}"}\n`,
  });
  const kc = new Context({ threads: 2 });
  try {
    const failure = await failureOf(kc, kc.readStream.jsonlFiles<Event>(input, { maxFilesPerTrigger: 1 }));
    assert.equal(failure.batchId, 1);
    // The cause names the batch too, for a user who logs only it; the wrapper does not repeat it.
    assert.match(
      (failure.cause as Error).message,
      /^streaming batch 1: reduceByKeyAndWindow\(\): eventTime gave "12:00"/,
    );
    const message = failure.message;
    assert.match(
      message,
      /^streaming batch 1 failed: reduceByKeyAndWindow\(\): eventTime gave "12:00" for the record /,
    );
    assert.ok(message.includes('the record {"user":"c","ts":"12:00","note":"xxx'), message);
    assert.ok(!message.includes('["c",1]'), `the internal pair is not shown: ${message}`);
    assert.ok(!message.includes(LONG_NOTE), `the record is cut short: ${message}`);
    assert.ok(message.includes(`… (${join(input, '2.jsonl')}:4): expected milliseconds since the epoch`), message);
  } finally {
    await kc.stop();
  }
});

test('after record-wise operations on text lines the line is named; after mapPartitions, or from memory, no line is guessed', async () => {
  const input = inputFolder('window-bad-time-text', { 'a.txt': 'a 1000\nb 2000\n\nc noon\nd 3000\n' });
  const kc = new Context({ threads: 0 });
  try {
    const lines = () => kc.readStream.textFiles(input);
    const parse = (line: string): Event => {
      const [user, ts] = line.split(' ');
      return { user: user!, ts: Number.isNaN(Number(ts)) ? ts : Number(ts) };
    };
    const recordWise = await failureOf(
      kc,
      lines()
        .filter((line: string) => line.length > 0)
        .map(parse),
    );
    assert.ok(
      recordWise.message.includes(`for the record {"user":"c","ts":"noon"} (${join(input, 'a.txt')}:4): expected`),
      recordWise.message,
    );
    const partitionWise = await failureOf(
      kc,
      lines()
        .filter((line: string) => line.length > 0)
        .mapPartitions((it: Iterable<string>) =>
          [...it].map((line): Event => {
            const [user, ts] = line.split(' ');
            return { user: user!, ts: Number.isNaN(Number(ts)) ? ts : Number(ts) };
          }),
        ),
    );
    assert.ok(
      partitionWise.message.includes('for the record {"user":"c","ts":"noon"}: expected'),
      partitionWise.message,
    );
    const memory = kc.readStream.memory<Event>();
    memory.addData({ user: 'a', ts: 1_000 }, { user: 'b', ts: new Date(Number.NaN) });
    const fromMemory = await failureOf(kc, memory);
    assert.ok(
      fromMemory.message.includes('eventTime gave an invalid Date for the record {"user":"b","ts":null}: expected'),
      fromMemory.message,
    );
  } finally {
    await kc.stop();
  }
});
