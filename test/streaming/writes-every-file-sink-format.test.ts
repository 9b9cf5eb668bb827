import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { Context } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';

const EXPECTED: Record<string, string> = {
  jsonl: '{"word":"a,b","n":1}\n{"word":"say \\"hi\\"","n":2}\n',
  text: '[object Object]\n[object Object]\n',
  csv: 'word,n\n"a,b",1\n"say ""hi""",2\n',
};

for (const format of ['jsonl', 'text', 'csv', 'arrow'] as const) {
  test(`the file sink publishes each batch as batch=N/part-P.${format}, readable as written`, async () => {
    const root = freshDir(`stream-format-${format}`);
    const kc = new Context({ threads: 0 });
    try {
      const input = kc.readStream.memory<{ word: string; n: number }>({ numPartitions: 1 });
      input.addData({ word: 'a,b', n: 1 }, { word: 'say "hi"', n: 2 });
      const query = input.writeStream
        .format(format)
        .option('checkpointLocation', join(root, 'ckpt'))
        .trigger({ once: true })
        .start(join(root, 'out'));
      await query.awaitTermination();
    } finally {
      await kc.stop();
    }
    assert.deepEqual(readdirSync(join(root, 'out')).sort(), ['_kindling_sink', 'batch=0']);
    const part = join(root, 'out', 'batch=0', `part-00000.${format}`);
    if (format === 'arrow') {
      const table = tableFromIPC(readFileSync(part));
      assert.deepEqual(
        table.toArray().map((row) => ({ word: row.word, n: row.n })),
        [
          { word: 'a,b', n: 1 },
          { word: 'say "hi"', n: 2 },
        ],
      );
    } else assert.equal(readFileSync(part, 'utf8'), EXPECTED[format]);
  });
}
