/**
 * The next message of a kind from a worker thread of the threaded native baselines (their messages carry `kind`).
 *
 * @example
 * const reply = nextMessage<Message, 'merged'>(worker, 'merged');
 */
import type { Worker } from 'node:worker_threads';

export function nextMessage<M extends { readonly kind: string }, K extends M['kind']>(
  worker: Worker,
  kind: K,
): Promise<Extract<M, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: M): void => {
      if (message.kind !== kind) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(message as Extract<M, { kind: K }>);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}
