// Issue 10: a join's answer gathered from dictionary-read string columns (a cached partition's `utf8-dict` block
// columns) keeps them dictionary-read, its codes gathered, instead of building every source row's starts/ends
// first. Seeded random sides with null and duplicate keys, null strings and both sides coded, for every join type
// and both build sides: the answer equals the same join of plain string columns, row for row.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { JoinSpec, JoinType } from '../../src/protocol/columnar.js';
import type { Batch } from '../../src/executor/columnar/batches/batch.js';
import { blockOfBatches } from '../../src/executor/columnar/batches/batch-to-block.js';
import { blockToBatch, recordsToBatches } from '../../src/executor/columnar/batches/blocks.js';
import { dictionaryOf } from '../../src/executor/columnar/batches/dictionary-column.js';
import { hashJoin } from '../../src/executor/columnar/joins/hash-join.js';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('join-gathers-dictionary-strings-as-codes');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(7) === 0 ? null : value);
const WORDS = ['id1', 'id22', 'é', '', 'id333', 'x y', 'ß'];

/** One batch of `rows` rows: key k (nulls, duplicates), a string column of few values (nulls), a payload. */
function side(rows: number, keys: number, text: string, payload: string): Batch {
  const records = Array.from({ length: rows }, (_, i) => ({
    k: maybe(rng.nextInt(keys)),
    [text]: maybe(WORDS[rng.nextInt(WORDS.length)]!),
    [payload]: i,
  }));
  return concatAll(recordsToBatches(records, 'test rows'));
}

function concatAll(batches: Iterable<Batch>): Batch {
  const all = [...batches];
  assert.equal(all.length, 1);
  return all[0]!;
}

/** The batch as a cached partition reads it: string columns of few values dictionary-coded. */
const coded = (batch: Batch): Batch => blockToBatch(blockOfBatches([batch], true), 'coded side');

const rowsOf = (batches: Iterable<Batch>): unknown[] => decodeBlock(blockOfBatches([...batches]));

const left = side(3000, 400, 's', 'a');
const right = side(2000, 500, 't', 'b');
const HOWS: readonly JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];

test('the sides are dictionary-read (the path under test)', () => {
  assert.notEqual(dictionaryOf(coded(left).columns[left.names.indexOf('s')]!), undefined);
  assert.notEqual(dictionaryOf(coded(right).columns[right.names.indexOf('t')]!), undefined);
});

for (const how of HOWS) {
  for (const build of ['left', 'right'] as const) {
    if ((how === 'semi' || how === 'anti' || how === 'left') && build === 'left') continue;
    test(`a ${how} join building the ${build} side answers as over plain strings, and stays coded`, () => {
      const spec: JoinSpec = { how, leftKeys: ['k'], rightKeys: ['k'], build, strategy: 'shuffled-hash' };
      const out = [...hashJoin(spec, [coded(left)], [coded(right)])];
      const plain = [...hashJoin(spec, [left], [right])];
      assert.deepEqual(rowsOf(out), rowsOf(plain));
      const strings = out.flatMap((b) => b.columns.filter((c, i) => b.names[i] === 's' || b.names[i] === 't'));
      assert.ok(strings.length > 0);
      for (const column of strings) assert.notEqual(dictionaryOf(column), undefined, 'gathered as codes');
    });
  }
}
