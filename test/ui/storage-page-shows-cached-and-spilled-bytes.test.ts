// The Storage page reports the block store after each job: a MEMORY_AND_DISK dataset larger than memoryBytesMax
// has some partitions in memory and the rest in spill files, the memory they use stays within the budget, and a
// checkpoint's size equals the bytes of its part files on disk.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context, type LoggedEvent } from '../../src/index.js';
import { get, tableRows } from './http-get.js';
import { makeTempDir } from '../support/temp-dir.js';

test('cached partitions in memory and spilled, memory used against the budget, and checkpoint sizes', async () => {
  const checkpointDir = makeTempDir('storage-page');
  const memoryBytesMax = 256 * 1024;
  const kc = new Context({ threads: 2, memoryBytesMax, checkpointDir, ui: { port: 0 }, progress: false });
  try {
    const events: LoggedEvent[] = [];
    kc.onEvent((e) => events.push(e));
    // 8 partitions of 20,000 numbers (~160 KiB each as a block): at most one fits the budget.
    const big = kc.range(0, 160_000, 1, 8).map((n) => n * 2);
    big.persist('MEMORY_AND_DISK');
    assert.equal(await big.count(), 160_000);
    const small = kc.range(0, 100, 1, 2);
    await small.checkpoint({ eager: true });
    assert.equal(await small.count(), 100, 'a job after the checkpoint reports the store again');

    const statuses = events.filter((e) => e.kind === 'storage-status');
    assert.ok(statuses.length >= 2, 'one report after each job');
    const latest = statuses.at(-1)!;
    assert.equal(latest.memoryBytesMax, memoryBytesMax);
    const [cached] = latest.datasets;
    assert.equal(cached!.level, 'MEMORY_AND_DISK');
    assert.equal(cached!.memoryPartitions + cached!.diskPartitions, 8, 'every partition is cached somewhere');
    assert.ok(cached!.diskPartitions > 0, 'over the budget, partitions were spilled');
    assert.ok(cached!.memoryBytes <= memoryBytesMax, `${cached!.memoryBytes} B in memory, within the budget`);
    assert.equal(latest.cachedBytesInMemory, cached!.memoryBytes);

    const written = events.find((e) => e.kind === 'checkpoint-written')!;
    assert.equal(written.kind, 'checkpoint-written');
    const files = readdirSync(written.dir!).filter((f) => f.endsWith('.arrow'));
    const onDisk = files.reduce((n, f) => n + statSync(join(written.dir!, f)).size, 0);
    assert.equal(written.bytes, onDisk, 'the checkpoint size is its part files’ bytes');
    assert.equal(written.rows, 100);

    const page = (await get(`${(await kc.uiUrl())!}/storage`)).body;
    const [row] = tableRows(page, 'cached');
    assert.equal(row![2], 'MEMORY_AND_DISK');
    assert.equal(row![3], String(cached!.memoryPartitions));
    assert.equal(row![5], String(cached!.diskPartitions));
    assert.match(page, /<dt>Memory budget \(memoryBytesMax\)<\/dt>\s*<dd>256\.0 KiB<\/dd>/);
    assert.equal(tableRows(page, 'checkpoints')[0]![4], '100');
  } finally {
    await kc.stop();
    rmSync(checkpointDir, { recursive: true, force: true });
  }
});
