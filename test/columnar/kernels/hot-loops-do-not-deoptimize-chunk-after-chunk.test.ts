// The hot loops of a map task's aggregation (the fused sums by int32 key, two and three sums four rows at a time with
// and without the count, the groups of a dictionary-read string key, of tuple keys) are optimized while a task's
// first chunk runs. Code after such a loop that had not run yet had no type feedback: the loop's function
// deoptimized there at the end of every later chunk, every run (`--trace-deopt` in db-benchmark q3 and q5: one
// deoptimization per 64K-row chunk a thread). Each loop now returns to a caller that does what followed it. A child
// process runs each pass over 16 chunks (32 at full size) with `--trace-deopt` (compiles on the main thread,
// `--no-concurrent-recompilation`, so the order of compiles and runs is the same every time) and counts the
// deoptimizations: one a chunk before, 0–2 now. Seeded: SEED= replays the rows.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { sized } from '../../support/test-scale.js';
import { testSeed } from '../random-rows.js';

const seed = testSeed('hot-loops-do-not-deoptimize-chunk-after-chunk');
const SRC = new URL('../../../src/', import.meta.url).href;
// 16 chunks (32 at full size): code put after the by-key loop that had not run yet deoptimized there 11 times, far
// past the bound of an eighth of the chunks (2).
const CHUNKS = sized(16, 32);

/** Runs pass `which` over `CHUNKS` chunks of 64K random rows; prints V8's deoptimizations (`--trace-deopt`). */
const CHILD = `
const [src, which, seed] = process.argv.slice(1);
const { Rng } = await import(src + 'common/rng.js');
const CHUNK = 1 << 16, CHUNKS = ${CHUNKS}, GROUPS = 20_000;
const rng = new Rng(Number(seed));
const rows = CHUNK * CHUNKS;
const keys = Int32Array.from({ length: rows }, () => rng.nextInt(GROUPS));
const v0 = Int32Array.from({ length: rows }, () => rng.nextInt(100));
const v1 = Float64Array.from({ length: rows }, () => rng.nextFloat());
const v2 = Int32Array.from({ length: rows }, () => rng.nextInt(10));
if (which === 'by-key') {
  const { addRowsByKey } = await import(src + 'executor/columnar/aggregates/sums-by-key-directory.js');
  // Every key has a group but one near the end of each of the first chunks, as a map task's first chunks meet new
  // keys: the loop runs hot and stops early, chunk after chunk, before it ever reaches a chunk's end.
  const EARLY = ${(CHUNKS * 3) / 8}, width = 3, directory = new Int32Array(GROUPS + EARLY), s = new Float64Array((GROUPS + EARLY) * 3);
  for (let k = 0; k < GROUPS; k++) directory[k] = k + 1;
  for (let c = 0; c < EARLY; c++) keys[c * CHUNK + CHUNK - 5] = GROUPS + c;
  for (let c = 0; c < rows; c += CHUNK) {
    const at = addRowsByKey(s, width, [0, 1, 2], [v0, v1, v2], -1, { keys, directory, base: 0 }, c, c + CHUNK);
    if (at < c + CHUNK) directory[keys[at]] = GROUPS + 1 + (at >> 16);
  }
} else if (which === 'dictionary') {
  const { DictionaryGroups } = await import(src + 'executor/columnar/grouping/dictionary-groups.js');
  const { dictionaryColumn, dictionaryOf } = await import(src + 'executor/columnar/batches/dictionary-column.js');
  const { ByteKeyTable } = await import(src + 'executor/columnar/kernels/byte-key-table.js');
  const strings = Array.from({ length: GROUPS }, (_, g) => 'id' + g);
  const offsets = new Int32Array(GROUPS + 1);
  strings.forEach((t, g) => (offsets[g + 1] = offsets[g] + t.length));
  const column = dictionaryColumn(Buffer.from(strings.join('')), offsets, GROUPS, keys, undefined);
  const groups = new DictionaryGroups(), table = new ByteKeyTable(1 << 10), ids = new Int32Array(CHUNK);
  for (let c = 0; c < rows; c += CHUNK) groups.assign(column, dictionaryOf(column), c, c + CHUNK, ids, table, () => -1);
} else if (which === 'tuples') {
  // No key columns (a global aggregate), so the tuple keys' loop: every row the empty tuple.
  const { GroupAssigner } = await import(src + 'executor/columnar/grouping/group-assigner.js');
  const assigner = new GroupAssigner([], CHUNK), ids = new Int32Array(CHUNK);
  for (let c = 0; c < rows; c += CHUNK) assigner.assign([], c, c + CHUNK, ids);
} else {
  const { addChunk } = await import(src + 'executor/columnar/aggregates/fused-sums.js');
  const [sums, counted] = which.split('-');
  const columns = sums === 'three' ? [v0, v1, v2] : [v0, v1];
  const width = columns.length + 1, s = new Float64Array(GROUPS * width);
  const lanes = columns.map((_, c) => c + 1);
  for (let c = 0; c < rows; c += CHUNK) {
    const ids = keys.subarray(c, c + CHUNK);
    addChunk({ values: s, width }, lanes, columns, counted === 'counted' ? 0 : -1, ids, c, c + CHUNK, GROUPS, false);
  }
}`;

/** The deoptimizations V8 reports while pass `which` runs over the chunks. */
function deoptimizations(which: string): string[] {
  const out = execFileSync(
    process.execPath,
    ['--trace-deopt', '--no-concurrent-recompilation', '--input-type=module', '-e', CHILD, SRC, which, String(seed)],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  return out.split('\n').filter((line) => line.includes('deoptimizing'));
}

for (const which of ['by-key', 'two-plain', 'two-counted', 'three-plain', 'three-counted', 'dictionary', 'tuples']) {
  test(`the ${which} pass does not deoptimize chunk after chunk (seed ${seed})`, () => {
    const found = deoptimizations(which);
    // A few are expected (a branch first taken late); one a chunk is the loop this test guards against.
    assert.ok(
      found.length <= CHUNKS / 8,
      `${found.length} deoptimizations over ${CHUNKS} chunks, expected at most ${CHUNKS / 8}:\n${found.slice(0, 3).join('\n')}`,
    );
  });
}
