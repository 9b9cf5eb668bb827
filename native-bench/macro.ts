/**
 * The macro benchmarks: whole jobs on warm Contexts next to native single-thread baselines, each group in one
 * tinybench `Bench`: the word count over the corpus (RDD and columnar paths, 1 and 2 threads), the group-by of a
 * numeric table already in shared memory, and 10,000 empty tasks.
 */
import { Bench } from 'tinybench';

import { Context, count, mean, sum, type Dataset } from '../src/index.js';
import { aggregateInt32 } from './baselines/int-aggregate-native.js';
import { duckDbGroupBy, duckDbLoadTable, openDuckDb } from './baselines/duckdb.js';
import { check, reportEachTask, withCpuTime, type BenchGroup } from './bench-group.js';
import { generateNumericTable } from './numeric-table.js';
import type { BenchProfile } from './profiles.js';
import { runWordCount, type WordCountEngine } from './word-count-jobs.js';

/** Task names of the macro groups, shared with the report. */
export const WORD_COUNT = {
  native: 'native: 1 thread, byte scan + typed-array hash',
  rdd1: 'engine RDD path, 1 thread',
  rdd2: 'engine RDD path, 2 threads',
  columnar1: 'engine columnar path, 1 thread',
  columnar2: 'engine columnar path, 2 threads',
  duckdb: 'DuckDB 2 threads: read_csv + string_split + unnest + GROUP BY',
} as const;

export const GROUP_BY = {
  native: 'native: 1 thread, int32 open addressing',
  engine1: 'engine columnar groupBy().agg(), 1 thread',
  engine2: 'engine columnar groupBy().agg(), 2 threads',
  duckdb: 'DuckDB 2 threads: GROUP BY key (sum, count, avg)',
} as const;

export const EMPTY_TASKS = 'engine: range(0, n, 1, n).count(), warm pool, threads 2';

/**
 * Runs the word-count macro group over `paths`.
 *
 * @example
 * const group = await runWordCountBench(profile, corpus.paths);
 */
export async function runWordCountBench(profile: BenchProfile, paths: readonly string[]): Promise<BenchGroup> {
  const contexts = { 1: new Context({ threads: 1 }), 2: new Context({ threads: 2 }) };
  // Start both pools before timing (a first job starts the worker threads).
  await contexts[1].range(0, 4, 1, 2).count();
  await contexts[2].range(0, 4, 1, 2).count();
  const bench = new Bench({ name: 'word count', time: 0, iterations: profile.wordCountIterations, warmup: false });
  const distinct = new Map<string, number>();
  const cpuMs = new Map<string, number[]>();
  const add = (name: string, engine: WordCountEngine, threads: 1 | 2): void => {
    bench.add(
      name,
      withCpuTime(cpuMs, name, async () => {
        distinct.set(name, await runWordCount(engine, engine === 'native' ? null : contexts[threads], paths));
      }),
    );
  };
  add(WORD_COUNT.native, 'native', 1);
  add(WORD_COUNT.rdd1, 'rdd', 1);
  add(WORD_COUNT.rdd2, 'rdd', 2);
  add(WORD_COUNT.columnar1, 'columnar', 1);
  add(WORD_COUNT.columnar2, 'columnar', 2);
  add(WORD_COUNT.duckdb, 'duckdb', 2);
  const group: BenchGroup = {
    title: 'word count',
    description: `distinct words of the ${(profile.corpus.bytes / 1024 ** 2).toFixed(0)} MiB corpus (${paths.length} files): RDD \`textFile.flatMap(split).map(w => [w, 1]).reduceByKey(+)\`, columnar \`readText.select(splitToRows(col('value'))).groupBy('word').agg(count())\`, then \`count()\``,
    bench,
    pairs: [
      { engine: WORD_COUNT.rdd1, baseline: WORD_COUNT.native },
      { engine: WORD_COUNT.rdd2, baseline: WORD_COUNT.native },
      { engine: WORD_COUNT.columnar1, baseline: WORD_COUNT.native },
      { engine: WORD_COUNT.columnar2, baseline: WORD_COUNT.native },
      { engine: WORD_COUNT.rdd2, baseline: WORD_COUNT.duckdb },
      { engine: WORD_COUNT.columnar2, baseline: WORD_COUNT.duckdb },
    ],
    checks: [],
    cpuMs,
    after: async () => {
      await contexts[1].stop();
      await contexts[2].stop();
    },
  };
  process.stdout.write('\n## macro: word count\n');
  reportEachTask(bench);
  await bench.run();
  console.table(bench.table());
  const expected = distinct.get(WORD_COUNT.native);
  for (const [name, n] of distinct) {
    check(group.checks, `word count: ${name} finds ${n} distinct words (native: ${expected})`, n === expected);
  }
  await group.after?.();
  return group;
}

/**
 * Runs the group-by macro group: sum, count and mean by key of the profile's numeric table. The table is
 * generated and copied into each Context's blocks before timing; each task times the aggregation job only.
 * After the run, the engine's rows are compared with the native result, value by value.
 *
 * @example
 * const group = await runGroupByBench(profile);
 */
export async function runGroupByBench(profile: BenchProfile): Promise<BenchGroup> {
  const { rows, keys } = profile.groupByTable;
  const table = generateNumericTable(profile.groupByTable);
  const contexts = { 1: new Context({ threads: 1 }), 2: new Context({ threads: 2 }) };
  const sources = {
    1: contexts[1].fromColumns({ key: table.key, value: table.value }),
    2: contexts[2].fromColumns({ key: table.key, value: table.value }),
  };
  const aggregated = (ds: Dataset): Dataset => ds.groupBy('key').agg(sum('value'), count(), mean('value'));
  const duck = await openDuckDb(2);
  await duckDbLoadTable(duck, 'numbers', table.key, table.value, rows);
  const bench = new Bench({
    name: 'group-by',
    time: 0,
    iterations: profile.groupByIterations,
    warmupIterations: 1,
    warmupTime: 0,
  });
  const groups = new Map<string, number>();
  const cpuMs = new Map<string, number[]>();
  bench
    .add(
      GROUP_BY.native,
      withCpuTime(cpuMs, GROUP_BY.native, async () => {
        groups.set(GROUP_BY.native, aggregateInt32(table.key, table.value, rows).groups);
      }),
    )
    .add(
      GROUP_BY.engine1,
      withCpuTime(cpuMs, GROUP_BY.engine1, async () => {
        groups.set(GROUP_BY.engine1, await aggregated(sources[1]).count());
      }),
    )
    .add(
      GROUP_BY.engine2,
      withCpuTime(cpuMs, GROUP_BY.engine2, async () => {
        groups.set(GROUP_BY.engine2, await aggregated(sources[2]).count());
      }),
    )
    .add(
      GROUP_BY.duckdb,
      withCpuTime(cpuMs, GROUP_BY.duckdb, async () => {
        groups.set(GROUP_BY.duckdb, await duckDbGroupBy(duck, 'numbers'));
      }),
    );
  const group: BenchGroup = {
    title: 'group-by',
    description: `sum, count and mean of float64 values by int32 key: ${rows.toLocaleString('en')} rows × ${keys.toLocaleString('en')} keys, data already in shared memory (\`kc.fromColumns\`, built before timing); the engine job ends in \`count()\` of the aggregated rows`,
    bench,
    pairs: [
      { engine: GROUP_BY.engine1, baseline: GROUP_BY.native },
      { engine: GROUP_BY.engine2, baseline: GROUP_BY.native },
      { engine: GROUP_BY.engine2, baseline: GROUP_BY.duckdb },
    ],
    checks: [],
    cpuMs,
  };
  process.stdout.write('\n## macro: group-by\n');
  reportEachTask(bench);
  await bench.run();
  console.table(bench.table());
  for (const [name, n] of groups)
    check(group.checks, `group-by: ${name} finds ${n} keys`, n === groups.get(GROUP_BY.native));
  // Exact values: the table's values are multiples of 1/1024, so every summation order gives the same sums.
  const native = aggregateInt32(table.key, table.value, rows);
  const index = new Map<number, number>();
  for (let g = 0; g < native.groups; g++) index.set(native.keys[g]!, g);
  const engineRows = await aggregated(sources[2]).collect();
  let mismatches = 0;
  for (const row of engineRows) {
    const g = index.get(row.key as number);
    if (
      g === undefined ||
      row['sum(value)'] !== native.sums[g] ||
      row.count !== native.counts[g] ||
      row['mean(value)'] !== native.means[g]
    )
      mismatches++;
  }
  check(
    group.checks,
    `group-by: engine rows equal the native sums, counts and means (${engineRows.length} rows, ${mismatches} differ)`,
    mismatches === 0 && engineRows.length === native.groups,
  );
  await contexts[1].stop();
  await contexts[2].stop();
  duck.close();
  return group;
}

/**
 * Runs the empty-task throughput group: one job of `profile.emptyTasks` one-record partitions on a warm pool.
 *
 * @example
 * const group = await runEmptyTasksBench(profile); // tasks/s = n / median s
 */
export async function runEmptyTasksBench(profile: BenchProfile): Promise<BenchGroup> {
  const n = profile.emptyTasks;
  const kc = new Context({ threads: 2 });
  for (let i = 0; i < 10; i++) await kc.range(0, 4, 1, 4).count();
  const bench = new Bench({
    name: 'empty tasks',
    time: 0,
    iterations: profile.emptyTaskIterations,
    warmupIterations: 1,
    warmupTime: 0,
  });
  let counted = 0;
  bench.add(EMPTY_TASKS, async () => {
    counted = await kc.range(0, n, 1, n).count();
  });
  const group: BenchGroup = {
    title: 'empty tasks',
    description: `one job of ${n.toLocaleString('en')} tasks of one record each (\`kc.range(0, ${n}, 1, ${n}).count()\`) on a warm 2-thread pool`,
    bench,
    pairs: [],
    checks: [],
  };
  process.stdout.write('\n## macro: empty tasks\n');
  reportEachTask(bench);
  await bench.run();
  console.table(bench.table());
  check(group.checks, `empty tasks: count() is ${n} (${counted})`, counted === n);
  await kc.stop();
  return group;
}
