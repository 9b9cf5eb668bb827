// The map side of a filtered ranking window (`windowGroupLimit`) ranks several batches as one without concatenating
// them where it can (row numbers by one int32 key without nulls, one number order key without nulls or NaN): its
// answer (rows and their order) equals that of the batches concatenated into one, for row numbers, ranks and dense
// ranks, limits 1, 2 and 70 (past the one-pass kernel's), one int32 or float64
// partition key or two keys, order keys with ties, nulls and NaN, ascending or descending, over batches of every
// size (empty ones too). Under it, the kernel that ranks several parts as one without concatenating them keeps, part
// by part, the rows the one-part kernel keeps of their concatenation (ties kept in part and row order), and leaves
// order keys outside its domain (null, NaN, +Infinity) to the concatenated path. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Batch, Column, FixedColumn } from '../../src/executor/columnar/batches/batch.js';
import { concatBatches } from '../../src/executor/columnar/batches/concat-batches.js';
import {
  topRowsPerGroupByNumber,
  topRowsPerGroupOfParts,
  type TopRowsPart,
} from '../../src/executor/columnar/kernels/top-rows-per-group.js';
import { windowGroupLimit, windowOp } from '../../src/executor/columnar/windows/window.js';
import type { RankingFunction, WindowGroupLimitOp } from '../../src/protocol/columnar-window.js';
import type { SortKey } from '../../src/protocol/columnar.js';
import { Rng, testSeed } from './random-rows.js';
import { sized } from '../support/test-scale.js';

const seed = testSeed('top-ranks-of-several-batches-equal-those-of-their-concatenation');

/** A batch of `rows` rows: keys `k` (int32 or float64, nulls), `j` (int32), order key `v` (ties, nulls, NaN), row id. */
function randomBatch(
  rng: Rng,
  rows: number,
  groups: number,
  floatKeys: boolean,
  firstId: number,
  plain: boolean,
): Batch {
  const odd = (n: number) => !plain && rng.nextInt(n) === 0;
  const kValid = plain ? undefined : Uint8Array.from({ length: rows }, () => (odd(12) ? 0 : 1));
  const k = Array.from({ length: rows }, () => rng.nextInt(groups));
  const vValid = plain ? undefined : Uint8Array.from({ length: rows }, () => (odd(8) ? 0 : 1));
  const v = Float64Array.from({ length: rows }, () => (odd(15) ? NaN : rng.nextInt(6)));
  const key: Column = floatKeys
    ? { type: 'f64', values: Float64Array.from(k, (x) => x / 2), valid: kValid }
    : { type: 'i32', values: Int32Array.from(k), valid: kValid };
  return {
    rows,
    names: ['k', 'j', 'v', 'id'],
    columns: [
      key,
      { type: 'i32', values: Int32Array.from({ length: rows }, () => rng.nextInt(3)) },
      { type: 'f64', values: v, valid: vValid },
      { type: 'i32', values: Int32Array.from({ length: rows }, (_, i) => firstId + i) },
    ],
  };
}

/** The row ids of `batches`' rows, in order. */
function ids(batches: Iterable<Batch>): number[] {
  const out: number[] = [];
  for (const batch of batches)
    out.push(...((batch.columns[batch.names.indexOf('id')] as FixedColumn).values as Int32Array));
  return out;
}

const FUNCTIONS: readonly RankingFunction[] = ['row-number', 'rank', 'dense-rank'];

test(`top ranks of several batches equal those of their concatenation (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < sized(20, 60); round++) {
    const groups = 1 + rng.nextInt(rng.nextInt(2) === 0 ? 5 : 400);
    // Plain rounds (int32 keys, no nulls or NaN) take the path that ranks the batches without concatenating them.
    const plain = rng.nextInt(2) === 0;
    const floatKeys = !plain && rng.nextInt(2) === 0;
    let id = 0;
    const batches = Array.from({ length: 1 + rng.nextInt(5) }, () => {
      const rows = rng.nextInt(4) === 0 ? 0 : 1 + rng.nextInt(700);
      const batch = randomBatch(rng, rows, groups, floatKeys, id, plain);
      id += rows;
      return batch;
    });
    const whole = concatBatches(batches)!;
    const orderBy: SortKey[] = [{ name: 'v', ascending: rng.nextInt(2) === 0 }];
    if (rng.nextInt(3) === 0) orderBy[0] = { ...orderBy[0]!, nullsFirst: rng.nextInt(2) === 0 };
    for (const partitionBy of [['k'], ['k', 'j'], []]) {
      for (const fn of FUNCTIONS) {
        for (const limit of [1, 2, 70]) {
          const op: WindowGroupLimitOp = { kind: 'window-group-limit', window: { partitionBy, orderBy }, fn, limit };
          const what = `seed ${seed}, round ${round}: ${fn} <= ${limit} by [${partitionBy.join(', ')}]`;
          // Compared as the window after it reads them: its sort is stable, so the rows kept and the order of tied
          // rows within a window partition are what counts (the paths may list window partitions apart).
          const ranked = (rows: Iterable<Batch>): number[] =>
            ids(windowOp([...rows], { kind: 'window', window: op.window, columns: [{ name: 'r', fn: { kind: fn } }] }));
          assert.deepStrictEqual(ranked(windowGroupLimit(batches, op)), ranked(windowGroupLimit([whole], op)), what);
        }
      }
    }
  }
});

test(`top rows of several parts equal those of their concatenation, part by part (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  for (let round = 0; round < sized(70, 200); round++) {
    const groups = 1 + rng.nextInt(rng.nextInt(2) === 0 ? 4 : 300);
    const base = rng.nextInt(50) - 25;
    const limit = rng.nextInt(5);
    const ascending = rng.nextInt(2) === 0;
    const floats = rng.nextInt(2) === 0;
    // Parts of int32 or float64 order keys with many ties (no nulls, NaN or +Infinity: the kernel's domain).
    const parts: TopRowsPart[] = Array.from({ length: 1 + rng.nextInt(5) }, () => {
      const rows = rng.nextInt(300);
      const values = Array.from({ length: rows }, () => rng.nextInt(8) - 3);
      return {
        rows,
        groupOf: Int32Array.from({ length: rows }, () => base + rng.nextInt(groups)),
        column: floats
          ? { type: 'f64', values: Float64Array.from(values, (v) => v / 4) }
          : { type: 'i32', values: Int32Array.from(values) },
      };
    });
    const what = `seed ${seed}, round ${round}: ${parts.length} parts, limit ${limit}`;
    const top = topRowsPerGroupOfParts(parts, groups, limit, ascending, base);
    assert.ok(top !== null, what);
    const kept = top.kept;
    // The model: the one-part kernel over the parts concatenated, its rows mapped back to (part, row).
    const total = parts.reduce((sum, p) => sum + p.rows, 0);
    const groupOf = new Int32Array(total);
    const values = new Float64Array(total);
    let at = 0;
    for (const part of parts) {
      groupOf.set(part.groupOf, at);
      values.set(part.column.values, at);
      at += part.rows;
    }
    const whole = topRowsPerGroupByNumber(
      groupOf,
      groups,
      total,
      limit,
      { type: 'f64', values },
      ascending,
      false,
      base,
    );
    let from = 0;
    const expected = parts.map((part) => {
      const own = [...whole].filter((row) => row >= from && row < from + part.rows).map((row) => row - from);
      from += part.rows;
      return own;
    });
    assert.deepStrictEqual(
      kept.map((rows) => [...rows]),
      expected,
      what,
    );
    // `order` lists the kept rows, concatenated part after part, in window order: by group, then by key in the
    // sort's direction, ties in their concatenated order (a stable sort's).
    const listed = parts.flatMap((part, p) =>
      [...kept[p]!].map((row) => ({ group: part.groupOf[row]!, key: part.column.values[row]! })),
    );
    const windowOrder = listed
      .map((row, at) => ({ ...row, at }))
      .sort((a, b) => a.group - b.group || (ascending ? a.key - b.key : b.key - a.key) || a.at - b.at)
      .map(({ at }) => at);
    assert.deepStrictEqual([...top.order], windowOrder, what);
  }
});

test('top rows of parts with a null, NaN or +Infinity order key are left to the concatenated path', () => {
  const part = (column: TopRowsPart['column']): TopRowsPart => ({ rows: 2, groupOf: Int32Array.of(0, 1), column });
  const plain = part({ type: 'f64', values: Float64Array.of(1, 2) });
  for (const odd of [
    part({ type: 'f64', values: Float64Array.of(1, NaN) }),
    part({ type: 'f64', values: Float64Array.of(1, 2), valid: Uint8Array.of(1, 0) }),
    part({ type: 'f64', values: Float64Array.of(-Infinity, 2) }),
  ]) {
    assert.equal(topRowsPerGroupOfParts([plain, odd], 2, 2, false), null);
  }
  assert.notEqual(topRowsPerGroupOfParts([plain, plain], 2, 2, false), null);
});
