// Held key tuples packed into fewer 32-bit words (packed-code-tuples.ts, radix-tuple-groups.ts) group exactly as the
// same tuples held one array per column: the same groups, ids, part order, hashes and group codes, so a reduce
// side's answer and its row order do not change. Code widths at the packing limits (a word filled to its 32 bits, a
// 31-bit column), codes that widen from chunk to chunk (earlier chunks repacked), codes that stop fitting mid-task
// (every chunk held unpacked), many equal tuples. Then the coder end to end: strings, int32
// extremes, negative numbers, NaN and nulls held and grouped, each row's group decoding to its own key tuple.
// Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column } from '../../../src/executor/columnar/batches/batch.js';
import { CodedTupleKeys } from '../../../src/executor/columnar/kernels/coded-tuple-keys.js';
import { unpackedCodes } from '../../../src/executor/columnar/kernels/packed-code-tuples.js';
import { HeldTupleRows, type PartitionedGroups } from '../../../src/executor/columnar/kernels/radix-tuple-groups.js';
import { PARTITIONED_ROWS_MIN } from '../../../src/executor/columnar/grouping/held-rows-reduce.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('packed-held-tuples-group-as-unpacked-ones');

/** Per chunk: its rows and each column's code count (counts never shrink from chunk to chunk). */
interface ChunkSpec {
  readonly rows: number;
  readonly counts: readonly number[];
}

/** Chunks of codes below their counts: often the extremes (0, count - 1), often a tuple of an earlier row again. */
function randomChunks(rng: Rng, specs: readonly ChunkSpec[]): Int32Array[][] {
  const seen: number[][] = [];
  const codes = specs.map(({ rows, counts }) => {
    const chunk = counts.map(() => new Int32Array(rows));
    for (let i = 0; i < rows; i++) {
      const again = seen.length > 0 && rng.nextInt(3) === 0 ? seen[rng.nextInt(seen.length)]! : null;
      const tuple = counts.map((count, c) => {
        if (again !== null) return again[c]!;
        const pick = rng.nextInt(4);
        return pick === 0 ? 0 : pick === 1 ? count - 1 : rng.nextInt(count);
      });
      tuple.forEach((code, c) => (chunk[c]![i] = code));
      if (seen.length < 5000) seen.push(tuple);
    }
    return chunk;
  });
  return codes;
}

/** The chunks held (packed or not), then grouped; and the words per tuple while held. */
function groupHeld(
  pack: boolean,
  specs: readonly ChunkSpec[],
  codes: readonly Int32Array[][],
): { grouped: PartitionedGroups; words: (number | null)[] } {
  const held = new HeldTupleRows(specs[0]!.counts.length, pack);
  const words = specs.map((spec, k) => {
    held.append(codes[k]!, spec.counts, spec.rows);
    return held.packedWords;
  });
  return { grouped: held.group(), words };
}

const SCENARIOS: { name: string; specs: ChunkSpec[]; words: (number | null)[] }[] = [
  {
    name: "q10's widths (7, 7, 17, 7, 7, 17 bits: two words)",
    specs: [3000, 5000, 4000].map((rows) => ({ rows, counts: [101, 100, 100_001, 100, 101, 100_000] })),
    words: [2, 2, 2],
  },
  {
    name: 'a word filled to its 32 bits (16 + 16, then 16)',
    specs: [{ rows: 9000, counts: [1 << 16, 1 << 16, 1 << 16] }],
    words: [2],
  },
  {
    name: 'a 31-bit column beside a 1-bit one, and a column of one code (0 bits)',
    specs: [{ rows: 6000, counts: [2 ** 31, 2, 1, 5] }],
    words: [2],
  },
  {
    name: 'codes widening chunk after chunk (earlier chunks repacked)',
    specs: [
      { rows: 2000, counts: [3, 1, 4, 2] },
      { rows: 3000, counts: [300, 1, 70_000, 2] },
      { rows: 500, counts: [300, 1, 70_000, 2] },
      { rows: 4000, counts: [5000, 9, 1 << 20, 2] },
    ],
    words: [1, 1, 1, 2],
  },
  {
    name: 'codes that stop fitting mid-task (every chunk then held unpacked)',
    specs: [
      { rows: 3000, counts: [1 << 12, 1 << 12, 1 << 12, 1 << 12] },
      { rows: 3000, counts: [1 << 12, 1 << 12, 1 << 12, 1 << 12] },
      { rows: 3000, counts: [1 << 20, 1 << 20, 1 << 20, 1 << 20] },
      { rows: 3000, counts: [1 << 20, 1 << 20, 1 << 20, 1 << 20] },
    ],
    words: [2, 2, null, null],
  },
  {
    name: 'one column (nothing to save)',
    specs: [{ rows: 5000, counts: [1000] }],
    words: [null],
  },
];

for (const scenario of SCENARIOS) {
  test(`packed held tuples group as unpacked ones: ${scenario.name}`, () => {
    const rng = new Rng(seed);
    const codes = randomChunks(rng, scenario.specs);
    const packed = groupHeld(true, scenario.specs, codes);
    const plain = groupHeld(false, scenario.specs, codes);
    const at = `SEED=${seed}`;
    assert.deepEqual(packed.words, scenario.words, `${at}: words per tuple while held`);
    assert.ok(
      plain.words.every((w) => w === null),
      at,
    );
    const a = packed.grouped;
    const b = plain.grouped;
    assert.equal(a.groups, b.groups, `${at}: groups`);
    assert.ok(a.groups < codes.reduce((n, chunk) => n + chunk[0]!.length, 0), `${at}: no tuple met twice`);
    assert.deepEqual(a.positions, b.positions, `${at}: part order`);
    assert.deepEqual(a.ids, b.ids, `${at}: group ids`);
    assert.deepEqual(a.hashes, b.hashes, `${at}: group hashes`);
    a.groupCodes.forEach((column, c) =>
      assert.deepEqual(
        unpackedCodes(column, a.groups),
        unpackedCodes(b.groupCodes[c]!, b.groups),
        `${at}: group codes of column ${c}`,
      ),
    );
  });
}

type Value = string | number | null;

/**
 * Four key columns of rows: strings, int32 (extremes, negatives), float64 (NaN, -0) and int32 whose values widen to
 * ~2^17 distinct from row `wideFrom` on, each with nulls.
 */
function keyRows(rng: Rng, rows: number, wideFrom: number): { columns: Column[]; tuples: Value[][] } {
  const text = new TextEncoder();
  const strings = ['', 'id001', 'é😀', 'a\u0000b', 'id0000000042'];
  const encoded: Uint8Array[] = [];
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  const ints = new Int32Array(rows);
  const floats = new Float64Array(rows);
  const wide = new Int32Array(rows);
  const valid = [0, 1, 2, 3].map(() => new Uint8Array(rows));
  const tuples: Value[][] = [];
  let bytes = 0;
  for (let r = 0; r < rows; r++) {
    const maybe = <T>(value: T): T | null => (rng.nextInt(11) === 0 ? null : value);
    const s = maybe(strings[rng.nextInt(strings.length)]!);
    const i = maybe([-(2 ** 31), 2 ** 31 - 1, -1, 0, 7][rng.nextInt(5)]!);
    const f = maybe([NaN, -0, 0.5, -1e300][rng.nextInt(4)]!);
    const w = maybe(r < wideFrom ? rng.nextInt(40) - 20 : rng.nextInt(1 << 17) - (1 << 16));
    encoded.push(text.encode(s ?? ''));
    starts[r] = bytes;
    bytes += encoded[r]!.length;
    ends[r] = bytes;
    ints[r] = i ?? 99;
    floats[r] = f ?? 99;
    wide[r] = w ?? 99;
    [s, i, f, w].forEach((value, c) => (valid[c]![r] = value === null ? 0 : 1));
    tuples.push([s, i, f === null ? null : Object.is(f, -0) ? 0 : f, w]);
  }
  const arena = new Uint8Array(bytes);
  encoded.forEach((part, r) => arena.set(part, starts[r]));
  const columns: Column[] = [
    { type: 'utf8', bytes: arena, starts, ends, valid: valid[0] },
    { type: 'i32', values: ints, valid: valid[1] },
    { type: 'f64', values: floats, valid: valid[2] },
    { type: 'i32', values: wide, valid: valid[3] },
  ];
  return { columns, tuples };
}

/** Row `r` of a decoded key column. */
function valueAt(column: Column, r: number): Value {
  if (column.valid !== undefined && column.valid[r] === 0) return null;
  if (column.type === 'utf8') return new TextDecoder().decode(column.bytes.subarray(column.starts[r], column.ends[r]));
  return (column as { values: ArrayLike<number> }).values[r]!;
}

for (const wideFrom of [Infinity, 20_000]) {
  test(`held rows of strings, int32 extremes, NaN and nulls group by their tuples (widening from row ${wideFrom})`, () => {
    const rng = new Rng(seed);
    const rows = PARTITIONED_ROWS_MIN / 2;
    const { columns, tuples } = keyRows(rng, rows, wideFrom);
    const coded = new CodedTupleKeys(['utf8', 'number', 'number', 'number'], 4096);
    const typeChange = () => new Error('no type change here');
    for (let from = 0; from < rows; from += 4096) coded.hold(columns, from, Math.min(rows, from + 4096), typeChange);
    const grouped = coded.groupHeld();
    const keys = coded.decode(grouped.groups);
    const groupOf = new Map<string, number>();
    for (let r = 0; r < rows; r++) {
      const g = grouped.ids[grouped.positions[r]!]!;
      const tuple = JSON.stringify(tuples[r], (_, v: unknown) => (Number.isNaN(v) ? 'NaN' : v));
      const decoded = JSON.stringify(
        keys.map((column) => valueAt(column, g)),
        (_, v: unknown) => (Number.isNaN(v) ? 'NaN' : v),
      );
      assert.equal(decoded, tuple, `SEED=${seed}: row ${r}'s group ${g}`);
      assert.equal(groupOf.get(tuple) ?? g, g, `SEED=${seed}: row ${r}'s tuple in two groups`);
      groupOf.set(tuple, g);
    }
    assert.equal(grouped.groups, groupOf.size, `SEED=${seed}: groups`);
  });
}
