import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { mapOutputBlockBytes, mapOutputRows } from '../../storage/map-outputs/map-output-reader.js';
import type { TaskDescriptor, TaskEndReason, TaskValue } from '../../protocol/task.js';
import { faultBlockIndex, type InjectedFault } from '../../common/faults.js';

/**
 * The executor's half of fault injection (the `faults` option): makes the attempt fail the way the driver chose,
 * for real. On a pool thread, a crash ends the thread and an oom exhausts its heap. On the calling thread (the
 * inline backend) neither can happen without taking the driver down, so those two end the attempt with the reason
 * a pool would have given (`worker-lost`, `out-of-memory`) and say so in the message.
 */

/** Thrown by an injected `throw` fault: an ordinary exception, counted against `taskAttemptsMax`. */
export class InjectedFaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InjectedFaultError';
  }
}

/**
 * Obeys the task's fault, if it is one that strikes while the task runs (throw, crash, hang, oom). Call it after
 * the task's first heartbeat and before its pipeline runs. Returns a reason to end the attempt with (inline crash
 * or oom), or null to go on; throws for `throw`; never returns for a hang or a real crash.
 *
 * @example
 * const early = await obeyFault(task); if (early !== null) return early;
 */
export async function obeyFault(task: TaskDescriptor): Promise<TaskEndReason | null> {
  const fault = task.fault;
  if (fault === undefined || fault === null) return null;
  const where = `stage ${task.stageId}, partition ${task.partition}, attempt ${task.attempt}`;
  switch (fault.kind) {
    case 'throw':
      throw new InjectedFaultError(`injected fault: throw (${where})`);
    case 'crash':
      if (isMainThread) {
        return { kind: 'worker-lost', message: `injected crash (${where}; inline backend: the thread is kept)` };
      }
      if (fault.crash === 'uncaught') {
        setTimeout(() => {
          throw new InjectedFaultError(`injected crash: uncaught exception from a timer (${where})`);
        }, 0);
        return await new Promise<never>(() => {});
      }
      process.exit(1);
    // eslint-disable-next-line no-fallthrough -- process.exit never returns
    case 'hang':
      return await hang();
    case 'oom':
      if (isMainThread) {
        return { kind: 'out-of-memory', message: `injected oom (${where}; inline backend: the heap is kept)` };
      }
      exhaustHeap();
    // eslint-disable-next-line no-fallthrough -- exhaustHeap never returns
    case 'lose-block':
    case 'corrupt-block':
      return null;
  }
}

/**
 * Obeys a block fault on a successful shuffle map task's output and says which reduce partition it hit (the
 * driver counts it, and drops that block for a `lose-block`: the block store's loss). A `corrupt-block` flips one
 * bit of that block's bytes after its checksum was recorded, in memory or in the spill file, as a bad memory cell
 * or disk sector would; the reader's checksum check must catch it.
 */
export function obeyBlockFault(fault: InjectedFault | null | undefined, value: TaskValue): TaskValue {
  if ((fault?.kind !== 'corrupt-block' && fault?.kind !== 'lose-block') || value.kind !== 'shuffle') return value;
  const index = faultBlockIndex(fault, mapOutputRows(value.output));
  if (index === null) return value;
  if (fault.kind === 'corrupt-block') {
    const range = mapOutputBlockBytes(value.output, index)!;
    const bit = fault.salt % (range.length * 8);
    const at = range.offset + (bit >>> 3);
    if (value.output.kind === 'memory') {
      new Uint8Array(value.output.buffer)[at]! ^= 1 << (bit & 7);
    } else {
      const fd = openSync(value.output.path, 'r+');
      try {
        const byte = new Uint8Array(1);
        readSync(fd, byte, 0, 1, at);
        byte[0]! ^= 1 << (bit & 7);
        writeSync(fd, byte, 0, 1, at);
      } finally {
        closeSync(fd);
      }
    }
  }
  return { ...value, faultedPartition: index };
}

/** Blocks without advancing the progress counter: the thread sleeps in `Atomics.wait` until it is terminated. */
async function hang(): Promise<never> {
  if (isMainThread) {
    // The calling thread must keep its event loop (the watch that ends this attempt runs on it): hang as a promise
    // that never settles; the inline backend ends the attempt when the watch aborts it.
    return await new Promise<never>(() => {});
  }
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}

/** Allocates until V8 reaches the worker's heap limit and terminates the thread (ERR_WORKER_OUT_OF_MEMORY). */
function exhaustHeap(): never {
  // The driver refused an oom rule for worker threads without workerHeapMbMax (`refuseOomWithoutHeapLimit`): a
  // worker reports V8's default limit either way, so the thread cannot check it here.
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 16).fill(hoard.length));
}
