// The fused word count (readText → splitToRows → groupBy().agg(count())) keeps its counter on the worker thread
// between tasks: a failed or faulty attempt must leave nothing in it. Exact counts after thrown tasks, a dead
// thread, lost and corrupted map outputs (recomputed from lineage), and after a job whose split failed mid-count
// on the same thread. SEED= replays a run.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { col, Context, count, splitToRows } from '../../src/index.js';
import type { FaultRule } from '../../src/common/faults.js';
import { canonical, randomLine, Rng, testSeed } from './random-rows.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = testSeed('fused-word-count-recovers-with-exact-counts');
const rng = new Rng(seed);
const dir = makeTempDir('fused-faults');
after(() => rmSync(dir, { recursive: true, force: true }));

const lines = Array.from({ length: 3000 }, () => randomLine(rng));
const path = join(dir, 'words.txt');
writeFileSync(path, lines.join('\n'));

/** The exact counts, by a plain JS model. */
function model(): { word: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    for (const word of line.split(/\s+/)) if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return canonical([...counts].map(([word, n]) => ({ word, count: n })));
}

function wordCount(kc: Context, file: string, lineBytesMax?: number) {
  return kc
    .readText(file, { minPartitions: 6, ...(lineBytesMax === undefined ? {} : { lineBytesMax }) })
    .select(splitToRows(col('value')).as('word'))
    .groupBy('word', { numPartitions: 4 })
    .agg(count());
}

for (const threads of [0, 2]) {
  test(`faulty attempts of the fused word count change no count (threads: ${threads})`, async () => {
    const rules: FaultRule[] = [
      { kind: 'corrupt-block', stage: 0, partition: 1, attempt: 0 },
      { kind: 'lose-block', stage: 0, partition: 3, attempt: 0 },
      { kind: 'throw', stage: 0, partition: 2, attempt: 0 },
      ...(threads > 0 ? [{ kind: 'crash', stage: 0, partition: 0, attempt: 0 } as const] : []),
    ];
    const kc = new Context({ threads, faults: { seed, rules } });
    try {
      assert.deepEqual(canonical(await wordCount(kc, path).collect()), model(), `SEED=${seed}`);
      const metrics = kc.lastJobMetrics!;
      assert.ok(metrics.faultsInjected['corrupt-block'] + metrics.faultsInjected['lose-block'] > 0, 'block faults');
      assert.ok(metrics.recomputedPartitions > 0, 'a lost map output was recomputed');
    } finally {
      await kc.stop();
    }
  });
}

test('a split that fails mid-count leaves nothing in the thread’s counter for the next job', async () => {
  // The long line comes after many words of the same split, and the bound is at least a read (4 MiB), so the spans
  // before it are counted: the counter holds their words when the read fails.
  const bad = join(dir, 'bad.txt');
  const lineBytesMax = 4 * 1024 * 1024;
  writeFileSync(bad, `${lines.slice(0, 200).join('\n')}\n${'x'.repeat(lineBytesMax + 1000)}\n`);
  const kc = new Context({ threads: 0, taskAttemptsMax: 2 });
  try {
    await assert.rejects(wordCount(kc, bad, lineBytesMax).collect(), { code: 'ERR_INPUT_INVALID_RECORD' });
    assert.deepEqual(canonical(await wordCount(kc, path).collect()), model(), `SEED=${seed}`);
  } finally {
    await kc.stop();
  }
});
