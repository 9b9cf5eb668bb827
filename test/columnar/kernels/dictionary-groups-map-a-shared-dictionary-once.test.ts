// Blocks whose dictionaries are prefixes of one shared dictionary (a cached dataset's partitions, shuffle chunks
// that begin with one: shared-dictionary-codes.ts) keep their strings' groups from block to block
// (dictionary-groups.ts): each string is looked up in the group table once per aggregation, not once per block.
// The group ids equal a Map model's (first row first, one null group) for every row, also when a block of another
// dictionary, or one that begins with the shared strings and goes on with others, comes between. And code order (a
// map task's groups taken to be the codes) goes on across such blocks without a table. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import { dictionaryColumn, dictionaryOf } from '../../../src/executor/columnar/batches/dictionary-column.js';
import { DictionaryGroups } from '../../../src/executor/columnar/grouping/dictionary-groups.js';
import { ByteKeyTable } from '../../../src/executor/columnar/kernels/byte-key-table.js';
import { Rng } from '../../../src/common/rng.js';
import { testSeed, TRICKY_WORDS } from '../random-rows.js';

const seed = testSeed('dictionary-groups-map-a-shared-dictionary-once');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A group table that counts its lookups. */
class CountingTable extends ByteKeyTable {
  lookups = 0;
  override findOrInsert(bytes: Uint8Array, start: number, end: number, hash: number): number {
    this.lookups++;
    return super.findOrInsert(bytes, start, end, hash);
  }
}

/** A block of `rows` rows over `strings` (a dictionary in fresh buffers), codes drawn by `code`, 1 in `nullEvery` null. */
function block(strings: readonly string[], rows: number, code: (r: number) => number, nullEvery: number): Utf8Column {
  const encoded = strings.map((s) => encoder.encode(s));
  const offsets = new Int32Array(strings.length + 1);
  encoded.forEach((s, c) => (offsets[c + 1] = offsets[c]! + s.length));
  const bytes = new Uint8Array(offsets[strings.length]!);
  encoded.forEach((s, c) => bytes.set(s, offsets[c]!));
  const codes = new Int32Array(rows);
  const valid = nullEvery > 0 ? new Uint8Array(rows).fill(1) : undefined;
  for (let r = 0; r < rows; r++) {
    if (valid !== undefined && r % nullEvery === nullEvery - 1) valid[r] = 0;
    else codes[r] = code(r);
  }
  return dictionaryColumn(bytes, offsets, strings.length, codes, valid);
}

/** The key of row r of a dictionary-read column (null for a null row). */
function keyOf(column: Utf8Column, r: number): string | null {
  if (column.valid?.[r] === 0) return null;
  const { codes, offsets } = dictionaryOf(column)!;
  return decoder.decode(column.bytes.subarray(offsets[codes[r]!]!, offsets[codes[r]! + 1]!));
}

/** The codes the valid rows of a dictionary-read column name. */
function namedCodes(column: Utf8Column): Set<number> {
  const { codes } = dictionaryOf(column)!;
  const named = new Set<number>();
  for (let r = 0; r < codes.length; r++) if (column.valid?.[r] !== 0) named.add(codes[r]!);
  return named;
}

/** Assigns groups to `blocks` in slices of `slice` rows, checking every row's id against a Map model. */
function assignAll(groups: DictionaryGroups, table: ByteKeyTable, blocks: readonly Utf8Column[], slice: number): void {
  const model = new Map<string | null, number>();
  let nullGroup = -1;
  const ids = new Int32Array(slice);
  for (const [b, column] of blocks.entries()) {
    const rows = dictionaryOf(column)!.codes.length;
    for (let from = 0; from < rows; from += slice) {
      const to = Math.min(rows, from + slice);
      groups.assign(column, dictionaryOf(column)!, from, to, ids, table, () =>
        nullGroup >= 0 ? nullGroup : (nullGroup = table.reserveGroup()),
      );
      for (let r = from; r < to; r++) {
        const key = keyOf(column, r);
        if (!model.has(key)) model.set(key, key === null ? nullGroup : model.size);
        assert.equal(ids[r - from], model.get(key), `block ${b}, row ${r}, key ${key} (SEED=${seed})`);
      }
    }
  }
}

test('blocks of one shared dictionary look each string up once; other dictionaries still group right', () => {
  const rng = new Rng(seed);
  const shared = [...TRICKY_WORDS, ...Array.from({ length: 3000 }, (_, i) => `id${String(i).padStart(10, '0')}`)];
  // Partitions coded one after another: each block holds the shared strings up to its last (a prefix).
  const sizes = [2000, 2500, 2400, shared.length, 2600];
  const blocks = sizes.map((size) => block(shared.slice(0, size), 20_000, () => rng.nextInt(size), 13));
  const table = new CountingTable(1024);
  assignAll(new DictionaryGroups(), table, blocks, 4096);
  const distinct = new Set(blocks.flatMap((column) => [...namedCodes(column)]));
  assert.equal(table.lookups, distinct.size, `each shared string looked up once (SEED=${seed})`);

  // A chunk's dictionary: the shared strings, then strings of its own (some of them shared ones again); then a
  // block of the same strings in another order; then the shared dictionary again.
  const own = ['own-a', 'own-b', shared[7]!, 'own-c'];
  const chunk = block([...shared, ...own], 5000, () => rng.nextInt(shared.length + own.length), 0);
  const reversed = [...shared].reverse();
  const other = block(reversed, 5000, () => rng.nextInt(reversed.length), 7);
  const again = block(shared, 5000, () => rng.nextInt(shared.length), 0);
  const mixed = new CountingTable(1024);
  assignAll(new DictionaryGroups(), mixed, [...blocks, chunk, other, again], 3000);
  // The reversed block looks its strings up again (it shares no prefix), the blocks around it not.
  const chunkCodes = [...namedCodes(chunk)];
  const chunkOwn = chunkCodes.filter((c) => c >= shared.length);
  assert.equal(
    mixed.lookups,
    new Set([...distinct, ...chunkCodes.filter((c) => c < shared.length)]).size +
      chunkOwn.length +
      namedCodes(other).size +
      namedCodes(again).size,
    `lookups: each dictionary's strings once per run of blocks that share them (SEED=${seed})`,
  );
});

test('code order goes on across blocks whose dictionaries begin with the groups so far', () => {
  const rng = new Rng(seed + 1);
  const shared = Array.from({ length: 500 }, (_, i) => `w${i}·${TRICKY_WORDS[i % TRICKY_WORDS.length]}`);
  // Rows in code order: each new code the next one, the first block naming codes below 300, the second going on.
  let next = 0;
  const inOrder = (limit: number) => () => {
    if (next < limit && rng.nextInt(3) === 0) return next++;
    return next === 0 ? next++ : rng.nextInt(next);
  };
  const first = block(shared.slice(0, 300), 4000, inOrder(300), 0);
  const second = block(shared, 4000, inOrder(500), 0);
  const table = new CountingTable(1024);
  const groups = new DictionaryGroups(true);
  assignAll(groups, table, [first, second], 1000);
  assert.equal(groups.codeOrderSize, next, `still in code order, ${next} groups (SEED=${seed})`);
  assert.equal(table.lookups, 0, `no string looked up (SEED=${seed})`);
  const keys = groups.codeOrderKeys()!;
  for (let g = 0; g < next; g++) {
    const { bytes, starts, ends } = keys.column;
    assert.equal(decoder.decode(bytes.subarray(starts[g], ends[g])), shared[g], `group ${g} (SEED=${seed})`);
  }
});
