// sortByKey's reduce side reads pairs as columns and sorts the keys as columns when it can (numbers, strings, tuples
// of them), and falls back to decoding records when it cannot (nulls, mixed types, map outputs whose blocks have
// different shapes): either way the result is a stable compareValues sort of the input, ascending or descending.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareValues } from '../../src/common/keys.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { onEveryBackend } from './helpers.js';

const seed = seedFromEnvironment();
console.log(`seed ${seed} (rerun with SEED=${seed})`);

function stableSort(pairs: readonly (readonly [unknown, unknown])[], ascending: boolean): unknown[] {
  const direction = ascending ? 1 : -1;
  return [...pairs].sort((a, b) => direction * compareValues(a[0], b[0]));
}

const words = ['\uff61', '\ud83d\ude00', 'z', 'Z', 'a', '', '\u2028'];

/** Keys of one shape per kind, with few distinct values so that they tie; values that tell the pairs apart. */
function pairsOf(rng: Rng, kind: string, rows: number): [unknown, unknown][] {
  const word = () => words[rng.nextInt(words.length)]!;
  const count = () => rng.nextInt(4) - 2;
  return Array.from({ length: rows }, (_, i): [unknown, unknown] => {
    switch (kind) {
      case 'numbers':
        return [count() / 2, i];
      case 'strings':
        return [word(), `v${i}`];
      case 'word counts':
        return [
          [-count(), word()],
          [word(), i],
        ];
      case 'tuples with a null':
        return [[count(), i === rows >> 1 ? null : word()], i];
      case 'mixed key types':
        return [i % 3 === 0 ? word() : count(), i];
      default:
        // Half the map partitions ship [[n, w], [w, i]] (nested-pair), the other half [[n, w], {i}] (key split only).
        return [[count(), word()], i < rows / 2 ? [word(), i] : { i }];
    }
  });
}

onEveryBackend('sortByKey orders every key shape as compareValues', (on) => {
  for (const kind of ['numbers', 'strings', 'word counts', 'tuples with a null', 'mixed key types', 'mixed blocks']) {
    test(`${kind}: a stable compareValues sort, ascending and descending`, async () => {
      const rng = new Rng(seed);
      const pairs = pairsOf(rng, kind, 3000);
      for (const ascending of [true, false]) {
        const sorted = await on.kc().parallelize(pairs, 4).sortByKey(ascending, 3).collect();
        assert.deepStrictEqual(sorted, stableSort(pairs, ascending), `seed ${seed}, ascending ${ascending}`);
      }
    });
  }
});
