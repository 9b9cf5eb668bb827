// Prints encode, verify and decode throughput for a million records (no assertion on speed: machines differ).
// THROUGHPUT_ROWS=… changes the row count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/common/rng.js';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';

const rows = Number(process.env['THROUGHPUT_ROWS'] ?? 1_000_000);

function words(count: number): string[] {
  const rng = new Rng(7);
  const vocabulary = Array.from({ length: 10_000 }, () => {
    let word = '';
    const length = 2 + rng.nextInt(9);
    for (let i = 0; i < length; i++) word += String.fromCharCode(97 + rng.nextInt(26));
    return word;
  });
  return Array.from({ length: count }, () => vocabulary[rng.nextInt(vocabulary.length)]!);
}

/** Best of a few runs, so one GC pause does not decide the number. */
function bestMs(run: () => void, runs = 2): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function report(name: string, records: readonly unknown[]): void {
  let block = encodeBlock(records);
  const encodeMs = bestMs(() => void (block = encodeBlock(records)));
  const verifyMs = bestMs(() => verifyBlock(block, name));
  let decoded: unknown[] = [];
  const decodeMs = bestMs(() => void (decoded = decodeBlock(block)));
  assert.equal(decoded.length, records.length);
  const perSecond = (ms: number) => `${(((records.length / ms) * 1000) / 1e6).toFixed(2)} M rows/s`;
  console.log(
    `${name}: ${records.length} rows, ${(block.byteLength / 2 ** 20).toFixed(1)} MiB block — ` +
      `encode ${encodeMs.toFixed(0)} ms (${perSecond(encodeMs)}), verify ${verifyMs.toFixed(1)} ms, ` +
      `decode ${decodeMs.toFixed(0)} ms (${perSecond(decodeMs)})`,
  );
}

test(`prints throughput for ${rows} short strings and ${rows} [word, count] pairs`, () => {
  const strings = words(rows);
  report('short strings', strings);
  report(
    '[word, count] pairs',
    strings.map((word, i) => [word, i % 1000]),
  );
});
