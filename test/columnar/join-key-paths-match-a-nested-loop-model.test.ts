// The hash join's key paths (executor/columnar/joins/join-key-index.ts) against a plain-JS nested-loop model of SQL's
// joins, one key column with nulls and duplicates on both sides: int32 keys in a small range (the directory), int32
// keys spread over the whole range (the open-addressing table), strings (bytes in place), dates, and an int32 key
// against a double key (the tuple path, where 3 equals 3.0). Every join type, shuffled and broadcast; each kind
// also with distinct, non-null keys on the right (the build side), where a group is one row.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, type JoinType } from '../../src/index.js';
import { onEveryBackend } from '../api/helpers.js';
import { canonical, Rng, testSeed } from './random-rows.js';

const seed = testSeed('join-key-paths-match-a-nested-loop-model');
const rng = new Rng(seed);

interface KeyKind {
  readonly name: string;
  /** The key of draw `i` (null one row in six), as the model compares it. */
  readonly value: (i: number) => string | number;
  /** Types the key column is cast to on the left and on the right. */
  readonly left: string;
  readonly right: string;
}

const wide = Array.from({ length: 25 }, () => rng.nextInt(0x7fffffff) * (rng.nextInt(2) === 0 ? -1 : 1));
const KINDS: readonly KeyKind[] = [
  { name: 'int32 keys in a small range', value: (i) => i - 5, left: 'int', right: 'int' },
  { name: 'int32 keys over the whole range', value: (i) => wide[i]!, left: 'int', right: 'int' },
  { name: 'string keys', value: (i) => ['', 'a', 'é', 'ab', 'b'][i % 5]! + String(i), left: 'string', right: 'string' },
  {
    name: 'date keys',
    value: (i) => `2024-0${1 + (i % 9)}-1${i % 10}`,
    left: 'date',
    right: 'date',
  },
  { name: 'an int32 key against a double key', value: (i) => i * 3, left: 'int', right: 'double' },
];

const HOWS: readonly Exclude<JoinType, 'cross'>[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];

function side(kind: KeyKind, rows: number, draws: number, payload: string) {
  return Array.from({ length: rows }, (_, i) => ({
    k: rng.nextInt(6) === 0 ? null : kind.value(rng.nextInt(draws)),
    [payload]: i,
  }));
}

/** Build-side rows whose keys are distinct and never null (the hash join's one-row-per-group path). */
function uniqueSide(kind: KeyKind, rows: number, draws: number, payload: string) {
  const order = Array.from({ length: draws }, (_, i) => i);
  for (let i = draws - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, rows).map((draw, i) => ({ k: kind.value(draw), [payload]: i }));
}

function model(
  how: Exclude<JoinType, 'cross'>,
  left: readonly { k: unknown; a?: number }[],
  right: readonly { k: unknown; b?: number }[],
): Record<string, unknown>[] {
  const matches = (l: { k: unknown }, r: { k: unknown }) => l.k !== null && l.k === r.k;
  if (how === 'semi' || how === 'anti') {
    return left.filter((l) => right.some((r) => matches(l, r)) === (how === 'semi')).map((l) => ({ ...l }));
  }
  const out: Record<string, unknown>[] = [];
  for (const l of left) {
    const found = right.filter((r) => matches(l, r));
    for (const r of found) out.push({ k: l.k, a: l.a, b: r.b });
    if (found.length === 0 && (how === 'left' || how === 'full')) out.push({ k: l.k, a: l.a, b: null });
  }
  if (how === 'right' || how === 'full') {
    for (const r of right) if (!left.some((l) => matches(l, r))) out.push({ k: r.k, a: null, b: r.b });
  }
  return out;
}

for (const [strategy, options] of [
  ['shuffled', { broadcastJoinBytesMax: 0 }],
  ['broadcast', {}],
] as const) {
  onEveryBackend(
    `join on one key column, ${strategy}`,
    (on) => {
      for (const [kind, unique] of KINDS.flatMap((k) => [[k, false] as const, [k, true] as const])) {
        const shape = unique ? ', distinct keys on the right' : '';
        test(`${kind.name}${shape}: every join type matches SQL's`, async () => {
          const left = side(kind, 150, 22, 'a');
          const right = unique ? uniqueSide(kind, 18, 25, 'b') : side(kind, 60, 25, 'b');
          const columns = (rows: readonly Record<string, unknown>[], payload: string) => ({
            k: rows.map((r) => r['k'] as string | number | null),
            [payload]: rows.map((r) => r[payload] as number),
          });
          const l = on.kc().fromColumns(columns(left, 'a'), { numPartitions: 3 });
          const r = on.kc().fromColumns(columns(right, 'b'), { numPartitions: 2 });
          const typed = (ds: typeof l, type: string, payload: string) =>
            ds.select(col('k').cast(type).as('k'), col(payload));
          // Keys come back in the left side's type: dates as ISO strings for the model.
          const back = (rows: Record<string, unknown>[]) =>
            rows.map((row) => ({
              ...row,
              k: row['k'] instanceof Date ? row['k'].toISOString().slice(0, 10) : row['k'],
            }));
          for (const how of HOWS) {
            const joined = typed(l, kind.left, 'a').join(typed(r, kind.right, 'b'), 'k', how, { numPartitions: 4 });
            assert.deepEqual(
              canonical(back(await joined.collect())),
              canonical(model(how, left, right)),
              `${how} join of ${kind.name}`,
            );
          }
        });
      }
    },
    options,
  );
}
