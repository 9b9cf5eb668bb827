// A thread's index of a shared dictionary looks strings shaped as its first one (a prefix, then digits: ids) up
// by their number, the others in its table: partitions of ids mixed with strings of the same width that are not
// such ids (another prefix, a non-digit among the digits), ids numbered past the number cache, and strings of
// other widths must all get the codes of a model (the shared strings in the order they were first added), whether
// they were added by this thread or found already shared, partition after partition. Seeded: SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { allocateSharedDictionaries } from '../../src/storage/shared-dictionary.js';
import { Rng, testSeed } from './random-rows.js';
import { addWords } from './shared-dictionary-words.js';

const seed = testSeed('shared-dictionary-codes-of-digit-ids-match-a-model');

/** A word of one of a few shapes; most are ids of 'id' and 6 digits, numbered below or past 2^20. */
function randomWord(rng: Rng): string {
  const shape = rng.nextInt(8);
  const digits = (bound: number) => String(rng.nextInt(bound)).padStart(6, '0');
  if (shape <= 3) return `id${digits(60)}`;
  if (shape === 4) return `id${String(900_000 + rng.nextInt(20))}`; // high numbers: the number cache grows
  if (shape === 5) return `ix${digits(20)}`; // same width, another prefix
  if (shape === 6) return `id${digits(10).slice(0, 5)}x`; // same width, not all digits
  return rng.nextInt(2) === 0 ? `id${rng.nextInt(300)}` : `${rng.nextInt(99_999_999)}`; // other widths
}

test('shared codes of ids found by their number and of other strings are the first-added order', () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 20; round++) {
    const buffer = allocateSharedDictionaries(10_000 + round);
    const model: string[] = [];
    // The first partition's first word decides the index's shape: sometimes an id, sometimes not.
    for (let partition = 0; partition < 12; partition++) {
      const words = [...new Set(Array.from({ length: 1 + rng.nextInt(60) }, () => randomWord(rng)))];
      const result = addWords(buffer, words);
      assert.ok(result !== null, `round ${round}, partition ${partition}, SEED=${seed}`);
      for (const w of words) if (!model.includes(w)) model.push(w);
      assert.deepEqual(result.shared, model, `shared strings, round ${round}, partition ${partition}, SEED=${seed}`);
      assert.deepEqual(
        result.codes,
        words.map((w) => model.indexOf(w)),
        `codes, round ${round}, partition ${partition}, SEED=${seed}`,
      );
    }
  }
});

test('ids numbered past the number cache are still found, in the table', () => {
  const buffer = allocateSharedDictionaries(20_000);
  const big = ['id0000001', 'id2000000', 'id9999999', 'id0000002'];
  assert.deepEqual(addWords(buffer, big), { shared: big, codes: [0, 1, 2, 3] });
  assert.deepEqual(addWords(buffer, ['id9999999', 'id0000002', 'id2000000', 'id0000003']), {
    shared: [...big, 'id0000003'],
    codes: [2, 3, 1, 4],
  });
});
