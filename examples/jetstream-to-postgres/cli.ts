#!/usr/bin/env node
/**
 * JetStream → PostgreSQL, exactly once across kill -9 (the README's Streaming section explains it). Reads JSON
 * messages `{ "word": … }` from a JetStream stream and either appends one row per message to `--table`
 * (`seq bigint, subject text, word text, at timestamptz`) or, with `--counts`, upserts the running count of each
 * word (`key text primary key, value bigint`). The kill -9 tests run this file as a child process.
 *
 *   node dist/examples/jetstream-to-postgres/cli.js --servers nats://127.0.0.1:4222 --stream WORDS \
 *     --table words --checkpoint ckpt/words --available-now
 *
 * PostgreSQL is reached through --connection <postgres://…> or the standard PG* environment variables.
 */
import { parseArgs } from 'node:util';
import { Context, KindlingError, type JetStreamRecord } from '../../src/index.js';
import { CRASH_POINTS, type CrashAt, type CrashPoint } from '../../src/streaming/crash-points.js';

const NAME = 'jetstream-to-postgres';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      servers: { type: 'string', default: 'nats://127.0.0.1:4222' },
      stream: { type: 'string' },
      connection: { type: 'string' },
      table: { type: 'string' },
      checkpoint: { type: 'string' },
      counts: { type: 'boolean', default: false },
      'max-messages-per-trigger': { type: 'string' },
      'available-now': { type: 'boolean', default: false },
      threads: { type: 'string', default: '2' },
      'crash-at': { type: 'string' },
      'retry-ms': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (values.stream === undefined || values.table === undefined || values.checkpoint === undefined) {
    process.stderr.write(`${NAME}: --stream, --table and --checkpoint are required\n`);
    return 2;
  }
  const kc = new Context({ threads: Number(values.threads) });
  try {
    const retryMs = values['retry-ms'] === undefined ? undefined : Number(values['retry-ms']);
    const messages = kc.readStream.jetstream<{ word: string }>({
      servers: values.servers!.split(','),
      stream: values.stream,
      decode: 'json',
      ...(values['max-messages-per-trigger'] === undefined
        ? {}
        : { maxMessagesPerTrigger: Number(values['max-messages-per-trigger']) }),
      ...(retryMs === undefined ? {} : { retryMs }),
    });
    const writer = values.counts
      ? messages
          .map((message: JetStreamRecord<{ word: string }>) => [message.data.word, 1] as [string, number])
          .reduceByKey((a: number, b: number) => a + b)
          .updateStateByKey(
            (counts: number[], total: number | undefined) => (total ?? 0) + counts.reduce((a, b) => a + b, 0),
          )
          .writeStream.outputMode('update')
          .option('mode', 'upsert')
          .option('keyColumns', ['key'])
      : messages.map((message: JetStreamRecord<{ word: string }>) => ({
          seq: message.sequence,
          subject: message.subject,
          word: message.data.word,
          at: new Date(message.timestamp),
        })).writeStream;
    writer
      .format('postgres')
      .option('table', values.table)
      .option('checkpointLocation', values.checkpoint)
      .trigger(values['available-now'] ? { availableNow: true } : { processingTimeMs: 500 });
    if (values.connection !== undefined) writer.option('connection', values.connection);
    if (retryMs !== undefined) writer.option('retryMs', retryMs);
    if (values['crash-at'] !== undefined) writer.option('crashAt', crashAtOf(values['crash-at']));
    const query = writer.start();
    process.once('SIGTERM', () => void query.stop());
    await query.awaitTermination();
    if (!values.quiet) {
      for (const progress of query.recentProgress) {
        process.stderr.write(
          `${NAME}: batch ${progress.batchId}${progress.recovered ? ' (recovered)' : ''}: ${progress.numInputRows} messages, ${progress.sink.numOutputRows} rows, ${Math.round(progress.durationMs.total)} ms\n`,
        );
      }
    }
    return 0;
  } catch (error: unknown) {
    const code = error instanceof KindlingError ? ` [${error.code}]` : '';
    process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}${code}\n`);
    return 1;
  } finally {
    await kc.stop();
  }
}

function crashAtOf(text: string): CrashAt {
  const [point, batch] = text.split(':');
  if (!CRASH_POINTS.includes(point as CrashPoint) || !/^\d+$/.test(batch ?? '')) {
    throw new Error(`--crash-at expects <point>:<batch> with point one of ${CRASH_POINTS.join(', ')}, found ${text}`);
  }
  return { point: point as CrashPoint, batchId: Number(batch) };
}

process.exitCode = await main();
