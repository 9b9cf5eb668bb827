// Held rows (radix-tuple-groups.ts) are partitioned and probed by hashes of their key codes (`heldHashes`), not of
// their values: tuples of different codes whose held hashes are equal must still be different groups, and equal
// tuples one group, packed or not. The colliding tuples are found by a search (a fixed one: the same tuples on every
// run), then held among seeded random tuples (code 0, as a null key codes, among them) over enough rows to split
// into several parts; every row's group must be its tuple's in a model map. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { unpackedCodes } from '../../../src/executor/columnar/kernels/packed-code-tuples.js';
import { heldHashes, HeldTupleRows } from '../../../src/executor/columnar/kernels/radix-tuple-groups.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('held-tuples-whose-hashes-collide-group-as-a-model');
const CODE_COUNT = 1 << 16;

/** Pairs of distinct two-code tuples with equal held hashes, found among tuples of a fixed random sequence. */
function collidingPairs(wanted: number): [[number, number], [number, number]][] {
  const rng = new Rng(12345);
  const seen = new Map<number, [number, number]>();
  const pairs: [[number, number], [number, number]][] = [];
  const batch = 1 << 14;
  while (pairs.length < wanted) {
    const first = Int32Array.from({ length: batch }, () => rng.nextInt(CODE_COUNT));
    const second = Int32Array.from({ length: batch }, () => rng.nextInt(CODE_COUNT));
    const hashes = new Int32Array(batch);
    heldHashes([first, second], batch, hashes);
    for (let i = 0; i < batch; i++) {
      const tuple: [number, number] = [first[i]!, second[i]!];
      const before = seen.get(hashes[i]!);
      if (before === undefined) seen.set(hashes[i]!, tuple);
      else if (before[0] !== tuple[0] || before[1] !== tuple[1]) pairs.push([before, tuple]);
    }
  }
  return pairs;
}

for (const pack of [true, false]) {
  test(`held tuples whose hashes collide group as a model (${pack ? 'packed' : 'unpacked'})`, () => {
    const pairs = collidingPairs(4);
    const colliding = pairs.flat();
    const rng = new Rng(seed);
    const chunkRows = 4096;
    const chunks = 24;
    const held = new HeldTupleRows(2, pack);
    const tuples: string[] = [];
    for (let k = 0; k < chunks; k++) {
      const codes = [new Int32Array(chunkRows), new Int32Array(chunkRows)];
      for (let i = 0; i < chunkRows; i++) {
        const pick = rng.nextInt(4);
        const tuple =
          pick === 0
            ? colliding[rng.nextInt(colliding.length)]!
            : pick === 1
              ? [0, rng.nextInt(8)]
              : [rng.nextInt(CODE_COUNT), rng.nextInt(64)];
        codes[0]![i] = tuple[0]!;
        codes[1]![i] = tuple[1]!;
        tuples.push(`${tuple[0]},${tuple[1]}`);
      }
      held.append(codes, [CODE_COUNT, CODE_COUNT], chunkRows);
    }
    assert.equal(held.packedWords, pack ? 1 : null, 'two 16-bit codes pack into one word');
    const grouped = held.group();
    const [first, second] = grouped.groupCodes.map((column) => unpackedCodes(column, grouped.groups));
    const groupOf = new Map<string, number>();
    const at = `SEED=${seed}`;
    for (let r = 0; r < tuples.length; r++) {
      const g = grouped.ids[grouped.positions[r]!]!;
      assert.equal(`${first![g]},${second![g]}`, tuples[r], `${at}: row ${r}'s group ${g} has another tuple`);
      assert.equal(groupOf.get(tuples[r]!) ?? g, g, `${at}: row ${r}'s tuple in two groups`);
      groupOf.set(tuples[r]!, g);
    }
    assert.equal(grouped.groups, groupOf.size, `${at}: groups`);
    for (const [a, b] of pairs) {
      assert.ok(groupOf.has(`${a[0]},${a[1]}`) && groupOf.has(`${b[0]},${b[1]}`), `${at}: both tuples of a pair held`);
    }
  });
}
