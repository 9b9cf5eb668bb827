// The short-key table codes strings as their first-seen order, through whichever of its paths a row takes: rows of
// one width without nulls (`codeFixedWidth`, with its cache of keys that are a prefix and decimal digits), single
// keys (`code`), nulls and rows of other widths (`codeRows`). Keys of every width 0-12, ids sharing a prefix,
// ids whose prefix differs by one byte, digits numbered past the cache, keys that are digits only, and keys longer
// than 12 bytes (refused) must all answer the model's codes, batch after batch and after `clear`.
// Seeded: SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import { ShortKeyCodes } from '../../src/executor/columnar/caching/short-key-codes.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('short-key-codes-match-a-first-seen-model');

/** A key of `width` bytes drawn from one of a few shapes, so that keys repeat and ids share their prefixes. */
function randomKey(rng: Rng, width: number): string {
  const shape = rng.nextInt(6);
  const digits = (count: number, bound: number) =>
    count <= 0 ? '' : String(rng.nextInt(bound)).padStart(count, '0').slice(-count);
  if (shape === 0) return 'id'.slice(0, width) + digits(width - 2, 50); // few distinct ids
  if (shape === 1) return 'id'.slice(0, width) + digits(width - 2, 3_000_000); // some past the digit cache
  if (shape === 2) return 'ie'.slice(0, width) + digits(width - 2, 20); // a prefix one byte off
  if (shape === 3) return digits(width, 40); // digits only
  if (shape === 4) return 'i' + 'x'.repeat(Math.max(0, width - 2)) + digits(Math.min(1, width - 1), 10); // non-digits
  return Array.from({ length: width }, () => String.fromCharCode(97 + rng.nextInt(3))).join('');
}

/** One read buffer, refilled for every batch as a reader's is (a key kept from it must be copied). */
const readBuffer = Buffer.alloc(1 << 16);

/** Rows as a string column in `readBuffer`: bytes back to back with a byte between, starts, ends, validity. */
function columnOf(values: readonly (string | null)[]) {
  const bytes = readBuffer.subarray(0, readBuffer.write(values.map((v) => `${v ?? ''}#`).join(''), 'latin1'));
  const starts = new Int32Array(values.length);
  const ends = new Int32Array(values.length);
  let at = 0;
  values.forEach((v, i) => {
    starts[i] = at;
    ends[i] = at + (v?.length ?? 0);
    at = ends[i]! + 1;
  });
  const valid = values.includes(null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : undefined;
  return { bytes, starts, ends, valid };
}

test('short-key codes are first-seen order over every path, width and key shape', () => {
  const rng = new Rng(seed);
  const table = new ShortKeyCodes();
  for (let round = 0; round < 6; round++) {
    table.clear();
    const model = new Map<string, number>();
    const modelCode = (key: string) => {
      if (!model.has(key)) model.set(key, model.size);
      return model.get(key)!;
    };
    for (let batch = 0; batch < 40; batch++) {
      const width = rng.nextInt(13); // 0-12; some rows below are of another width, null or too long
      const rows = 1 + rng.nextInt(300);
      const oddRows = rng.nextInt(3) === 0; // else every row is of the batch's width, no nulls
      const values: (string | null)[] = Array.from({ length: rows }, () => {
        const odd = oddRows ? rng.nextInt(40) : 2;
        if (odd === 0) return null;
        if (odd === 1) return randomKey(rng, rng.nextInt(13));
        return randomKey(rng, width);
      });
      const { bytes, starts, ends, valid } = columnOf(values);
      const codes = new Int32Array(rows + 3).fill(-7);
      const at = rng.nextInt(3);
      const way = rng.nextInt(3);
      if (way === 0 && width >= 1 && valid === undefined) {
        let r = 0;
        while (r < rows) {
          r = table.codeFixedWidth(bytes, starts, ends, r, rows, width, codes, at);
          if (r < rows) {
            codes[at + r] = table.code(bytes, starts[r]!, ends[r]!);
            r++;
          }
        }
      } else if (way === 1) {
        for (let r = 0; r < rows; r++) codes[at + r] = valid?.[r] === 0 ? 0 : table.code(bytes, starts[r]!, ends[r]!);
      } else {
        assert.equal(table.codeRows(bytes, starts, ends, valid, 0, rows, width, codes, at), -1);
      }
      const expected = values.map((v) => (v === null ? 0 : modelCode(v)));
      assert.deepEqual(Array.from(codes.subarray(at, at + rows)), expected, `round ${round}, batch ${batch}`);
      assert.equal(table.size, model.size);
      for (const [key, c] of model) {
        const text = Buffer.from(table.bytes.subarray(table.offsets[c]!, table.offsets[c + 1]!)).toString('latin1');
        assert.equal(text, key, `string of code ${c}`);
      }
    }
  }
  // A key longer than 12 bytes is refused, on every path.
  const long = columnOf(['id0000000000001', 'id00001']);
  assert.equal(table.code(long.bytes, 0, 15), -1);
  assert.equal(table.codeRows(long.bytes, long.starts, long.ends, undefined, 0, 2, 15, new Int32Array(2), 0), 0);
});

test('rows of one digit-id width code as first seen across many batches (the digit cache fills and grows)', () => {
  const rng = new Rng(seed + 1);
  const table = new ShortKeyCodes();
  const model = new Map<string, number>();
  for (let batch = 0; batch < 30; batch++) {
    const values = Array.from({ length: 2000 }, () => `id${String(1 + rng.nextInt(100_000)).padStart(10, '0')}`);
    const { bytes, starts, ends } = columnOf(values);
    const codes = new Int32Array(values.length);
    assert.equal(table.codeFixedWidth(bytes, starts, ends, 0, values.length, 12, codes, 0), values.length);
    values.forEach((v, i) => {
      if (!model.has(v)) model.set(v, model.size);
      assert.equal(codes[i], model.get(v), `batch ${batch}, row ${i}`);
    });
  }
  assert.equal(table.size, model.size);
  // After `clear`, codes start again from 0 in the new first-seen order.
  table.clear();
  const seen = [...model.keys()];
  const again = [seen.at(-1)!, seen.at(-2)!, seen.at(-1)!]; // coded before `clear` as the last two codes
  const { bytes, starts, ends } = columnOf(again);
  const codes = new Int32Array(again.length);
  table.codeFixedWidth(bytes, starts, ends, 0, again.length, 12, codes, 0);
  assert.deepEqual(Array.from(codes), [0, 1, 0]);
  // The read buffer refilled with ids of another prefix: the cache must not take them for the first ones.
  const other = again.map((key) => `ie${key.slice(2)}`);
  const refilled = columnOf(other);
  table.codeFixedWidth(refilled.bytes, refilled.starts, refilled.ends, 0, other.length, 12, codes, 0);
  assert.deepEqual(Array.from(codes), [2, 3, 2]);
});
