/**
 * The micro benchmarks: each engine kernel next to a hand-written single-thread native JS baseline doing the same
 * work on the same input, in one tinybench `Bench` per kernel.
 */
import { Bench } from 'tinybench';

import { Context } from '../src/index.js';
import { hashPartition } from '../src/common/keys.js';
import { HashAggregator } from '../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Utf8Column } from '../src/executor/columnar/batches/batch.js';
import { hashNumber, partitionOfHash } from '../src/executor/columnar/kernels/hash-bytes.js';
import { splitOnWhitespace } from '../src/executor/columnar/kernels/split-to-rows.js';
import { encodeBlock } from '../src/storage/blocks/block-writer.js';
import { pairsToBatchByHand, pairsToBatchWithBuilders } from './baselines/arrow-by-hand.js';
import { partitionInt32 } from './baselines/hash-partition-native.js';
import { aggregateInt32 } from './baselines/int-aggregate-native.js';
import { tokenizeBytes } from './baselines/tokenize-native.js';
import { WorkerEcho } from './baselines/worker-echo.js';
import { fnv1a, WordTable } from './baselines/word-table.js';
import { check, type BenchGroup } from './bench-group.js';
import { readLeadingLines } from './corpus.js';
import { generateNumericTable } from './numeric-table.js';
import type { BenchProfile } from './profiles.js';

/**
 * Runs every micro benchmark group and returns them (results inside each `Bench`).
 *
 * @example
 * const groups = await runMicroBenches(profileOf('quick'), corpus.paths[0]);
 */
export async function runMicroBenches(profile: BenchProfile, textPath: string): Promise<BenchGroup[]> {
  const options = {
    time: profile.microTimeMs,
    iterations: 5,
    warmupTime: profile.microTimeMs / 5,
    warmupIterations: 3,
  };
  const text = readLeadingLines(textPath, profile.microTextBytes);
  const lines = linesOf(text);
  const groups: BenchGroup[] = [];
  const run = async (group: BenchGroup): Promise<void> => {
    process.stdout.write(`\n## micro: ${group.title}\n`);
    await group.bench.run();
    console.table(group.bench.table());
    await group.after?.();
    groups.push(group);
  };

  await run(tokenizeGroup(options, text, lines));
  await run(stringAggregateGroup(options, text));
  const table = generateNumericTable(profile.microTable);
  await run(intAggregateGroup(options, table.key, table.value));
  await run(partitionGroup(options, table.key, profile.microPartitions));
  await run(arrowBlockGroup(options, text, profile.microBlockRecords));
  await run(await roundTripGroup(options));
  return groups;
}

type Options = ConstructorParameters<typeof Bench>[0];

/** Lines of `text` as a Utf8 column (terminators `\n` / `\r\n` excluded), as `readText` gives them to kernels. */
function linesOf(text: Uint8Array): { column: Utf8Column; rows: number } {
  let rows = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === 0x0a) rows++;
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let start = 0;
  let row = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== 0x0a) continue;
    starts[row] = start;
    ends[row] = i > start && text[i - 1] === 0x0d ? i - 1 : i;
    row++;
    start = i + 1;
  }
  return { column: { type: 'utf8', bytes: text, starts, ends }, rows };
}

function tokenizeGroup(options: Options, text: Uint8Array, lines: { column: Utf8Column; rows: number }): BenchGroup {
  const bench = new Bench({ ...options, name: 'tokenize' });
  const starts = new Int32Array((text.length >>> 1) + 1);
  const ends = new Int32Array((text.length >>> 1) + 1);
  const decoded = new TextDecoder().decode(text).split(/\r?\n/);
  let native = 0;
  let columnar = 0;
  let closure = 0;
  bench
    .add('native: byte scan into typed arrays', () => {
      native = tokenizeBytes(text, starts, ends).count;
    })
    .add('engine columnar: splitOnWhitespace kernel', () => {
      columnar = splitOnWhitespace(lines.column, lines.rows).rows;
    })
    .add('engine RDD path: line.split(/\\s+/) per JS string', () => {
      let n = 0;
      for (const line of decoded) for (const w of line.split(/\s+/)) if (w !== '') n++;
      closure = n;
    });
  const group: BenchGroup = {
    title: 'tokenize',
    description: `split ${mib(text.length)} of corpus text (${lines.rows} lines) into words`,
    bench,
    pairs: [
      { engine: 'engine columnar: splitOnWhitespace kernel', baseline: 'native: byte scan into typed arrays' },
      { engine: 'engine RDD path: line.split(/\\s+/) per JS string', baseline: 'native: byte scan into typed arrays' },
    ],
    checks: [],
  };
  bench.addEventListener('complete', () => {
    check(
      group.checks,
      `tokenize: same word count (native ${native}, columnar ${columnar}, RDD split ${closure})`,
      native === columnar && native === closure,
    );
  });
  return group;
}

function stringAggregateGroup(options: Options, text: Uint8Array): BenchGroup {
  const bench = new Bench({ ...options, name: 'hash-aggregate strings' });
  const tokens = tokenizeBytes(text, new Int32Array((text.length >>> 1) + 1), new Int32Array((text.length >>> 1) + 1));
  const words: Batch = {
    rows: tokens.count,
    names: ['word'],
    columns: [{ type: 'utf8', bytes: text, starts: tokens.starts, ends: tokens.ends }],
  };
  let native = 0;
  let engine = 0;
  bench
    .add('native: WordTable (typed-array open addressing)', () => {
      const table = new WordTable();
      const { starts, ends, count } = tokens;
      for (let i = 0; i < count; i++) table.add(text, starts[i]!, ends[i]!, fnv1a(text, starts[i]!, ends[i]!));
      native = table.size;
    })
    .add('engine columnar: HashAggregator count() by utf8 key', () => {
      const aggregator = new HashAggregator(['word'], [{ fn: 'count', column: null, name: 'count' }], 'partial');
      aggregator.add(words);
      engine = aggregator.result().batch.rows;
    });
  const group: BenchGroup = {
    title: 'hash-aggregate strings',
    description: `count ${tokens.count} words (already tokenized, views into the bytes) by word`,
    bench,
    pairs: [
      {
        engine: 'engine columnar: HashAggregator count() by utf8 key',
        baseline: 'native: WordTable (typed-array open addressing)',
      },
    ],
    checks: [],
  };
  bench.addEventListener('complete', () =>
    check(
      group.checks,
      `string aggregation: same distinct words (native ${native}, engine ${engine})`,
      native === engine,
    ),
  );
  return group;
}

function intAggregateGroup(options: Options, keys: Int32Array, values: Float64Array): BenchGroup {
  const bench = new Bench({ ...options, name: 'hash-aggregate ints' });
  const batch: Batch = {
    rows: keys.length,
    names: ['key', 'value'],
    columns: [
      { type: 'i32', values: keys },
      { type: 'f64', values },
    ],
  };
  const aggregates = [
    { fn: 'sum', column: 'value', name: 'sum' },
    { fn: 'count', column: null, name: 'count' },
    { fn: 'mean', column: 'value', name: 'mean' },
  ] as const;
  let native = 0;
  let engine = 0;
  bench
    .add('native: int32 open addressing, sum/count/mean', () => {
      native = aggregateInt32(keys, values, keys.length).groups;
    })
    .add('engine columnar: HashAggregator sum/count/mean by i32 key', () => {
      const aggregator = new HashAggregator(['key'], aggregates, 'partial');
      aggregator.add(batch);
      engine = aggregator.result().batch.rows;
    });
  const group: BenchGroup = {
    title: 'hash-aggregate ints',
    description: `sum, count and mean of ${keys.length} float64 values by int32 key`,
    bench,
    pairs: [
      {
        engine: 'engine columnar: HashAggregator sum/count/mean by i32 key',
        baseline: 'native: int32 open addressing, sum/count/mean',
      },
    ],
    checks: [],
  };
  bench.addEventListener('complete', () =>
    check(group.checks, `int aggregation: same groups (native ${native}, engine ${engine})`, native === engine),
  );
  return group;
}

/**
 * `partitions` comes from the profile at run time in every variant: a compile-time constant would let V8 turn
 * `% 8` into a mask for some variants and not others.
 */
function partitionGroup(options: Options, keys: Int32Array, partitions: number): BenchGroup {
  const bench = new Bench({ ...options, name: 'hash-partition' });
  const out = new Uint32Array(keys.length);
  const totals: Record<string, number> = {};
  const total = (name: string, counts: Int32Array): void => {
    totals[name] = counts.reduce((a, b) => a + b, 0);
  };
  // Each variant loads the count from a typed array: V8 never folds that load into a constant (it did fold a
  // captured number in some runs, turning `% n` into a mask for one variant only).
  const partitionCount = new Int32Array([partitions]);
  bench
    .add('native: multiplicative hash, multiply-shift range', () =>
      total('native', partitionInt32(keys, keys.length, partitionCount[0]!, out)),
    )
    .add('engine columnar: partitionOfHash(hashNumber(key))', () => {
      const n = partitionCount[0]!;
      const counts = new Int32Array(n);
      for (let i = 0; i < keys.length; i++) {
        const p = partitionOfHash(hashNumber(keys[i]!), n);
        out[i] = p;
        counts[p]!++;
      }
      total('columnar', counts);
    })
    .add('engine RDD path: hashPartition(key)', () => {
      const n = partitionCount[0]!;
      const counts = new Int32Array(n);
      for (let i = 0; i < keys.length; i++) {
        const p = hashPartition(keys[i]!, n);
        out[i] = p;
        counts[p]!++;
      }
      total('rdd', counts);
    });
  const group: BenchGroup = {
    title: 'hash-partition',
    description: `assign ${keys.length} int32 keys to ${partitions} partitions and count rows per partition`,
    bench,
    pairs: [
      {
        engine: 'engine columnar: partitionOfHash(hashNumber(key))',
        baseline: 'native: multiplicative hash, multiply-shift range',
      },
      { engine: 'engine RDD path: hashPartition(key)', baseline: 'native: multiplicative hash, multiply-shift range' },
    ],
    checks: [],
  };
  bench.addEventListener('complete', () => {
    const ok = ['native', 'columnar', 'rdd'].every((k) => totals[k] === keys.length);
    check(group.checks, `hash-partition: every key assigned once (${JSON.stringify(totals)})`, ok);
  });
  return group;
}

function arrowBlockGroup(options: Options, text: Uint8Array, records: number): BenchGroup {
  const bench = new Bench({ ...options, name: 'build an Arrow block' });
  const words = new TextDecoder()
    .decode(text)
    .split(/\s+/)
    .filter((w) => w !== '');
  const pairs: [string, number][] = Array.from({ length: records }, (_, i) => [words[i % words.length]!, i % 1000]);
  const rows: Record<string, number> = {};
  bench
    .add('native: by hand (UTF-8 loop + makeData, shared memory)', () => {
      rows.hand = pairsToBatchByHand(pairs).numRows;
    })
    .add('native: apache-arrow vectorFromArray builders', () => {
      rows.builders = pairsToBatchWithBuilders(pairs).numRows;
    })
    .add('engine: encodeBlock (shape inference, shared memory, CRC-32)', () => {
      rows.engine = encodeBlock(pairs).rows;
    });
  const group: BenchGroup = {
    title: 'build an Arrow block',
    description: `${records} [word, int] pairs into key: Utf8 / value: Int32 Arrow columns`,
    bench,
    pairs: [
      {
        engine: 'engine: encodeBlock (shape inference, shared memory, CRC-32)',
        baseline: 'native: by hand (UTF-8 loop + makeData, shared memory)',
      },
      {
        engine: 'engine: encodeBlock (shape inference, shared memory, CRC-32)',
        baseline: 'native: apache-arrow vectorFromArray builders',
      },
    ],
    checks: [],
  };
  bench.addEventListener('complete', () => {
    const ok = rows.hand === records && rows.builders === records && rows.engine === records;
    check(group.checks, `Arrow block: ${records} rows each (${JSON.stringify(rows)})`, ok);
  });
  return group;
}

async function roundTripGroup(options: Options): Promise<BenchGroup> {
  const kc = new Context({ threads: 2 });
  const echo = await WorkerEcho.start();
  for (let i = 0; i < 20; i++) await kc.parallelize([1, 2, 3], 1).count(); // warm pool: both threads started
  const bench = new Bench({ ...options, name: 'task round-trip', time: Math.max(1000, options?.time ?? 0) });
  let engine = 0;
  let native: unknown = null;
  bench
    .add('native: postMessage round trip to a bare worker', async () => {
      native = await echo.roundTrip(3);
    })
    .add('engine: 1-partition count() job, warm pool, threads 2', async () => {
      engine = await kc.parallelize([1, 2, 3], 1).count();
    });
  const group: BenchGroup = {
    title: 'task round-trip',
    description: 'one tiny job of one task (schedule, ship to a Piscina worker, run, result back) on a warm Context',
    bench,
    pairs: [
      {
        engine: 'engine: 1-partition count() job, warm pool, threads 2',
        baseline: 'native: postMessage round trip to a bare worker',
      },
    ],
    checks: [],
    after: async () => {
      await kc.stop();
      await echo.stop();
    },
  };
  bench.addEventListener('complete', () => {
    check(
      group.checks,
      `round trip: count() is 3 (${engine}), echo is 3 (${String(native)})`,
      engine === 3 && native === 3,
    );
  });
  return group;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
