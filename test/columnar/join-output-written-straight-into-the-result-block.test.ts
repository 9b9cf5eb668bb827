// A join's collected result is written from the row pairs straight into the result block (join-output.ts,
// `joinPartsBlock`), not through gathered batches. On seeded random sides with nulls in keys and values, every
// column type (strings short, long and back to back), several probe batches (one empty), unique and repeated build
// keys, every join type and both build sides: the block holds exactly the rows of the gathered batches' block
// (`hashJoin` + `blockOfBatches`, in the same order), and the same rows as a plain-JS nested-loop model.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { JoinSpec, JoinType } from '../../src/protocol/columnar.js';
import type { Batch, Column } from '../../src/executor/columnar/batch.js';
import { blockOfBatches } from '../../src/executor/columnar/blocks.js';
import { hashJoin, joinParts } from '../../src/executor/columnar/hash-join.js';
import { joinPartsBlock } from '../../src/executor/columnar/join-output.js';
import { decodeBlock } from '../../src/storage/block-reader.js';
import { canonical, Rng, testSeed } from './random-rows.js';

const seed = testSeed('join-output-written-straight-into-the-result-block');
const rng = new Rng(seed);

type Row = Record<string, unknown>;

/** A column of `values` (null = a null row) of `type`, built as kernels build them. */
function column(type: Column['type'], values: readonly unknown[]): Column {
  const n = values.length;
  const valid = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : undefined;
  if (type === 'utf8') {
    const encoded = values.map((v) => new TextEncoder().encode(v === null ? '' : (v as string)));
    const bytes = new Uint8Array(encoded.reduce((s, e) => s + e.length, 0));
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    let at = 0;
    // Rows in order, back to back (as a block's column): runs of following rows copy as one.
    encoded.forEach((e, i) => {
      bytes.set(e, at);
      starts[i] = at;
      at += e.length;
      ends[i] = at;
    });
    return { type, bytes, starts, ends, valid };
  }
  const number = (v: unknown) => (v === null ? 0 : (v as number));
  switch (type) {
    case 'i32':
      return { type, values: Int32Array.from(values, number), valid };
    case 'date':
      return { type, values: Int32Array.from(values, number), valid };
    case 'f64':
      return { type, values: Float64Array.from(values, number), valid };
    case 'i64':
      return { type, values: BigInt64Array.from(values, (v) => (v === null ? 0n : (v as bigint))), valid };
    case 'bool':
      return { type, values: Uint8Array.from(values, (v) => (v === true ? 1 : 0)), valid };
    case 'timestamp':
      return { type, values: Float64Array.from(values, number), unit: 'ms', zone: 'UTC', valid };
  }
}

const maybeNull = <T>(value: T): T | null => (rng.nextInt(5) === 0 ? null : value);

function text(): string {
  const long = rng.nextInt(6) === 0;
  return `${long ? 'x'.repeat(70) : ''}${['', 'a', 'é', 'bc'][rng.nextInt(4)]}${rng.nextInt(50)}`;
}

interface Side {
  readonly batches: Batch[];
  readonly rows: Row[];
}

/** `counts` batches of rows with key `k` and the payload columns of `side` ('l' or 'r'). */
function makeSide(name: 'l' | 'r', counts: readonly number[], uniqueKeys: boolean, f64AsI32 = false): Side {
  const batches: Batch[] = [];
  const rows: Row[] = [];
  let next = 0;
  counts.forEach((count, b) => {
    const part: Row[] = Array.from({ length: count }, () => {
      const k = uniqueKeys ? next++ : maybeNull(rng.nextInt(12));
      return name === 'l'
        ? { k, ls: maybeNull(text()), lf: maybeNull(rng.nextInt(1000) / 8), lb: maybeNull(rng.nextInt(2) === 0) }
        : {
            k,
            rs: maybeNull(text()),
            ri: maybeNull(BigInt(rng.nextInt(1e6)) * 1_000_000_007n),
            rd: maybeNull(rng.nextInt(20000)),
            rt: maybeNull(rng.nextInt(1e9)),
          };
    });
    const types: Record<string, Column['type']> =
      name === 'l'
        ? { k: 'i32', ls: 'utf8', lf: f64AsI32 && b === 0 ? 'i32' : 'f64', lb: 'bool' }
        : { k: 'i32', rs: 'utf8', ri: 'i64', rd: 'date', rt: 'timestamp' };
    const names = Object.keys(types);
    const values = (n: string) =>
      part.map((r) => (types[n] === 'i32' && n === 'lf' && r[n] !== null ? Math.round(r[n] as number) : r[n]));
    batches.push({ rows: count, names, columns: names.map((n) => column(types[n]!, values(n))) });
    for (const r of part) rows.push({ ...r, ...(types['lf'] === 'i32' ? { lf: values('lf')[part.indexOf(r)] } : {}) });
  });
  return { batches, rows };
}

/** SQL's joins as nested loops over rows (a null key matches nothing). */
function model(how: JoinType, left: readonly Row[], right: readonly Row[]): Row[] {
  const matches = (l: Row, r: Row) => how === 'cross' || (l['k'] !== null && l['k'] === r['k']);
  const nullsOf = (row: Row) => Object.fromEntries(Object.keys(row).map((k) => [k, null]));
  if (how === 'semi' || how === 'anti')
    return left.filter((l) => right.some((r) => matches(l, r)) === (how === 'semi'));
  const out: Row[] = [];
  const rightNulls = nullsOf(right[0]!);
  const leftNulls = nullsOf(left[0]!);
  for (const l of left) {
    const found = right.filter((r) => matches(l, r));
    for (const r of found) out.push({ ...r, ...l });
    if (found.length === 0 && (how === 'left' || how === 'full')) out.push({ ...rightNulls, ...l });
  }
  if (how === 'right' || how === 'full') {
    for (const r of right) if (!left.some((l) => matches(l, r))) out.push({ ...leftNulls, ...r });
  }
  return out;
}

/** Rows comparable across the block and the model: bigints and dates as text, keys sorted. */
function comparable(rows: readonly Row[]): string[] {
  return canonical(
    rows.map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => {
            const v = row[k];
            if (typeof v === 'bigint') return [k, v.toString()];
            if (v instanceof Date) return [k, v.getTime()];
            return [k, v === undefined ? null : v];
          }),
      ),
    ),
  );
}

/** The model's date (days) and timestamp (ms) columns as the block decodes them. */
function asDecoded(rows: readonly Row[]): Row[] {
  return rows.map((row) => ({
    ...row,
    ...('rd' in row ? { rd: row['rd'] === null ? null : new Date((row['rd'] as number) * 86_400_000) } : {}),
    ...('rt' in row ? { rt: row['rt'] === null ? null : new Date(row['rt'] as number) } : {}),
  }));
}

/** A cross join's sides share no column: the right's `k` becomes `rk`. */
function renameKey(side: Side, rename: boolean): Side {
  if (!rename) return side;
  return {
    batches: side.batches.map((b) => ({ ...b, names: b.names.map((n) => (n === 'k' ? 'rk' : n)) })),
    rows: side.rows.map(({ k, ...rest }) => ({ rk: k, ...rest })),
  };
}

const HOWS: readonly JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti', 'cross'];

for (const how of HOWS) {
  for (const build of ['right', 'left'] as const) {
    if ((how === 'left' || how === 'semi' || how === 'anti') && build === 'left') continue; // the planner never does
    if (how === 'right' && build === 'right') continue;
    for (const unique of [false, true]) {
      test(`${how} join, build ${build}, ${unique ? 'unique' : 'repeated'} build keys (seed ${seed})`, () => {
        const small = how === 'cross';
        const left = makeSide('l', small ? [7, 0, 5] : [60, 0, 45, 80], build === 'left' && unique);
        const right = renameKey(makeSide('r', small ? [4, 3] : [30, 25], build === 'right' && unique), small);
        const spec: JoinSpec = {
          how,
          leftKeys: how === 'cross' ? [] : ['k'],
          rightKeys: how === 'cross' ? [] : ['k'],
          build,
          strategy: 'shuffled-hash',
        };
        const gathered = decodeBlock(blockOfBatches([...hashJoin(spec, left.batches, right.batches)])) as Row[];
        const parts = [...joinParts(spec, left.batches, right.batches)];
        assert.ok(parts.length >= 2, 'several parts, so the block writes them back to back');
        const block = joinPartsBlock(spec, parts);
        const written = decodeBlock(block) as Row[];
        assert.deepEqual(written, gathered);
        assert.deepEqual(comparable(written), comparable(asDecoded(model(how, left.rows, right.rows))));
      });
    }
  }
}

test(`parts whose columns differ in type are concatenated, with the same rows (seed ${seed})`, () => {
  const left = makeSide('l', [40, 50], false, true);
  const right = makeSide('r', [30], false);
  const spec: JoinSpec = { how: 'left', leftKeys: ['k'], rightKeys: ['k'], build: 'right', strategy: 'shuffled-hash' };
  const written = decodeBlock(joinPartsBlock(spec, [...joinParts(spec, left.batches, right.batches)])) as Row[];
  assert.deepEqual(written, decodeBlock(blockOfBatches([...hashJoin(spec, left.batches, right.batches)])));
  assert.deepEqual(comparable(written), comparable(asDecoded(model('left', left.rows, right.rows))));
});

test('a join of no output rows writes the empty block the gathered path writes', () => {
  const left = makeSide('l', [5], false);
  const right = makeSide('r', [0], false);
  const spec: JoinSpec = { how: 'inner', leftKeys: ['k'], rightKeys: ['k'], build: 'right', strategy: 'shuffled-hash' };
  const block = joinPartsBlock(spec, [...joinParts(spec, left.batches, right.batches)]);
  const gathered = blockOfBatches([...hashJoin(spec, left.batches, right.batches)]);
  assert.equal(block.rows, 0);
  assert.deepEqual(block.columns, gathered.columns);
});
