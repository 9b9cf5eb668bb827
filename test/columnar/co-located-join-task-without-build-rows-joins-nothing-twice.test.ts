// A co-located join task whose share of the build side's keys holds no row joined the build side's first cached
// block instead (its columns were meant, not its rows): that block's rows were answered again as unmatched by each
// such task (right and full joins: 25 rows instead of 21 here). Found by the mixed key type tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Int32, Table, vectorFromArray } from 'apache-arrow';

import { Context } from '../../src/index.js';
import { canonical } from './random-rows.js';

/** int32 `k` and a row number `other`, in record batches of 4 rows (one cached partition each). */
function table(k: readonly (number | null)[], other: string): Table {
  const slices = [];
  for (let from = 0; from < k.length; from += 4) {
    const part = k.slice(from, from + 4);
    const rows = part.map((_, i) => from + i);
    slices.push(new Table({ k: vectorFromArray(part, new Int32()), [other]: vectorFromArray(rows, new Int32()) }));
  }
  return slices[0]!.concat(...slices.slice(1));
}

test('a co-located join task with no build row in its key share answers no build row', async () => {
  const kc = new Context({ threads: 2, broadcastJoinBytesMax: 0 });
  try {
    const leftKeys = [6, 3, 7, 6, 6, 7, 7, 7, 3, 1, 4];
    // The build side's sampled keys (each block's first) span 5…7: a 4-task range split leaves task 3 (keys ≥ 8)
    // no build row.
    const rightKeys = [7, 4, 6, null, null, 7, 6, 3, 5];
    const a = kc.fromArrow(table(leftKeys, 'x')).cache();
    const b = kc.fromArrow(table(rightKeys, 'y')).cache();
    await a.count();
    await b.count();
    const joined = a.join(b, 'k', 'full', { numPartitions: 4 });
    assert.match(joined.explain(), /co-located-hash join full/);
    const expected: Record<string, number | null>[] = [];
    leftKeys.forEach((k, x) => {
      const found = rightKeys.flatMap((r, y) => (r === k ? [y] : []));
      for (const y of found) expected.push({ k, x, y });
      if (found.length === 0) expected.push({ k, x, y: null });
    });
    rightKeys.forEach((k, y) => {
      if (k === null || !leftKeys.includes(k)) expected.push({ k, x: null, y });
    });
    assert.deepEqual(canonical(await joined.collect()), canonical(expected));
  } finally {
    await kc.stop();
  }
});
