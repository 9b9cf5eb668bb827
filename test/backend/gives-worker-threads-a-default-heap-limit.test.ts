import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { Context } from '../../src/index.js';
import { resolveContextOptions, workerHeapMbDefault } from '../../src/common/resolve-options.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

test('the default heap limit is the threads’ share of half the memory less the shared budget, within 256–2048 MiB', () => {
  assert.equal(workerHeapMbDefault(24 * GIB, 2, GIB), 2048); // (12 − 1) GiB / 2 = 5,632 MiB, over the bound
  assert.equal(workerHeapMbDefault(8 * GIB, 8, GIB), 384); // (4 − 1) GiB / 8
  assert.equal(workerHeapMbDefault(4 * GIB, 16, GIB), 256); // (2 − 1) GiB / 16 = 64 MiB, under the bound
  assert.equal(workerHeapMbDefault(24 * GIB, 0, GIB), 0); // no threads: nothing to limit
  assert.equal(workerHeapMbDefault(0, 2, GIB), 0); // an unknown machine: Node's default
  const machine = { cores: 8, memoryBytes: 8 * GIB };
  assert.equal(resolveContextOptions({ threads: 8 }, machine).workerHeapMbMax, 384);
  // A larger shared budget leaves the threads less.
  assert.equal(resolveContextOptions({ threads: 8, memoryBytesMax: 2 * GIB }, machine).workerHeapMbMax, 256);
  // Given, it is kept: 0 is Node's default.
  assert.equal(resolveContextOptions({ threads: 8, workerHeapMbMax: 0 }, machine).workerHeapMbMax, 0);
  assert.equal(resolveContextOptions({ threads: 8, workerHeapMbMax: 4096 }, machine).workerHeapMbMax, 4096);
});

const kc = new Context({ threads: 1 });
after(() => kc.stop());

test('a Context without workerHeapMbMax starts its worker threads with the default limit', async () => {
  const expectedMb = workerHeapMbDefault(totalmem(), 1, kc.options.memoryBytesMax);
  assert.ok(expectedMb >= 256, `expected a limit, found ${expectedMb}`);
  assert.equal(kc.options.workerHeapMbMax, expectedMb);
  const [limitBytes] = await kc
    .range(0, 1, 1, 1)
    .map(() => process.getBuiltinModule('node:v8').getHeapStatistics().heap_size_limit)
    .collect();
  // V8's limit is the old generation's plus the young generation's semi-spaces (a few MiB).
  const limitMb = Math.floor(limitBytes! / MIB);
  assert.ok(
    limitMb >= expectedMb && limitMb <= expectedMb + 32,
    `thread heap limit ${limitMb} MiB, option ${expectedMb}`,
  );
});
