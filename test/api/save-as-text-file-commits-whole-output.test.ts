import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobFailedError, OutputError } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, rejectsWith, sorted, temporaryDirectory } from './helpers.js';

/**
 * saveAsTextFile against Spark: one part file per partition (empty ones included) plus _SUCCESS, one line per
 * record; an existing directory is an error unless overwrite is asked for; a failed job leaves nothing behind.
 */

onEveryBackend('saveAsTextFile commits the whole output', (on) => {
  const dir = temporaryDirectory('save');
  const target = (name: string): string => join(dir(), `${on.backend.name}-${name}`);

  for (const n of PARTITION_COUNTS) {
    test(`one part file per partition plus _SUCCESS (${n} partitions)`, async () => {
      const kc = on.kc();
      const out = target(`range-${n}`);
      // sc.parallelize(range(10)).saveAsTextFile(path)
      // ''.join(sorted(input(glob(path + "/part-0000*")))) == '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n'
      await kc
        .parallelize(
          Array.from({ length: 10 }, (_, i) => i),
          n,
        )
        .saveAsTextFile(out);
      const files = readdirSync(out).sort();
      const parts = files.filter((f) => f.startsWith('part-'));
      assert.deepEqual(
        parts,
        Array.from({ length: n }, (_, i) => `part-${String(i).padStart(5, '0')}`),
      );
      assert.ok(files.includes('_SUCCESS'), `files: ${files.join(', ')}`);
      const text = parts.map((f) => readFileSync(join(out, f), 'utf8')).join('');
      assert.equal(text, '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
      assert.deepEqual(
        (await kc.textFile(out).collect()).map(Number).sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
    });
  }

  test('records are written with String(record)', async () => {
    const out = target('strings');
    await on
      .kc()
      .parallelize<unknown>(['text', 1.5, true, null, ['a', 1]], 1)
      .saveAsTextFile(out);
    assert.equal(readFileSync(join(out, 'part-00000'), 'utf8'), 'text\n1.5\ntrue\nnull\na,1\n');
  });

  test('an existing directory is an error, and is left untouched', async () => {
    const out = target('existing');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'precious');
    const error = await rejectsWith(on.kc().parallelize([1, 2]).saveAsTextFile(out), OutputError, 'ERR_OUTPUT_EXISTS');
    assert.ok(error.message.includes(out), error.message);
    assert.deepEqual(readdirSync(out), ['keep.txt']);
  });

  test('overwrite replaces an existing output', async () => {
    const kc = on.kc();
    const out = target('overwrite');
    await kc.parallelize(['old 1', 'old 2', 'old 3'], 3).saveAsTextFile(out);
    await kc.parallelize(['new'], 1).saveAsTextFile(out, { overwrite: true });
    assert.deepEqual(readdirSync(out).sort(), ['_SUCCESS', 'part-00000']);
    assert.deepEqual(await kc.textFile(out).collect(), ['new']);
  });

  test('a failed job leaves no output directory', async () => {
    const out = target('failed');
    const failing = on
      .kc()
      .parallelize([1, 2, 3, 4], 2)
      .map((x) => {
        if (x === 4) throw new Error('no output for 4');
        return x;
      });
    await rejectsWith(failing.saveAsTextFile(out), JobFailedError, 'ERR_JOB_FAILED');
    assert.equal(existsSync(out), false);
    assert.deepEqual(
      sorted(readdirSync(dir()).filter((f) => f.includes('failed'))),
      [],
      'no staging directory is left next to the target',
    );
  });
});
