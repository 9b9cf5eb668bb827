// mergedRowOrder (the reduce side of a one-pass sort) merges rows that come as sorted runs into the order the full
// stable sort gives: ties across runs by row, ascending and descending, empty and single runs, tuple keys; a run
// that is not sorted makes it sort fully rather than merge wrongly.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mergedRowOrder, sortedRowOrder, type KeyColumn } from '../../src/common/sort-pairs-by-key.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';

const seed = seedFromEnvironment();
console.log(`seed ${seed} (rerun with SEED=${seed})`);

/** Rows of `runs` runs of random [number, string] keys with many ties, each run sorted as the map side sorts it. */
function sortedRuns(rng: Rng, runLengths: readonly number[], ascending: boolean) {
  const numbers: number[] = [];
  const strings: string[] = [];
  const runStarts: number[] = [];
  for (const length of runLengths) {
    runStarts.push(numbers.length);
    const run = Array.from({ length }, () => [-rng.nextInt(4), ['a', 'b', 'é', '😀', 'ｆ'][rng.nextInt(5)]!] as const);
    const columns: KeyColumn[] = [Float64Array.from(run, (k) => k[0]), run.map((k) => k[1])];
    for (const i of sortedRowOrder(columns, length, ascending)) {
      numbers.push(run[i]![0]);
      strings.push(run[i]![1]);
    }
  }
  return { columns: [Float64Array.from(numbers), strings] as KeyColumn[], rows: numbers.length, runStarts };
}

test('merging sorted runs gives the full stable sort', () => {
  const rng = new Rng(seed);
  const shapes = [[5, 0, 7, 1, 9], [40], [0, 0], [], [3, 3, 3, 3, 3, 3, 3, 3, 3], [100, 1, 50]];
  for (const ascending of [true, false]) {
    for (const lengths of shapes) {
      const { columns, rows, runStarts } = sortedRuns(rng, lengths, ascending);
      assert.deepEqual(
        mergedRowOrder(columns, rows, ascending, runStarts),
        sortedRowOrder(columns, rows, ascending),
        `runs ${lengths.join(',')}, ${ascending ? 'ascending' : 'descending'}`,
      );
    }
  }
});

test('a run out of order is sorted fully, not merged', () => {
  const columns: KeyColumn[] = [Float64Array.of(3, 1, 2, 0)];
  // The first "run" [3, 1] is not sorted.
  assert.deepEqual(mergedRowOrder(columns, 4, true, [0, 2]), Uint32Array.of(3, 1, 2, 0));
  assert.deepEqual(mergedRowOrder([Float64Array.of(1, 4, 2, 3)], 4, true, [0, 2]), Uint32Array.of(0, 2, 3, 1));
});
