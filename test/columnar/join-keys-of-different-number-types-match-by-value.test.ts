// Join keys of different number types match by value, as in Spark, DuckDB and Polars: an int32 key joined with an
// int64 one compares as int64, a number with a float64 as float64. Before, keys compared by their encoding and hashed
// by it: an int64 key never matched an int32 or float64 one, and with a few rows over many shuffle partitions (no
// task holding keys of both sides, so no type check ran) a join answered no match without an error (inner: no rows;
// left: every right column null; full: each key twice). Keys that can never match (a string with a number) are a
// PlanError before any task of the join runs, naming both columns and types.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Float64, Int32, Int64, Table, vectorFromArray, type DataType } from 'apache-arrow';

import { col, Context, PlanError, type ContextOptions, type JoinType } from '../../src/index.js';
import { canonical, Rng, testSeed } from './random-rows.js';

const seed = testSeed('join-keys-of-different-number-types-match-by-value');
const rng = new Rng(seed);

type KeyType = 'int32' | 'int64' | 'float64';
const ARROW_TYPES: Record<KeyType, () => DataType> = {
  int32: () => new Int32(),
  int64: () => new Int64(),
  float64: () => new Float64(),
};

/** Keys 0…7 with nulls; a float64 side also has keys between the integers (they match nothing). */
function keys(type: KeyType, rows: number): (number | null)[] {
  return Array.from({ length: rows }, () => {
    if (rng.nextInt(6) === 0) return null;
    const k = rng.nextInt(8);
    return type === 'float64' && rng.nextInt(4) === 0 ? k + 0.5 : k;
  });
}

/** A table of `k` (of `type`) and `other`, in record batches of at most 4 rows (one partition each). */
function table(type: KeyType, k: readonly (number | null)[], other: string): Table {
  const slices: Table[] = [];
  for (let from = 0; from < k.length; from += 4) {
    const part = k.slice(from, from + 4);
    const values = type === 'int64' ? part.map((v) => (v === null ? null : BigInt(v))) : part;
    slices.push(
      new Table({
        k: vectorFromArray(values, ARROW_TYPES[type]()),
        [other]: vectorFromArray(
          part.map((_, i) => from + i),
          new Int32(),
        ),
      }),
    );
  }
  return slices[0]!.concat(...slices.slice(1));
}

interface Row {
  readonly k: number | null;
  readonly i: number;
}

/** SQL's joins by nested loops on values: a null key matches nothing; the key once, the left's unless missing. */
function model(
  how: Exclude<JoinType, 'cross'>,
  left: readonly Row[],
  right: readonly Row[],
): Record<string, unknown>[] {
  const matches = (l: Row, r: Row) => l.k !== null && l.k === r.k;
  if (how === 'semi' || how === 'anti') {
    return left.filter((l) => right.some((r) => matches(l, r)) === (how === 'semi')).map((l) => ({ k: l.k, x: l.i }));
  }
  const out: Record<string, unknown>[] = [];
  for (const l of left) {
    const found = right.filter((r) => matches(l, r));
    for (const r of found) out.push({ k: l.k, x: l.i, y: r.i });
    if (found.length === 0 && (how === 'left' || how === 'full')) out.push({ k: l.k, x: l.i, y: null });
  }
  if (how === 'right' || how === 'full') {
    for (const r of right) if (!left.some((l) => matches(l, r))) out.push({ k: r.k, x: null, y: r.i });
  }
  return out;
}

const HOWS: readonly Exclude<JoinType, 'cross'>[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];
const PAIRS: readonly (readonly [KeyType, KeyType])[] = [
  ['int32', 'float64'],
  ['float64', 'int32'],
  ['int32', 'int64'],
  ['int64', 'int32'],
  ['int64', 'float64'],
  ['float64', 'int64'],
];
const PATHS: readonly {
  readonly title: string;
  readonly strategy: string;
  readonly options: Omit<ContextOptions, 'threads'>;
  readonly cached: boolean;
}[] = [
  { title: 'broadcast (right and full: shuffled)', strategy: 'broadcast-hash', options: {}, cached: false },
  { title: 'shuffled', strategy: 'shuffled-hash', options: { broadcastJoinBytesMax: 0 }, cached: false },
  {
    title: 'co-located cached sides',
    strategy: 'co-located-hash',
    options: { broadcastJoinBytesMax: 0 },
    cached: true,
  },
];

for (const path of PATHS) {
  test(`${path.title}: keys of different number types match by value, tiny sides over many partitions`, async () => {
    const kc = new Context({ threads: 2, ...path.options });
    try {
      for (const [leftType, rightType] of PAIRS) {
        const leftKeys = keys(leftType, 1 + rng.nextInt(12));
        const rightKeys = keys(rightType, 1 + rng.nextInt(12));
        let a = kc.fromArrow(table(leftType, leftKeys, 'x'));
        let b = kc.fromArrow(table(rightType, rightKeys, 'y'));
        if (path.cached) {
          a = a.cache();
          b = b.cache();
          await a.count();
          await b.count();
        }
        // Many partitions for few rows: most shuffle tasks hold keys of one side only.
        const partitions = path.cached ? 4 : 16;
        assert.match(a.join(b, 'k', 'inner', { numPartitions: partitions }).explain(), new RegExp(path.strategy));
        // A side with no non-null key matches nothing, and the probe that resolves the types finds no row of it:
        // then each side keeps its own key type (join-key-resolution.ts), and only the other side's keys come out.
        const leftHasKey = leftKeys.some((k) => k !== null);
        const rightHasKey = rightKeys.some((k) => k !== null);
        const widest = [leftType, rightType].includes('float64') ? 'float64' : 'int64';
        const wider = leftHasKey && rightHasKey ? widest : leftHasKey ? leftType : rightType;
        for (const how of HOWS) {
          const rows = await a.join(b, 'k', how, { numPartitions: partitions }).collect();
          const what = `${leftType} ⋈ ${rightType} ${how} (SEED=${seed})`;
          // The key column comes out in the wider type (semi and anti: the left's, widened too).
          for (const row of rows) {
            if (row.k !== null) assert.equal(typeof row.k, wider === 'int64' ? 'bigint' : 'number', what);
          }
          const asNumbers = rows.map((row) => ({ ...row, k: row.k === null ? null : Number(row.k) }));
          const left = leftKeys.map((k, i) => ({ k, i }));
          const right = rightKeys.map((k, i) => ({ k, i }));
          assert.deepEqual(canonical(asNumbers), canonical(model(how, left, right)), what);
        }
      }
    } finally {
      await kc.stop();
    }
  });
}

test('int64 keys joined with float64 keys compare as float64 (as Spark and DuckDB): exact below 2^53', async () => {
  const kc = new Context({ threads: 2, broadcastJoinBytesMax: 0 });
  try {
    const big = 2n ** 53n;
    const a = kc.fromColumns({ k: [big - 1n, big, big + 1n, -5n], x: [1, 2, 3, 4] });
    const b = kc.fromColumns({ k: [2 ** 53 - 1, 2 ** 53, -5, 0.25], y: [10, 20, 30, 40] });
    const rows = await a.join(b, 'k', 'inner', { numPartitions: 16 }).orderBy('x').collect();
    // 2^53 + 1 rounds to 2^53 as a float64, so it matches 2^53 too: the documented caveat past 2^53.
    assert.deepEqual(rows, [
      { k: 2 ** 53 - 1, x: 1, y: 10 },
      { k: 2 ** 53, x: 2, y: 20 },
      { k: 2 ** 53, x: 3, y: 20 },
      { k: -5, x: 4, y: 30 },
    ]);
  } finally {
    await kc.stop();
  }
});

for (const options of [{}, { broadcastJoinBytesMax: 0 }] as const) {
  test(`a string key joined with a number key is a PlanError before the join runs (${JSON.stringify(options)})`, async () => {
    const kc = new Context({ threads: 2, ...options });
    try {
      const a = kc.fromColumns({ k: ['1', '2', null], x: [1, 2, 3] });
      const b = kc.fromArrow(table('int32', [1, 2, null], 'y'));
      for (const how of ['inner', 'left', 'full', 'anti'] as const) {
        await assert.rejects(a.join(b, 'k', how, { numPartitions: 16 }).collect(), (error: Error) => {
          assert.ok(error instanceof PlanError, String(error));
          assert.doesNotMatch(error.message, /failed \d+ time/);
          assert.match(error.message, /key column 'k' is string on the left and int32 on the right/);
          assert.match(error.message, /right\.withColumn\('k', col\('k'\)\.cast\('string'\)\)/);
          return true;
        });
      }
      const cast = b.withColumn('k', col('k').cast('string'));
      const rows = await a.join(cast, 'k', 'inner', { numPartitions: 16 }).orderBy('x').collect();
      assert.deepEqual(rows, [
        { k: '1', x: 1, y: 0 },
        { k: '2', x: 2, y: 1 },
      ]);
    } finally {
      await kc.stop();
    }
  });
}
