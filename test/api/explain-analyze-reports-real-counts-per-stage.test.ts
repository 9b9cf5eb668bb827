// kc.explainAnalyze(dataset) runs the dataset and prints its explain() text followed by each stage that ran, with
// the records it output, its tasks and attempts (failed ones included) and its bytes, as DuckDB's EXPLAIN ANALYZE.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { col, Context, count, PlanError, splitToRows } from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

test('explainAnalyze prints the plan, then the real records, tasks and attempts of every stage', async () => {
  const kc = new Context({
    threads: 2,
    faults: { seed: 3, rules: [{ kind: 'throw', stage: 0, partition: 2, attempt: 0 }] },
  });
  try {
    const evens = kc.range(0, 1000, 1, 4).filter((x) => x % 2 === 0);
    const spread = evens.repartition(3);
    const text = await kc.explainAnalyze(spread);
    const [plan, analyzed] = text.split('\n== Analyzed');
    assert.equal(plan, spread.explain());
    const lines = analyzed!.split('\n');
    assert.match(lines[0]!, /^ \(count: 500 records, 1 job, \d+(\.\d)? m?s\) ==$/);
    assert.equal(lines.length, 3, text);
    assert.match(
      lines[1]!,
      /^stage 0: shuffle-map writes shuffle 0, \[\d+\] .* <- \[0\] range: 4\/4 tasks, 5 attempts \(1 failed\), records out 500, /,
    );
    assert.match(
      lines[2]!,
      /^stage 1: result, reads shuffle 0, .*: 3\/3 tasks, 3 attempts \(0 failed\), records out 500, /,
    );
  } finally {
    await kc.stop();
  }
});

test('explainAnalyze of a columnar dataset counts its groups and the rows out of each operator', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc
      .fromColumns({ key: new Int32Array([1, 2, 1, 3, 2, 1]) }, { numPartitions: 2 })
      .groupBy('key')
      .agg(count());
    const text = await kc.explainAnalyze(ds.orderBy('key'));
    assert.match(text, /== Analyzed \(count: 3 records, /);
    const stages = text.split('== Analyzed')[1]!.split('\n').slice(1);
    // orderBy range-partitions its input: a helper stage samples the keys first (as sortByKey).
    assert.equal(stages.length, 4, text);
    assert.match(stages[0]!, /, rows scan 6, /, 'six rows read: the partial aggregation is the stage’s output');
    assert.match(stages[1]!, /^stage 1: helper, reads shuffle 0, .*orderBy \(map side\)/, 'key sampling');
    assert.match(stages[2]!, /^stage 2: shuffle-map writes shuffle 1, reads shuffle 0, .*records out 3, /, 'groups');
    assert.match(stages[2]!, /, rows scan 5 -> final-aggregate 3, /, 'five partial groups merged into three');
    assert.match(stages[3]!, /^stage 3: result, reads shuffle 1, .*records out 3, /, 'the rows counted');
    assert.match(stages[3]!, /, rows scan 3 -> sort 3, /);
    const filtered = kc
      .fromColumns({ x: new Int32Array([1, 2, 3, 4, 5, 6, 7, 8]) }, { numPartitions: 2 })
      .filter(col('x').gt(3))
      .select(col('x'));
    assert.match(await kc.explainAnalyze(filtered), /, rows scan 8 -> filter 5 -> select 5, /, 'rows per operator');
  } finally {
    await kc.stop();
  }
});

test('explainAnalyze of the fused word count reports the lines its splits read', async () => {
  // Every line ending, empty lines, a BOM and an unterminated last line, in splits that cut lines and a '\r\n'.
  const lines = ['\uFEFFthe cat', '', 'sat  on', 'the', '', 'mat é', ' ', 'the end'];
  const endings = ['\n', '\r\n', '\r', '\n', '\r\n', '\r', '\n'];
  const text = lines.map((line, i) => line + (endings[i] ?? '')).join('');
  const dir = makeTempDir('analyze-lines');
  const kc = new Context({ threads: 0 });
  try {
    const path = join(dir, 'words.txt');
    writeFileSync(path, text);
    for (const minPartitions of [1, 5, 12]) {
      const words = kc
        .readText(path, { minPartitions })
        .select(splitToRows(col('value')).as('word'))
        .groupBy('word')
        .agg(count());
      const analyzed = await kc.explainAnalyze(words);
      const stages = analyzed.split('== Analyzed')[1]!.split('\n').slice(1);
      assert.match(stages[0]!, /^stage \d+: shuffle-map .*, rows scan 8, /, `${minPartitions} splits: ${analyzed}`);
      assert.match(analyzed, /== Analyzed \(count: 7 records, /, 'the, cat, sat, on, mat, é, end');
    }
  } finally {
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('analyze runs any action, returns its result, and reports every job it ran', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const pairs = kc.range(0, 300, 1, 3).map((n) => [n % 7, 1] as [number, number]);
    const sums = pairs.reduceByKey((a, b) => a + b, 2);
    const { result, report } = await kc.analyze(sums, (ds) => ds.collect());
    assert.deepEqual(
      result.sort((a, b) => a[0] - b[0]),
      Array.from({ length: 7 }, (_, k) => [k, k < 6 ? 43 : 42]),
    );
    const [plan, analyzed] = report.split('\n== Analyzed');
    assert.equal(plan, sums.explain());
    const lines = analyzed!.split('\n');
    assert.match(
      lines[0]!,
      /^ \(collect at .*explain-analyze-reports-real-counts-per-stage\.test\.js:\d+:\d+, 1 job, /,
    );
    assert.match(
      lines[1]!,
      /^stage \d+: shuffle-map writes shuffle \d+, .*: 3\/3 tasks, 3 attempts \(0 failed\), records out /,
    );
    assert.match(
      lines[2]!,
      /^stage \d+: result, reads shuffle \d+, .*: 2\/2 tasks, .*records out 7, .*, shuffle read \d+(\.\d)? [KM]?i?B, /,
    );
  } finally {
    await kc.stop();
  }
});

test('analyze of take, takeOrdered and lookup counts the records each task handed back', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const numbers = kc.range(0, 100, 1, 4);
    // take(30) reads partition 0 (25 records, all taken), then partition 1 for the 5 missing.
    const took = await kc.analyze(numbers, (ds) => ds.take(30));
    assert.deepEqual(
      took.result,
      Array.from({ length: 30 }, (_, i) => i),
    );
    const tookStages = took.report.split('\n== Analyzed')[1]!.split('\n').slice(1);
    assert.equal(tookStages.length, 2, took.report);
    assert.match(tookStages[0]!, /: 1\/1 tasks, .*records out 25, /);
    assert.match(tookStages[1]!, /: 1\/1 tasks, .*records out 5, /);
    const ordered = await kc.analyze(numbers, (ds) => ds.takeOrdered(3));
    assert.deepEqual(ordered.result, [0, 1, 2]);
    assert.match(ordered.report, /: 4\/4 tasks, .*records out 12, /, 'three from each of four tasks');
    const pairs = numbers.map((n) => [n % 10, n] as [number, number]);
    const looked = await kc.analyze(pairs, (ds) => ds.lookup(3));
    assert.equal(looked.result.length, 10);
    assert.match(looked.report, /: 4\/4 tasks, .*records out 10, /);
  } finally {
    await kc.stop();
  }
});

test('analyze refuses an action that is not a function, and says so when the action ran no job', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const numbers = kc.range(0, 10);
    await assert.rejects(
      kc.analyze(numbers, 'collect' as never),
      (error: unknown) =>
        error instanceof PlanError &&
        error.code === 'ERR_PLAN_INVALID_ARGUMENT' &&
        error.message ===
          'analyze(): action must be a function of the dataset, such as (ds) => ds.collect(), found "collect"',
    );
    const { result, report } = await kc.analyze(numbers, async () => 7);
    assert.equal(result, 7);
    assert.equal(report, `${numbers.explain()}\n== Analyzed (no job ran, 0 jobs, 0 ms) ==`);
  } finally {
    await kc.stop();
  }
});
