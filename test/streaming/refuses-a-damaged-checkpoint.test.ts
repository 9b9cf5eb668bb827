import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { cpSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamCheckpointCorruptError } from '../../src/index.js';
import { committedOutput, freshDir, writeWordFiles } from './stream-fixtures.js';
import { runWordCountInProcess } from './in-process-word-count.js';

/** Every kind of file a restart reads, as a path relative to the run's root (found after the first run). */
function damageTargets(root: string): Record<string, string> {
  const state = join(root, 'ckpt', 'state', '0', '0');
  const stateFiles = readdirSync(state);
  const snapshot = stateFiles.find((name) => name.endsWith('.snapshot.arrow'));
  const delta = stateFiles.filter((name) => name.endsWith('.delta.arrow')).sort((a, b) => parseInt(b) - parseInt(a))[0];
  assert.ok(
    snapshot !== undefined && delta !== undefined,
    `expected a snapshot and a delta, found ${stateFiles.join(', ')}`,
  );
  const last = (kind: string): string =>
    join('ckpt', kind, String(Math.max(...readdirSync(join(root, 'ckpt', kind)).map(Number))));
  return {
    'query metadata': join('ckpt', 'metadata'),
    'offset log': last('offsets'),
    'handle log': last('handles'),
    'commit log': last('commits'),
    'state snapshot': join('ckpt', 'state', '0', '0', snapshot),
    'state delta': join('ckpt', 'state', '0', '0', delta),
    'sink metadata': join('out', '_kindling_sink', 'metadata'),
  };
}

test('a bit flip or a truncation in any checkpoint file stops the restart with an error naming the file, and writes nothing', async () => {
  const base = freshDir('stream-damage');
  const dirs = { input: join(base, 'in'), out: join(base, 'out'), checkpoint: join(base, 'ckpt') };
  writeWordFiles(dirs.input, 11, 7, 30); // 7 batches: versions 2 and 5 have snapshots, 6 a delta after one
  await runWordCountInProcess(dirs);
  const targets = damageTargets(base);
  const pristine = freshDir('stream-pristine');
  cpSync(base, pristine, { recursive: true });
  for (const [kind, relativePath] of Object.entries(targets)) {
    for (const damage of ['bit flip', 'truncation'] as const) {
      // Same absolute paths every time (a moved query is a different query): restore the pristine run first.
      rmSync(base, { recursive: true, force: true });
      cpSync(pristine, base, { recursive: true });
      const root = base;
      const copy = dirs;
      writeFileSync(join(copy.input, 'zz-new.txt'), 'new words would make a batch\n');
      const file = join(root, relativePath);
      const bytes = readFileSync(file);
      if (damage === 'truncation') truncateSync(file, Math.floor(bytes.byteLength / 2));
      else {
        bytes[Math.floor(bytes.byteLength * 0.6)]! ^= 0x10;
        writeFileSync(file, bytes);
      }
      const before = committedOutput(copy.out);
      const error = await runWordCountInProcess(copy).then(
        () => null,
        (failure: unknown) => failure,
      );
      const what = `${damage} of the ${kind} (${relativePath})`;
      assert.ok(
        error instanceof StreamCheckpointCorruptError,
        `${what}: expected the restart to fail, found ${String(error)}`,
      );
      assert.equal(error.code, 'ERR_STREAM_CHECKPOINT_CORRUPT', what);
      assert.equal(error.file, file, what);
      assert.equal(committedOutput(copy.out), before, `nothing written after a ${damage} of the ${kind}`);
    }
  }
});
