import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ResolvedContextOptions } from '../../common/options.js';
import { systemClock } from '../../common/clock.js';
import { InlineBackend } from '../../backend/inline-backend.js';
import { PiscinaBackend } from '../../backend/piscina-backend.js';
import type { TaskBackend } from '../../backend/task-backend.js';
import { ownerTag, SPILL_DIR_PREFIX } from '../../io/files/owned-temp-dirs.js';
import { deleteSpilledOutputs } from '../../storage/map-outputs/release-map-outputs.js';
import { DagScheduler, type StageProgress } from '../../scheduler/dag-scheduler.js';
import { CachedPartitions } from './block-cache.js';
import type { SharedVariables } from './shared-variables.js';

/** The engine under a Context: how tasks run, the block store of cached partitions, and the scheduler. */
export interface Engine {
  readonly backend: TaskBackend;
  readonly cache: CachedPartitions;
  readonly scheduler: DagScheduler;
  /** Spill files of the Context (shuffle outputs, evicted MEMORY_AND_DISK partitions); created on first use. */
  readonly spillDir: string;
}

/**
 * Builds and connects a Context's engine: the inline backend (`threads: 0`) or the worker pool, a spill folder of
 * its own under `tmpDir`, and one memory budget that cached partitions and in-memory shuffle outputs share
 * (DESIGN.md §6). Accumulator updates of committed attempts go to `shared`; stage progress to `onProgress`.
 */
export function assembleEngine(
  options: ResolvedContextOptions,
  shared: SharedVariables,
  onProgress: (progress: StageProgress) => void,
): Engine {
  const backend =
    options.threads === 0
      ? new InlineBackend(shared)
      : new PiscinaBackend(
          {
            threads: options.threads,
            workerHeapMbMax: options.workerHeapMbMax,
            workerIdleTimeoutMs: options.workerIdleTimeoutMs,
            // A thread terminated holding a shared dictionary's lock would make every later partition wait for it.
            onThreadExit: (threadId) => cache.threadExited(threadId),
          },
          shared,
        );
  const spillDir = join(options.tmpDir, `${SPILL_DIR_PREFIX}${ownerTag()}-${randomUUID().slice(0, 8)}`);
  const { memoryBytesMax, shuffleMemoryBytesMax } = options;
  const cache: CachedPartitions = new CachedPartitions({
    memoryBytesMax,
    externalBytes: (): number => scheduler.tracker.bytesUsed(),
    spillDir,
  });
  const scheduler: DagScheduler = new DagScheduler(backend, cache, options, systemClock, onProgress);
  scheduler.spill = { dir: spillDir, memoryBytesMax, shuffleMemoryBytesMax };
  scheduler.onOutputsReleased = deleteSpilledOutputs;
  scheduler.onAccumulatorUpdates = (updates) => shared.applyUpdates(updates);
  return { backend, cache, scheduler, spillDir };
}
