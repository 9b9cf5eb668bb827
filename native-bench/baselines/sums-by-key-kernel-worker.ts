/**
 * One warm thread of {@link SumsByKeyKernelThreads}: adds the row slice it is given to fresh states (a count lane and
 * a sum lane a group, as the engine lays out `sum`, `count` and `mean` of one column) with the engine's `addRowsByKey`,
 * 64 Ki rows at a time as a map task's chunks, and posts how many rows it added.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type * as SumsByKeyDirectory from '../../src/executor/columnar/aggregates/sums-by-key-directory.js';
import type { KernelMessage, KernelWorkerData } from './sums-by-key-kernel-threads.js';

const CHUNK_ROWS = 1 << 16;
const port = parentPort!;
const { keys, values, low, high, kernelModule } = workerData as KernelWorkerData;
const { addRowsByKey } = (await import(kernelModule)) as typeof SumsByKeyDirectory;
const span = high - low + 1;

port.on('message', (message: KernelMessage) => {
  if (message.kind !== 'pass') return;
  // Fresh states each pass, as each map task makes its own; the directory holds every key from the start (a map
  // task finds its first chunk's groups through the group ids instead).
  const directory = new Int32Array(span);
  for (let k = 0; k < span; k++) directory[k] = k + 1;
  const states = new Float64Array(span * 2);
  const byKey = { keys, directory, base: low };
  let rows = 0;
  for (let from = message.from; from < message.to; from += CHUNK_ROWS) {
    const to = Math.min(message.to, from + CHUNK_ROWS);
    rows += addRowsByKey(states, 2, [1], [values], 0, byKey, from, to) - from;
  }
  const reply: KernelMessage = { kind: 'passed', rows };
  port.postMessage(reply);
});
port.postMessage({ kind: 'ready' } satisfies KernelMessage);
