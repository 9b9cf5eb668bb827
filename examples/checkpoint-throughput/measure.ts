/**
 * Measures checkpoint write and read throughput on a dataset of about `GIB` GiB of Arrow data (default 1): pairs
 * `[i, 100-character string]` from `kc.range`, in `PARTITIONS` partitions (default 32) on `THREADS` threads.
 * Not a test: run it by hand (`npm run build && node dist/examples/checkpoint-throughput/measure.js`). The numbers
 * depend on the machine, its disk and its load; compare runs on one machine only.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from '../../src/index.js';

const gib = Number(process.env['GIB'] ?? 1);
const partitions = Number(process.env['PARTITIONS'] ?? 32);
const threads = Number(process.env['THREADS'] ?? 2);
// Each record is about 8 (key) + 4 (offset) + 100 (string) bytes in Arrow.
const records = Math.round((gib * 1024 ** 3) / 112);
const root = mkdtempSync(join(process.env['CHECKPOINT_ROOT'] ?? tmpdir(), 'kindling-ckpt-throughput-'));

const seconds = async (body: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await body();
  return (performance.now() - started) / 1000;
};

const kc = new Context({ threads, checkpointDir: root, memoryBytesMax: 64 * 1024 ** 2 });
try {
  const pad = 'x'.repeat(93);
  const data = () =>
    kc.range(0, records, 1, partitions).map((i) => [i, `${String(i).padStart(7, '0')}${pad}`] as const, { pad });
  const computeOnly = await seconds(() => data().count());
  const rdd = data();
  const write = await seconds(() => rdd.checkpoint({ eager: true }));
  const dir = rdd.getCheckpointFile()!;
  const bytes = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  const mb = bytes / 1e6;
  const reader = new Context({ threads });
  let readFirst = 0;
  let readAgain = 0;
  try {
    const opened = reader.readCheckpoint(dir);
    readFirst = await seconds(async () => {
      if ((await opened.count()) !== records) throw new Error('wrong record count');
    });
    readAgain = await seconds(() => opened.count());
  } finally {
    await reader.stop();
  }
  const rate = (s: number) => `${(mb / s).toFixed(0)} MB/s`;
  console.log(`records: ${records}, partitions: ${partitions}, threads: ${threads}, on disk: ${mb.toFixed(0)} MB`);
  console.log(`compute only (range + map + count): ${computeOnly.toFixed(2)} s`);
  console.log(`eager checkpoint (compute + write + fsync + commit): ${write.toFixed(2)} s = ${rate(write)}`);
  console.log(
    `  write alone (minus compute only): ${(write - computeOnly).toFixed(2)} s = ${rate(write - computeOnly)}`,
  );
  console.log(
    `read + decode + count, first job (driver CRC check + task CRC check): ${readFirst.toFixed(2)} s = ${rate(readFirst)}`,
  );
  console.log(`read + decode + count, again (task CRC check only): ${readAgain.toFixed(2)} s = ${rate(readAgain)}`);
} finally {
  await kc.stop();
  rmSync(root, { recursive: true, force: true });
}
