import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointCorruptError, Context, JobFailedError } from '../../src/index.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { serializeManifest, type CheckpointManifest } from '../../src/checkpoint/manifest.js';
import { temporaryDirectory, valueShapes } from './checkpoint-fixtures.js';

/**
 * Every corruption of every file kind is detected: seeded random bit flips and truncations of part files and of
 * the manifest, a missing part, a manifest of another format version. Each is a CheckpointCorruptError naming
 * the file and what was expected versus found. With lineage in memory, a damaged partition is recomputed instead,
 * and the job metrics count it.
 */

const TRIALS = Number(process.env['CORRUPTION_TRIALS'] ?? 200);
const seed = seedFromEnvironment();
console.log(`detects-every-corruption: SEED=${seed} (${TRIALS} trials)`);

describe('checkpoint corruption is always detected', () => {
  const dir = temporaryDirectory('ckpt-corrupt');
  let kc: Context;
  let original: string;
  const values = valueShapes()['objects']!;
  before(async () => {
    kc = new Context({ threads: 0, checkpointDir: join(dir(), 'ckpt') });
    const rdd = kc.parallelize(values, 3).map((x) => x);
    await rdd.checkpoint({ eager: true });
    original = rdd.getCheckpointFile()!;
  });
  after(() => kc.stop());

  /** A copy of the checkpoint to damage (each trial reads its own copy, so nothing is cached between trials). */
  function copy(name: string): string {
    const target = join(dir(), name);
    cpSync(original, target, { recursive: true });
    return target;
  }

  async function expectCorrupt(path: string, file: string): Promise<CheckpointCorruptError> {
    try {
      await kc.readCheckpoint(path).collect();
    } catch (error: unknown) {
      assert.ok(error instanceof CheckpointCorruptError, `expected CheckpointCorruptError, got ${String(error)}`);
      assert.equal(error.code, 'ERR_CHECKPOINT_CORRUPT');
      assert.equal(error.file, join(path, file));
      assert.match(error.message, /expected .+, found .+/);
      return error;
    }
    assert.fail(`a damaged ${file} read as valid`);
  }

  test(`${TRIALS} seeded bit flips and truncations of parts and manifest: 100% detected`, async () => {
    const rng = new Rng(seed);
    const files = readdirSync(original).sort();
    let detected = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const path = copy(`trial-${trial}`);
      const file = files[rng.nextInt(files.length)]!;
      const target = join(path, file);
      const bytes = readFileSync(target);
      if (rng.nextFloat() < 0.5) {
        const bit = rng.nextInt(bytes.length * 8);
        bytes[bit >>> 3]! ^= 1 << (bit & 7);
        writeFileSync(target, bytes);
      } else truncateSync(target, rng.nextInt(bytes.length));
      await expectCorrupt(path, file);
      detected++;
      rmSync(path, { recursive: true });
    }
    console.log(`corruption detected: ${detected}/${TRIALS} (files: ${files.join(', ')})`);
    assert.equal(detected, TRIALS);
  });

  test('a missing part file names the file', async () => {
    const path = copy('missing');
    rmSync(join(path, 'part-00001.arrow'));
    const error = await expectCorrupt(path, 'part-00001.arrow');
    assert.equal(error.found, 'no file');
  });

  test('a missing manifest means an incomplete checkpoint', async () => {
    const path = copy('no-manifest');
    rmSync(join(path, '_manifest.json'));
    const error = await expectCorrupt(path, '_manifest.json');
    assert.match(error.expected, /a checkpoint is complete only once its manifest is written/);
  });

  test('a manifest of another format version is refused, naming both versions', async () => {
    const path = copy('version');
    const file = join(path, '_manifest.json');
    const { manifest } = JSON.parse(readFileSync(file, 'utf8')) as { manifest: CheckpointManifest };
    writeFileSync(file, serializeManifest({ ...manifest, formatVersion: 2 }));
    const error = await expectCorrupt(path, '_manifest.json');
    assert.equal(error.expected, 'format version 1');
    assert.match(error.found, /^format version 2/);
  });

  test('a part damaged after the driver checked it is still caught by the task that reads it', async () => {
    const path = copy('behind-the-back');
    const target = join(path, 'part-00002.arrow');
    // A whole-second mtime, so it can be restored exactly after the damage.
    utimesSync(target, 1_000_000_000, 1_000_000_000);
    const opened = kc.readCheckpoint(path);
    assert.equal(await opened.count(), values.length);
    // Flip a bit but keep size and mtime, so the driver's cheap re-check cannot see it: the reading task must.
    const bytes = readFileSync(target);
    bytes[bytes.length >> 1]! ^= 0x10;
    writeFileSync(target, bytes);
    utimesSync(target, 1_000_000_000, 1_000_000_000);
    await assert.rejects(opened.collect(), (error: unknown) => {
      assert.ok(error instanceof JobFailedError, `${(error as Error).name}: ${(error as Error).message}`);
      assert.equal((error.cause as { code?: unknown }).code, 'ERR_CHECKPOINT_CORRUPT');
      assert.match(error.message, /part-00002\.arrow: expected CRC-32 0x[0-9a-f]{8}, found CRC-32 0x[0-9a-f]{8}/);
      return true;
    });
  });

  test('with lineage in memory, a damaged partition is recomputed and counted in the job metrics', async () => {
    const rdd = kc.parallelize(values, 3).map((x) => x);
    await rdd.checkpoint({ eager: true });
    const target = join(rdd.getCheckpointFile()!, 'part-00001.arrow');
    const bytes = readFileSync(target);
    bytes[40]! ^= 0x01;
    writeFileSync(target, bytes);
    assert.deepEqual(await rdd.collect(), values);
    assert.equal(kc.lastJobMetrics?.checkpointPartitionsRecomputed, 1);
    assert.match(rdd.explain(), /parallelize/, 'the lineage is back in the plan while a part is damaged');
  });
});
