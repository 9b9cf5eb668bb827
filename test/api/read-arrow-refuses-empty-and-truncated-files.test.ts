// readArrow of an empty file used to answer a dataset of no rows, and of an Arrow IPC file cut short a TypeError
// from inside apache-arrow ("Cannot read properties of null (reading 'fieldsLength')"). Both are now an InputError
// ERR_INPUT_CORRUPT naming the file and what was expected; the whole file still reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, InputError } from '../../src/index.js';
import { temporaryDirectory } from './helpers.js';

const dir = temporaryDirectory('read-arrow-framing');

test('readArrow refuses an empty file and a truncated IPC file, naming the file', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const out = join(dir(), 'out');
    await kc
      .parallelize(
        [
          { a: 1, b: 'x' },
          { a: 2, b: 'y' },
          { a: 3, b: null },
        ],
        1,
      )
      .toDataset()
      .write.format('arrow')
      .save(out);
    const whole = readFileSync(join(out, 'part-00000.arrow'));
    assert.deepEqual(await kc.readArrow(join(out, 'part-00000.arrow')).collect(), [
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: null },
    ]);
    const cases = [
      { name: 'empty.arrow', bytes: Buffer.alloc(0), message: /is empty: expected an Arrow IPC file .* found 0 bytes/ },
      { name: 'cut.arrow', bytes: whole.subarray(0, whole.length - 3), message: /is a truncated Arrow IPC file/ },
      { name: 'half.arrow', bytes: whole.subarray(0, whole.length >> 1), message: /is a truncated Arrow IPC file/ },
    ];
    for (const { name, bytes, message } of cases) {
      const path = join(dir(), name);
      writeFileSync(path, bytes);
      await assert.rejects(
        async () => kc.readArrow(path).collect(),
        (e: unknown) =>
          e instanceof InputError &&
          e.code === 'ERR_INPUT_CORRUPT' &&
          e.message.includes(path) &&
          message.test(e.message),
        name,
      );
    }
  } finally {
    await kc.stop();
  }
});
