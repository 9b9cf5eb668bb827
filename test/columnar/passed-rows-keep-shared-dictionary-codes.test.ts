// A map task that passes its rows through (q10: nearly every key tuple new) sends its cached partitions' string
// columns to the shuffle with the dataset's shared dictionary laid out once and the rows' shared codes as they are,
// also when a partition among them was written plain (too few rows for its distinct strings) or kept a dictionary of
// its own (the shared one past what it may hold): then the reduce side maps the shared strings once for all its
// chunks. The groups the map task made before passing rows through leave coded into the same dictionary. Checked on
// the chunks (seeded sources: shared prefixes, plain and own dictionaries mixed, nulls, empty and multi-byte
// strings), on a map task's groups, and end to end: a groupBy over a cached table whose partitions mix all three
// answers as a plain Map model, with the shuffle in memory and spilled, and with a map task lost and recomputed.
// SEED= replays a run.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import type { Batch, Column, Utf8Column } from '../../src/executor/columnar/batches/batch.js';
import { blockToBatch } from '../../src/executor/columnar/batches/blocks.js';
import { dictionaryColumn, dictionaryOf } from '../../src/executor/columnar/batches/dictionary-column.js';
import { CodedTupleKeys } from '../../src/executor/columnar/kernels/coded-tuple-keys.js';
import { Context, count, sum, type Row } from '../../src/index.js';
import { readMapOutputRows } from '../../src/storage/map-outputs/map-output-reader.js';
import { freshTmpDir } from '../spill/spill-helpers.js';
import { randomMapOutput } from './random-map-output.js';
import { assertGroupsEqual, KeyedGroups, Rng, rowTuples, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('passed-rows-keep-shared-dictionary-codes');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The dataset's shared dictionary: tricky words first, then more, each once. */
function sharedWords(rng: Rng, size: number): string[] {
  const words = new Set<string>(TRICKY_WORDS.filter(() => rng.nextInt(2) === 0));
  for (let i = 0; words.size < size; i++) words.add(`s${i}·ü${rng.nextInt(9)}`);
  return [...words].slice(0, size);
}

/** A dictionary-read column over `words` (in its own buffers, as a block of its own holds it) with rows `values`. */
function codedColumn(words: readonly string[], values: readonly (string | null)[]): Utf8Column {
  const parts = words.map((w) => encoder.encode(w));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, c) => (offsets[c + 1] = offsets[c]! + p.length));
  const bytes = new Uint8Array(offsets[parts.length]!);
  parts.forEach((p, c) => bytes.set(p, offsets[c]!));
  const codeOf = new Map(words.map((w, c) => [w, c]));
  const codes = Int32Array.from(values, (s) => (s === null ? 0 : codeOf.get(s)!));
  return dictionaryColumn(bytes, offsets, parts.length, codes, validOf(values));
}

function plainColumn(values: readonly (string | null)[]): Utf8Column {
  const parts = values.map((s) => encoder.encode(s ?? ''));
  const starts = new Int32Array(values.length);
  const ends = new Int32Array(values.length);
  let at = 0;
  parts.forEach((p, i) => ((starts[i] = at), (at += p.length), (ends[i] = at)));
  const bytes = new Uint8Array(at);
  parts.forEach((p, i) => bytes.set(p, starts[i]!));
  return { type: 'utf8', bytes, starts, ends, valid: validOf(values) };
}

function validOf(values: readonly (string | null)[]): Uint8Array | undefined {
  return values.includes(null) ? Uint8Array.from(values, (s) => (s === null ? 0 : 1)) : undefined;
}

function stringsOf(column: Column, rows: number): (string | null)[] {
  const { bytes, starts, ends, valid } = column as Utf8Column;
  return Array.from({ length: rows }, (_, i) =>
    valid !== undefined && valid[i] === 0 ? null : decoder.decode(bytes.subarray(starts[i]!, ends[i]!)),
  );
}

/** The strings of a dictionary-read column's dictionary, in code order. */
function dictionaryStrings(column: Column): (string | null)[] {
  const { offsets, size } = dictionaryOf(column)!;
  const bytes = (column as Utf8Column).bytes;
  return stringsOf({ type: 'utf8', bytes, starts: offsets, ends: offsets.subarray(1) }, size);
}

/** A map task's source batch: a shared dictionary's prefix, a plain partition's strings, or a dictionary of its own. */
interface Source {
  readonly kind: 'shared' | 'plain' | 'own';
  readonly values: (string | null)[];
  readonly batch: Batch;
  /** Per row, its code in the shared dictionary (shared sources; -1 for null rows). */
  readonly sharedCodes: Int32Array;
}

function randomSource(rng: Rng, kind: Source['kind'], shared: readonly string[], rows: number): Source {
  const nulls = rng.nextInt(3);
  const prefix = 1 + rng.nextInt(shared.length);
  const own = Array.from({ length: 1 + rng.nextInt(40) }, (_, i) => `o${i}·${rng.nextInt(5)}`);
  const pick = (): string =>
    kind === 'shared'
      ? shared[rng.nextInt(prefix)]!
      : kind === 'own'
        ? own[rng.nextInt(own.length)]!
        : rng.nextInt(2) === 0
          ? shared[rng.nextInt(shared.length)]!
          : `p${rng.nextInt(100_000)}`;
  const values = Array.from({ length: rows }, () => (nulls > 0 && rng.nextInt(nulls * 5) === 0 ? null : pick()));
  const column =
    kind === 'plain'
      ? plainColumn(values)
      : codedColumn(kind === 'shared' ? shared.slice(0, prefix) : [...new Set(own)], values);
  const codeOf = new Map(shared.map((w, c) => [w, c]));
  const sharedCodes = Int32Array.from(values, (s) => (kind === 'shared' && s !== null ? codeOf.get(s)! : -1));
  return { kind, values, batch: { rows, names: ['s'], columns: [column] }, sharedCodes };
}

test("a chunk of passed rows carries the shared dictionary once and the rows' shared codes", () => {
  const rng = new Rng(seed);
  let checked = 0;
  for (let round = 0; round < 60; round++) {
    const shared = sharedWords(rng, 5 + rng.nextInt(60));
    // Shared-prefix partitions (their own buffers each, as cached blocks), then maybe a plain one and an own one.
    const kinds: Source['kind'][] = Array.from({ length: 1 + rng.nextInt(4) }, () => 'shared');
    if (rng.nextInt(3) !== 0) kinds.push('plain');
    if (rng.nextInt(3) === 0) kinds.push('own');
    const sources = kinds.map((kind) => randomSource(rng, kind, shared, kind === 'plain' ? rng.nextInt(200) : 1000));
    const partitions = 1 + rng.nextInt(3);
    const { ref, rowsOf } = randomMapOutput(
      rng,
      sources.map((s) => s.batch),
      partitions,
      null,
    );
    for (let p = 0; p < partitions; p++) {
      const what = `SEED=${seed}, round ${round} (${kinds.join(', ')}), partition ${p}`;
      const rows = rowsOf[p]!;
      const read = readMapOutputRows(ref, p, false, () => what);
      if (rows.length === 0) continue;
      const batch = blockToBatch(read!.block, 'test', false, read!.start, read!.end);
      const column = batch.columns[0]!;
      const expected = rows.map(({ from, row }) => sources[from]!.values[row]!);
      assert.deepStrictEqual(stringsOf(column, batch.rows), expected, what);
      const view = dictionaryOf(column);
      if (expected.every((s) => s === null)) continue;
      assert.ok(view !== undefined, `${what}: dictionary-coded`);
      // The dictionaries (the shared one stands for its prefixes) and the plain rows fit the chunk's rows: sent whole.
      const ownSize = sources.find((s) => s.kind === 'own')?.batch.columns[0] as Utf8Column | undefined;
      const longest = Math.max(
        ...sources.filter((s) => s.kind === 'shared').map((s) => dictionaryOf(s.batch.columns[0]!)!.size),
      );
      const plainRows = rows.filter(({ from }) => sources[from]!.kind === 'plain').length;
      if (longest + (ownSize === undefined ? 0 : dictionaryOf(ownSize)!.size) + plainRows > rows.length) continue;
      // Every shared row's code is its shared code moved by one offset, past which the shared strings sit in order.
      let first = -1;
      rows.forEach(({ from, row }, i) => {
        const code = sources[from]!.sharedCodes[row]!;
        if (code < 0) return;
        if (first < 0) first = view.codes[i]! - code;
        assert.equal(view.codes[i], first + code, `${what}: row ${i}'s code`);
      });
      if (first >= 0) {
        const strings = dictionaryStrings(column).slice(first, first + longest);
        assert.deepStrictEqual(strings, shared.slice(0, longest), `${what}: strings`);
        checked++;
      }
    }
  }
  assert.ok(checked > 20, `shared codes checked in ${checked} chunks (SEED=${seed})`);
});

test("a map task's groups leave coded into the block dictionary their strings came from", () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 30; round++) {
    const shared = sharedWords(rng, 10 + rng.nextInt(300));
    const what = `SEED=${seed}, round ${round}`;
    const coded = new CodedTupleKeys(['utf8', 'number'], 4096);
    const ids = new Int32Array(4096);
    const typeChange = (c: number, found: string) => new Error(`${what}: column ${c} is ${found}`);
    // Two slices of partitions whose dictionaries are growing prefixes of the shared one (a map task's cached
    // partitions), with nulls; the groups' strings then name the longer dictionary.
    const sizes = [1 + rng.nextInt(shared.length), shared.length].sort((a, b) => a - b);
    const expected: string[] = [];
    let groups = 0;
    for (const size of sizes) {
      const rows = 1 + rng.nextInt(4000);
      const values = Array.from({ length: rows }, () => (rng.nextInt(10) === 0 ? null : shared[rng.nextInt(size)]!));
      const k = Float64Array.from({ length: rows }, () => rng.nextInt(3));
      const column = codedColumn(shared.slice(0, size), values);
      groups = coded.assign([column, { type: 'f64', values: k }], 0, rows, ids, typeChange);
      for (let i = 0; i < rows; i++) {
        const key = JSON.stringify([values[i], k[i]]);
        if (!expected.includes(key)) expected.push(key);
      }
    }
    const plainKeys = coded.decode(groups, false);
    const [strings, numbers] = coded.decode(groups, true, [], true);
    const k = (numbers as { values: ArrayLike<number> }).values;
    const tuples = stringsOf(strings!, groups).map((s, g) => JSON.stringify([s, k[g]]));
    assert.deepStrictEqual(tuples.sort(), [...expected].sort(), what);
    assert.deepStrictEqual(stringsOf(strings!, groups), stringsOf(plainKeys[0]!, groups), what);
    assert.deepStrictEqual(dictionaryStrings(strings!), shared.slice(0, sizes[1]), `${what}: the block's dictionary`);
    // A plain batch after them: the table holds strings of no block dictionary, so the groups keep the table's.
    const more = plainColumn(['fresh·ü', null, shared[0]!]);
    groups = coded.assign([more, { type: 'f64', values: new Float64Array(3) }], 0, 3, ids, typeChange);
    const [after] = coded.decode(groups, true, [], true);
    const afterPlain = coded.decode(groups, false)[0]!;
    assert.deepStrictEqual(stringsOf(after!, groups), stringsOf(afterPlain, groups), `${what}: after a plain batch`);
    assert.ok(dictionaryStrings(after!).includes('fresh·ü'), `${what}: the table's strings`);
  }
});

// End to end: a cached CSV whose string column `b` codes into the shared dictionary in most partitions, keeps a
// dictionary of its own in one whose new strings would take the shared one past a quarter of its rows, and is
// written plain in one (nearly every string new); `k` makes nearly every key tuple new, so the map tasks pass their
// rows through, as q10's.
const ROWS = 240_000;
const PARTITIONS = 6;

interface Table {
  readonly csv: string;
  readonly rows: { a: string | null; b: string | null; k: number; v: number }[];
}

function table(): Table {
  const rng = new Rng(seed);
  const words = TRICKY_WORDS.filter((w) => w !== '' && !/[\r\n",]/.test(w));
  const lines = ['a,b,k,v'];
  const rows: Table['rows'] = [];
  for (let i = 0; i < ROWS; i++) {
    const part = Math.floor((i * PARTITIONS) / ROWS);
    const a = rng.nextInt(12) === 0 ? null : words[rng.nextInt(words.length)]!;
    // Map task 0 reads partitions 0–2 (shared, shared, plain), map task 1 partitions 3–5 (own, shared, shared).
    const b =
      rng.nextInt(15) === 0
        ? null
        : part === 2
          ? `d${rng.nextInt(1_000_000)}`
          : part === 3
            ? `c${rng.nextInt(9000)}`
            : `b${rng.nextInt(3000)}·ü`;
    const k = rng.nextInt(1_000_000);
    const v = rng.nextInt(1000);
    rows.push({ a, b, k, v });
    lines.push(`${a ?? ''},${b ?? ''},${k},${v}`);
  }
  return { csv: `${lines.join('\n')}\n`, rows };
}

/** Per key tuple (a, b, k): its count and sum of v. */
function model({ rows }: Table): KeyedGroups<[number, number]> {
  const groups = new KeyedGroups<[number, number]>(3);
  for (const { a, b, k, v } of rows) {
    const g = groups.group([a, b, k], () => [0, 0]);
    g[0]++;
    g[1] += v;
  }
  return groups;
}

/** The answer's rows as `[a, b, k, count, v]`, each checked to have exactly those columns. */
function tuples(rows: readonly Row[], what: string): unknown[][] {
  return rowTuples(rows, ['a', 'b', 'k', 'count', 'v'], what);
}

test('groupBy over passed rows of shared, own and plain partitions answers as the model, a map task recomputed', async () => {
  const t = table();
  const expected = model(t);
  for (const spill of [false, true]) {
    const dir = freshTmpDir();
    const kc = new Context({ threads: 2, tmpDir: dir, ...(spill ? { shuffleMemoryBytesMax: 0 } : {}) });
    try {
      const path = join(dir, 'table.csv');
      writeFileSync(path, t.csv);
      const schema = { a: 'string', b: 'string', k: 'int', v: 'int' } as const;
      const ds = kc.read.csv(path, { header: true, schema, minPartitions: PARTITIONS }).cache();
      assert.equal(await ds.count(), ROWS);
      const query = () => ds.groupBy('a', 'b', 'k').agg(count(), sum('v').as('v')).collect();
      const what = `SEED=${seed}, ${spill ? 'spilled' : 'in memory'}`;
      assertGroupsEqual(tuples(await query(), what), expected, (g) => g, what);
      // Map task 1 loses an output block: it is recomputed from the cache, and the reduce reads its new chunks.
      kc.setFaults({ seed, rules: [{ kind: 'lose-block', partition: 1, attempt: 0 }] });
      try {
        const recomputed = `${what}, a map task recomputed`;
        assertGroupsEqual(tuples(await query(), recomputed), expected, (g) => g, recomputed);
      } finally {
        kc.setFaults(null);
      }
      assert.equal(kc.lastJobMetrics!.recomputedPartitions, 1, `${what}: recomputed`);
    } finally {
      await kc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
