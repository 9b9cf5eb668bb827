/**
 * One request to a benchmark's worker thread and its one reply, as a promise: the probes of what two threads can do
 * (`memory-bandwidth.ts`, `random-reads.ts`) post work to eval'd workers and time it.
 */
import type { Worker } from 'node:worker_threads';

/**
 * Posts `message` to `worker` and resolves with the next message it posts back; rejects on its `error` event.
 *
 * @example
 * const sum = await askWorker<number>(worker, { buffer, from: 0, to: 1024 });
 */
export function askWorker<T>(worker: Worker, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (reply: T) => {
      worker.off('error', onError);
      resolve(reply);
    });
    worker.postMessage(message);
  });
}
