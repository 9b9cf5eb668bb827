// sortPairsByKey (sortByKey's reduce side) gives exactly the order of a stable sort with compareValues, ascending
// and descending, whether its keys take the column path (numbers, strings, same-length arrays of them) or not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareValues } from '../../src/common/keys.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { sortPairsByKey } from '../../src/common/sort-pairs-by-key.js';

function expected(pairs: readonly (readonly [unknown, unknown])[], ascending: boolean): unknown[] {
  const direction = ascending ? 1 : -1;
  return [...pairs].sort((a, b) => direction * compareValues(a[0], b[0]));
}

/** Few distinct values, so keys tie often; strings whose UTF-16 order differs from their code point order. */
const numbers = [0, -0, 1, -1, 2.5, NaN, Infinity, -Infinity, 1e300];
const strings = ['', 'a', 'b', 'ab', 'B', '\u00e9', '\uff61', '\ud83d\ude00', '\u2028', 'a\u0000'];

function randomKey(rng: Rng, kind: number): unknown {
  const number = () => numbers[rng.nextInt(numbers.length)]!;
  const string = () => strings[rng.nextInt(strings.length)]!;
  switch (kind) {
    case 0:
      return number();
    case 1:
      return string();
    case 2:
      return [number(), string()];
    case 3:
      return [string(), number(), number()];
    default:
      // Mixed shapes: the generic path.
      return [number(), string(), null, [number()], 'x', 1n][rng.nextInt(6)];
  }
}

test('orders random keys of every shape as a stable compareValues sort does', () => {
  const seed = seedFromEnvironment();
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  const rng = new Rng(seed);
  for (let round = 0; round < 200; round++) {
    const kind = round % 5;
    const pairs = Array.from({ length: rng.nextInt(300) }, (_, i) => [randomKey(rng, kind), i] as const);
    for (const ascending of [true, false]) {
      const sorted = sortPairsByKey([...pairs], ascending);
      assert.deepStrictEqual(sorted, expected(pairs, ascending), `seed ${seed}, round ${round}, kind ${kind}`);
    }
  }
});

test('orders word counts by count descending, then word by UTF-16 code units', () => {
  const pairs = [
    [[-2, '\uff61'], 'a'],
    [[-2, '\ud83d\ude00'], 'b'],
    [[-3, 'z'], 'c'],
    [[-2, 'Z'], 'd'],
  ] as const;
  // U+FF61 is above the surrogates in UTF-16 but below U+1F600 in code points (and in UTF-8 bytes).
  assert.deepEqual(
    sortPairsByKey([...pairs], true).map((pair) => (pair as [unknown, string])[1]),
    ['c', 'd', 'b', 'a'],
  );
});

test('keeps pairs of equal keys in input order, and NaN after every number', () => {
  const pairs = [
    [NaN, 0],
    [1, 1],
    [NaN, 2],
    [-0, 3],
    [0, 4],
    [-Infinity, 5],
  ] as const;
  assert.deepEqual(
    sortPairsByKey([...pairs], true).map((pair) => (pair as [unknown, number])[1]),
    [5, 3, 4, 1, 0, 2],
  );
  assert.deepEqual(
    sortPairsByKey([...pairs], false).map((pair) => (pair as [unknown, number])[1]),
    [0, 2, 1, 3, 4, 5],
  );
});
