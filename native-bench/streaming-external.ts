/**
 * The bench sections of issue 16 (`--sections postgres,jetstream`), with the servers of the tests
 * (KINDLING_TEST_PG_URL, KINDLING_TEST_NATS_URL):
 *
 *   postgres   rows/s into PostgreSQL through `format('postgres')` (two-phase commit) against the same writes ended
 *              with a plain COMMIT (native-bench/plain-commit-sink.ts): the cost of exactly-once.
 *   jetstream  messages/s read from a JetStream stream: the query end to end (decode JSON, count per batch on the
 *              driver), and the driver's pulls alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Context } from '../src/index.js';
import { openJetStream } from '../src/streaming/sources/jetstream-connection.js';
import { fetchRange } from '../src/streaming/sources/jetstream-fetch.js';
import type { JetStreamRecord } from '../src/streaming/sources/jetstream-record.js';

const PG_URL = process.env['KINDLING_TEST_PG_URL'];
const NATS_URL = process.env['KINDLING_TEST_NATS_URL'];
const fresh = (prefix: string): string => mkdtempSync(join(tmpdir(), `kindling-bench-${prefix}-`));
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** One run: `rows` rows in batches of `perBatch` through `sink`; returns rows/s over the whole query and batch ms. */
async function writeRows(
  sink: '2pc' | 'plain',
  rows: number,
  perBatch: number,
): Promise<{ rowsPerS: number; batchMs: number }> {
  const table = `bench_${sink}_${process.pid}`;
  await sql(
    `DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id bigint, word text, n double precision, at timestamptz)`,
  );
  const root = fresh('pg');
  const kc = new Context({ threads: 2 });
  try {
    const input = kc.readStream.memory<{ id: number; word: string; n: number; at: Date }>({
      maxRecordsPerTrigger: perBatch,
      numPartitions: 2,
    });
    const base = Date.UTC(2026, 0, 1);
    for (let start = 0; start < rows; start += 10_000) {
      input.addData(
        ...Array.from({ length: Math.min(10_000, rows - start) }, (_, i) => {
          const id = start + i;
          return { id, word: `w${(id * 7919) % 5000}`, n: id / 7, at: new Date(base + id) };
        }),
      );
    }
    const writer = input.writeStream.option('checkpointLocation', join(root, 'ckpt')).trigger({ availableNow: true });
    const query =
      sink === '2pc'
        ? writer.format('postgres').option('connection', PG_URL).option('table', table).start()
        : writer
            .format(kc.fn(new URL('./plain-commit-sink.js', import.meta.url), 'plainCommitSink'))
            .option('connection', PG_URL)
            .option('table', table)
            .start();
    const startedMs = performance.now();
    await query.awaitTermination();
    const wallMs = performance.now() - startedMs;
    return { rowsPerS: (rows * 1000) / wallMs, batchMs: median(query.recentProgress.map((p) => p.durationMs.total)) };
  } finally {
    await kc.stop();
    await sql(`DROP TABLE IF EXISTS ${table}`);
    rmSync(root, { recursive: true, force: true });
  }
}

export async function postgresThroughput(lines: string[], rows = 200_000, perBatch = 20_000): Promise<void> {
  if (PG_URL === undefined) {
    lines.push('## PostgreSQL sink', '', 'Skipped: set KINDLING_TEST_PG_URL (see the README).', '');
    return;
  }
  const results: Record<string, { rowsPerS: number[]; batchMs: number[] }> = {
    '2pc': { rowsPerS: [], batchMs: [] },
    plain: { rowsPerS: [], batchMs: [] },
  };
  for (const sink of ['2pc', 'plain', '2pc', 'plain', '2pc', 'plain'] as const) {
    const run = await writeRows(sink, rows, perBatch);
    results[sink]!.rowsPerS.push(run.rowsPerS);
    results[sink]!.batchMs.push(run.batchMs);
  }
  const fmt = (values: number[]): string => values.map((v) => Math.round(v).toLocaleString('en-US')).join(', ');
  const two = median(results['2pc']!.rowsPerS);
  const plain = median(results.plain!.rowsPerS);
  lines.push('## PostgreSQL sink: the cost of two-phase commit', '');
  lines.push(
    `${rows.toLocaleString('en-US')} rows \`{ id, word, n, at }\` from a memory source in batches of ${perBatch.toLocaleString('en-US')} (2 partitions, 2 threads), multi-row INSERTs of 2,000 rows; runs alternate; rows/s over the whole query (start-up included).`,
    '',
  );
  lines.push('| sink | rows/s per run | median rows/s | median batch |', '|---|---|---|---|');
  lines.push(
    `| format('postgres'): PREPARE TRANSACTION per partition, COMMIT PREPARED on the driver | ${fmt(results['2pc']!.rowsPerS)} | ${Math.round(two).toLocaleString('en-US')} | ${median(results['2pc']!.batchMs).toFixed(0)} ms |`,
  );
  lines.push(
    `| the same INSERTs ended with COMMIT (at-least-once) | ${fmt(results.plain!.rowsPerS)} | ${Math.round(plain).toLocaleString('en-US')} | ${median(results.plain!.batchMs).toFixed(0)} ms |`,
  );
  lines.push(
    '',
    `Exactly-once costs ${((1 - two / plain) * 100).toFixed(1)}% of the throughput here (2PC / plain = ${(two / plain).toFixed(2)}).`,
    '',
  );
}

export async function jetstreamThroughput(lines: string[], messages = 200_000, perBatch = 50_000): Promise<void> {
  if (NATS_URL === undefined) {
    lines.push('## JetStream source', '', 'Skipped: set KINDLING_TEST_NATS_URL (see the README).', '');
    return;
  }
  const stream = `BENCH_${process.pid}`;
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  const js = jetstream(nc);
  for (let start = 0; start < messages; start += 1_000) {
    const acks: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(messages, start + 1_000); i++) {
      acks.push(js.publish(`${stream}.events`, JSON.stringify({ id: i, word: `w${i % 5000}` })));
    }
    await Promise.all(acks);
  }
  try {
    const endToEnd: number[] = [];
    const pullsOnly: number[] = [];
    for (let round = 0; round < 3; round++) {
      const kc = new Context({ threads: 2 });
      let counted = 0;
      const query = kc.readStream
        .jetstream<{ id: number; word: string }>({
          servers: NATS_URL,
          stream,
          decode: 'json',
          maxMessagesPerTrigger: perBatch,
        })
        .map((m: JetStreamRecord<{ id: number; word: string }>) => m.data.id)
        .writeStream.foreachBatch(async (rdd) => {
          counted += await rdd.count();
        })
        .trigger({ availableNow: true })
        .start();
      const startedMs = performance.now();
      await query.awaitTermination();
      endToEnd.push((messages * 1000) / (performance.now() - startedMs));
      await kc.stop();
      if (counted !== messages) throw new Error(`read ${counted} messages, expected ${messages}`);
      const connection = await openJetStream([NATS_URL]);
      const into: JetStreamRecord[] = [];
      const pullStartMs = performance.now();
      await fetchRange(connection, stream, undefined, 1, messages, 'json', into);
      pullsOnly.push((messages * 1000) / (performance.now() - pullStartMs));
      await connection.nc.close();
    }
    const fmt = (values: number[]): string => values.map((v) => Math.round(v).toLocaleString('en-US')).join(', ');
    lines.push('## JetStream source', '');
    lines.push(
      `${messages.toLocaleString('en-US')} JSON messages (~30 bytes) in one stream (file storage), 3 rounds; the query reads batches of ${perBatch.toLocaleString('en-US')} with \`decode: 'json'\`, maps each record in the workers and counts each batch on the driver (foreachBatch).`,
      '',
    );
    lines.push('| measure | messages/s per round | median |', '|---|---|---|');
    lines.push(
      `| the query end to end (start-up included) | ${fmt(endToEnd)} | ${Math.round(median(endToEnd)).toLocaleString('en-US')} |`,
    );
    lines.push(
      `| the driver's pulls alone (ordered consumer, 1,000 per pull, JSON decode) | ${fmt(pullsOnly)} | ${Math.round(median(pullsOnly)).toLocaleString('en-US')} |`,
      '',
    );
  } finally {
    await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
  }
}
