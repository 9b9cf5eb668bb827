// readCsv and readJson take textFile's lineBytesMax: a line longer than it fails the job with an InputError naming
// the file, the line's byte offset and the limit, before the reader buffers more of it. Before, both readers
// always used the ~512 MiB default and took the option silently (it was not one of theirs), so a file that is not
// line-oriented was read into memory whole. With multiLine, the option bounds a CSV record.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Context, InputError, PlanError } from '../../src/index.js';
import type { Dataset } from '../../src/index.js';
import { rejectsWith, temporaryDirectory, throwsWith } from '../api/helpers.js';

const dir = temporaryDirectory('reader-line-bytes-max');
let kc: Context;
before(() => {
  kc = new Context({ threads: 2 });
});
after(async () => {
  await kc.stop();
});

/** Escapes `text` for a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Each read fails with an InputError naming `path`, the long line's byte offset `offset` and the limit `max`. */
async function failsOnTheLongLine(reads: (() => Dataset)[], path: string, offset: number, max: number): Promise<void> {
  for (const read of reads) {
    const error = await rejectsWith(read().collect(), InputError, 'ERR_INPUT_INVALID_RECORD');
    const named = `byte offset ${offset} of ${literal(path)} is longer than lineBytesMax \\(${max} bytes\\)`;
    assert.match(error.message, new RegExp(named));
  }
}

test('readCsv: a line longer than lineBytesMax fails naming the file, its byte offset and the limit', async () => {
  const path = join(dir(), 'long.csv');
  writeFileSync(path, `k,v\n1,2\n3,${'x'.repeat(100)}\n4,5\n`); // the long line starts at byte 8
  const options = { header: true, lineBytesMax: 50 };
  await failsOnTheLongLine([() => kc.readCsv(path, options), () => kc.read.csv(path, options)], path, 8, 50);
  // The longest line (102 bytes) is within a limit of exactly its length.
  assert.equal(await kc.readCsv(path, { header: true, lineBytesMax: 102 }).count(), 3);
});

test('readCsv with multiLine: a record longer than lineBytesMax fails naming the file and its byte offset', async () => {
  const path = join(dir(), 'multi.csv');
  writeFileSync(path, `k,v\n1,"a\nb"\n2,"${'y\n'.repeat(30)}"\n`); // the long record starts at byte 12
  await failsOnTheLongLine([() => kc.readCsv(path, { header: true, multiLine: true, lineBytesMax: 40 })], path, 12, 40);
  assert.equal(await kc.readCsv(path, { header: true, multiLine: true, lineBytesMax: 64 }).count(), 2);
});

test('readJson: a line longer than lineBytesMax fails naming the file, its byte offset and the limit', async () => {
  const path = join(dir(), 'long.jsonl');
  writeFileSync(path, `{"k":1}\n{"k":2,"pad":"${'z'.repeat(100)}"}\n{"k":3}\n`); // the long line starts at byte 8
  const options = { lineBytesMax: 50 };
  await failsOnTheLongLine([() => kc.readJson(path, options), () => kc.read.jsonl(path, options)], path, 8, 50);
  assert.deepEqual(await kc.readJson(path, { schema: { k: 'int' }, lineBytesMax: 200 }).collect(), [
    { k: 1 },
    { k: 2 },
    { k: 3 },
  ]);
});

test('a lineBytesMax that is not an integer from 1 is a PlanError naming the reader', () => {
  const path = join(dir(), 'small.csv');
  writeFileSync(path, 'k\n1\n');
  for (const value of [0, 1.5, '10']) {
    const csv = throwsWith(
      () => kc.readCsv(path, { lineBytesMax: value as number }),
      PlanError,
      'ERR_PLAN_INVALID_ARGUMENT',
    );
    assert.match(csv.message, /readCsv\(\) lineBytesMax must be an integer from 1 to \d+, found/);
    const json = throwsWith(
      () => kc.readJson(path, { lineBytesMax: value as number }),
      PlanError,
      'ERR_PLAN_INVALID_ARGUMENT',
    );
    assert.match(json.message, /readJson\(\) lineBytesMax must be an integer from 1 to \d+, found/);
  }
});
