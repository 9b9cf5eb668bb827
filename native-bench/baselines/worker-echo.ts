/**
 * Native baseline of the task round-trip micro bench: the cheapest cross-thread round trip Node offers, a message
 * to a bare `worker_threads` Worker that posts it straight back. The engine's round trip (schedule, ship a task
 * descriptor through Piscina, run it, send the result back) is compared with this floor.
 */
import { Worker } from 'node:worker_threads';

const ECHO_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage(m));
`;

/**
 * A started echo worker.
 *
 * @example
 * const echo = await WorkerEcho.start();
 * await echo.roundTrip(1); // 1
 * await echo.stop();
 */
export class WorkerEcho {
  readonly #worker: Worker;
  #pending: ((value: unknown) => void) | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (m: unknown) => {
      const resolve = this.#pending;
      this.#pending = null;
      resolve?.(m);
    });
  }

  /** Starts a worker and waits until it answers once. */
  static async start(): Promise<WorkerEcho> {
    const echo = new WorkerEcho(new Worker(ECHO_SOURCE, { eval: true }));
    await echo.roundTrip(0);
    return echo;
  }

  /** Sends `message` and resolves with the echo. One round trip at a time. */
  roundTrip(message: unknown): Promise<unknown> {
    if (this.#pending !== null) return Promise.reject(new Error('WorkerEcho: one round trip at a time'));
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.#worker.postMessage(message);
    });
  }

  /** Terminates the worker. */
  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}
