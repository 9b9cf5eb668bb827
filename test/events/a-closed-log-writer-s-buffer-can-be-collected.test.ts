// A closed event log writer's 1 MiB line buffer must not outlive it. Two things held one: the byte formatter
// remembers the last buffer it stored into (to keep a view of it) and must let go of it when that writer closes;
// and the process's exit hook, made inside the first writer's constructor, kept that writer alive.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { test } from 'node:test';

import { takeGc } from '../../src/common/full-gc.js';
import { EventLogWriter } from '../../src/events/event-log-writer.js';
import { makeTempDir } from '../support/temp-dir.js';

const MIB = 1024 * 1024;

/**
 * Bytes of ArrayBuffers alive after full collections. A turn first, so no WeakRef or job holds anything; two
 * collections, because V8 frees dead buffers' memory on a background sweep, which the next collection finishes.
 */
async function liveArrayBufferBytes(gc: () => void): Promise<number> {
  for (let i = 0; i < 2; i++) {
    await nextTurn();
    gc();
  }
  return process.memoryUsage().arrayBuffers;
}

function openAndClose(dir: string, writeALine: boolean): void {
  const writer = new EventLogWriter({ dir, fileBytesMax: 1 << 20, flushIntervalMs: 60_000 }, 'a1');
  if (writeALine)
    writer.append({
      v: 1,
      seq: 0,
      timeMs: 1000,
      kind: 'task-start',
      jobId: 0,
      stageId: 0,
      taskId: 0,
      partition: 0,
      attempt: 0,
      speculative: false,
    });
  writer.close();
}

/** ArrayBuffer bytes a closed writer leaves alive after a full collection. */
async function bytesLeftByAClosedWriter(writeALine: boolean): Promise<number> {
  const gc = takeGc();
  assert.ok(gc, "V8's gc is needed to see what a collection frees");
  const dir = makeTempDir('eventlog-release');
  try {
    const before = await liveArrayBufferBytes(gc);
    openAndClose(dir, writeALine);
    return (await liveArrayBufferBytes(gc)) - before;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runs first: the first writer installs the process's exit hook, whose closure must not hold that writer.
test("the process's first writer is freed once closed", async () => {
  const left = await bytesLeftByAClosedWriter(false);
  assert.ok(left < MIB / 2, `the first writer's buffer is still alive: ${(left / MIB).toFixed(2)} MiB more`);
});

test('a writer that formatted a task line as bytes is freed once closed', async () => {
  const left = await bytesLeftByAClosedWriter(true);
  assert.ok(
    left < MIB / 2,
    `the formatter still holds the closed writer's buffer: ${(left / MIB).toFixed(2)} MiB more`,
  );
});
