// Issue 12: gzip input for textFile and readText (a .gz file is one split, decompressed by the task through
// zlib's asynchronous stream) and gzip output for saveAsTextFile, on both backends.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';

import { InputError, JobFailedError, PlanError } from '../../src/index.js';
import { onEveryBackend, rejectsWith, temporaryDirectory } from '../api/helpers.js';

const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${['é', '€', '😀'].slice(0, i % 4).join('')}`);
const text = lines.join('\n') + '\n';

onEveryBackend('gzip text input and output', (on) => {
  const dir = temporaryDirectory('gzip');

  test('textFile and readText read a .gz file as one split, with the same lines as the plain file', async () => {
    const kc = on.kc();
    const gz = join(dir(), 'lines.txt.gz');
    writeFileSync(gz, gzipSync(text));
    const rdd = kc.textFile(gz, { minPartitions: 4 });
    assert.equal(rdd.getNumPartitions(), 1);
    assert.deepEqual(await rdd.collect(), lines);
    const rows = await kc.readText(gz).collect();
    assert.deepEqual(
      rows.map((r) => r['value']),
      lines,
    );
    // A directory mixing a gzip file and a plain one: every line of both, once.
    const plain = join(dir(), 'plain.txt');
    writeFileSync(plain, 'x\ny\n');
    assert.equal(await kc.textFile([gz, plain], { minPartitions: 3 }).count(), lines.length + 2);
  });

  test('a multi-member gzip file reads as the concatenation of its members (as gunzip does)', async () => {
    const gz = join(dir(), 'members.gz');
    writeFileSync(gz, Buffer.concat([gzipSync('a\nb'), gzipSync('c\n'), gzipSync('d\n')]));
    assert.deepEqual(await on.kc().textFile(gz).collect(), ['a', 'bc', 'd']);
  });

  test('a corrupt .gz file is an InputError naming it; lineBytesMax names the gzip file too', async () => {
    const kc = on.kc();
    const bad = join(dir(), 'bad.txt.gz');
    writeFileSync(bad, Buffer.concat([gzipSync(text).subarray(0, 200)]));
    await assert.rejects(
      kc.textFile(bad).count(),
      (error: unknown) =>
        (error instanceof InputError || error instanceof JobFailedError) &&
        error.message.includes(bad) &&
        /gzip/.test(error.message),
    );
    const long = join(dir(), 'long.gz');
    writeFileSync(long, gzipSync(`ok\n${'z'.repeat(500)}\n`));
    await assert.rejects(
      kc.readText(long, { lineBytesMax: 100 }).count(),
      (error: unknown) =>
        error instanceof InputError && error.message.includes(`byte offset 3 of ${long} (decompressed)`),
    );
    assert.throws(() => kc.textFile(join(dir(), 'x.bz2')), InputError);
  });

  test("saveAsTextFile(dir, { compression: 'gzip' }) writes part-NNNNN.gz files that read back", async () => {
    const kc = on.kc();
    const out = join(dir(), 'out-gz');
    await kc.parallelize(lines, 3).saveAsTextFile(out, { compression: 'gzip' });
    const parts = readdirSync(out).sort();
    assert.deepEqual(parts, ['_SUCCESS', 'part-00000.gz', 'part-00001.gz', 'part-00002.gz']);
    const unzipped = parts
      .filter((p) => p.endsWith('.gz'))
      .map((p) => gunzipSync(readFileSync(join(out, p))).toString('utf8'))
      .join('');
    assert.equal(unzipped, text);
    assert.deepEqual(await kc.textFile(out).collect(), lines);
    await rejectsWith(
      kc.parallelize([1]).saveAsTextFile(join(dir(), 'bad'), { compression: 'zip' as 'gzip' }),
      PlanError,
      'ERR_PLAN_INVALID_ARGUMENT',
    );
  });
});
