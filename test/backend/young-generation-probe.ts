/** Read on a worker thread by `probeEveryThread` (test/api/thread-probe.ts): that thread's young generation. */
import { getHeapSpaceStatistics } from 'node:v8';
import { resourceLimits } from 'node:worker_threads';

/** A thread's young generation limit and the size of its new space now. */
export interface YoungGeneration {
  readonly limitMb: number | undefined;
  readonly newSpaceBytes: number;
}

export function youngGeneration(): YoungGeneration {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return { limitMb: resourceLimits.maxYoungGenerationSizeMb, newSpaceBytes: newSpace?.space_size ?? 0 };
}
