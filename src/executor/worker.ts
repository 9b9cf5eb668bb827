/**
 * The Piscina worker entry: the only code that runs as a task on a worker thread's top level. Everything else in
 * `executor/` is shared with the inline backend.
 */
import { wrap } from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { TaskDescriptor, TaskEndReason } from '../protocol/task.js';
import { runTask } from './run-task.js';

/** The driver-side object a task's control port exposes (see backend's broadcast endpoint). */
interface DriverControl {
  broadcastValue(id: number): unknown;
}

/** How long a worker waits for the driver to answer a broadcast fetch: comlink calls never time out by themselves. */
const BROADCAST_FETCH_TIMEOUT_MS = 60_000;

export default async function runTaskOnWorker(task: TaskDescriptor): Promise<TaskEndReason> {
  const port = task.controlPort;
  try {
    return await runTask(task, {
      fetchBroadcast: async (id) => {
        if (port === undefined) throw new Error(`broadcast ${id} is needed but the task has no control port`);
        const driver = wrap<DriverControl>(nodeEndpoint(port as never));
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the driver did not send broadcast ${id} within ${BROADCAST_FETCH_TIMEOUT_MS} ms`)),
            BROADCAST_FETCH_TIMEOUT_MS,
          );
        });
        try {
          return await Promise.race([driver.broadcastValue(id), timeout]);
        } finally {
          clearTimeout(timer);
        }
      },
    });
  } finally {
    port?.close();
  }
}
