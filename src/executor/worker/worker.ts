/**
 * The Piscina worker entry: the only code that runs as a task on a worker thread's top level. Everything else in
 * `executor/` is shared with the inline backend.
 */
import { wrap, type Remote } from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { TaskDescriptor, TaskEndReason } from '../../protocol/task.js';
import type { MapOutputTable } from '../../protocol/map-output.js';
import { runTask } from '../run-task.js';
import { loadedRowKinds, rowKinds } from '../loading/row-kinds-loader.js';
import { collectIfBuffersGrew, collectIfTaskLeftGarbage } from './worker-gc.js';
import { flushWorkerStdio } from './worker-stdio.js';

/** The driver-side object a task's control port exposes (see backend's broadcast endpoint). */
interface DriverControl {
  broadcastValue(id: number): unknown;
  mapOutputTable(shuffleId: number, version: number): MapOutputTable;
}

/**
 * How long a worker waits for the driver to answer a broadcast or map output table fetch: comlink calls never time
 * out by themselves.
 */
const CONTROL_FETCH_TIMEOUT_MS = 60_000;

export default async function runTaskOnWorker(task: TaskDescriptor): Promise<TaskEndReason> {
  const port = task.controlPort;
  // A thread that never loaded the shuffle group holds no shuffle's table to forget.
  if (loadedRowKinds().shuffles) rowKinds('shuffles').forgetReleasedShuffles(task.releasedShuffles);
  // At a task's start, not in a callback scheduled after the previous task, whose turn relative to a task already
  // waiting for the thread is Piscina's affair. The previous task's buffers are dead by now, and the released
  // shuffles' tables above too.
  collectIfBuffersGrew();
  try {
    const ask = async <T>(what: string, call: (driver: Remote<DriverControl>) => Promise<T>): Promise<T> => {
      if (port === undefined) throw new Error(`${what} is needed but the task has no control port`);
      const driver = wrap<DriverControl>(nodeEndpoint(port as never));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the driver did not send ${what} within ${CONTROL_FETCH_TIMEOUT_MS} ms`)),
          CONTROL_FETCH_TIMEOUT_MS,
        );
      });
      try {
        return await Promise.race([call(driver), timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    const reason = await runTask(task, {
      fetchBroadcast: (id) => ask(`broadcast ${id}`, (driver) => driver.broadcastValue(id)),
      fetchMapOutputTable: (shuffleId, version) =>
        ask(`the map output table of shuffle ${shuffleId}`, (driver) => driver.mapOutputTable(shuffleId, version)),
    });
    // Before the result leaves: after it, an idle thread holds the task's garbage until V8's memory reducer runs
    // (~8 s later) or its next task starts.
    collectIfTaskLeftGarbage();
    return reason;
  } finally {
    // Whatever the task's end, its console output reaches the driver before its result does.
    await flushWorkerStdio();
    port?.close();
  }
}
