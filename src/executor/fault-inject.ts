import { readFileSync, writeFileSync } from 'node:fs';
import { isMainThread, resourceLimits } from 'node:worker_threads';
import type { Block } from '../protocol/block.js';
import { isSpilled } from '../storage/spill-file.js';
import type { TaskDescriptor, TaskEndReason, TaskValue } from '../protocol/task.js';
import { faultBlockIndex, type InjectedFault } from '../common/faults.js';

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
      exhaustHeap(where);
    // eslint-disable-next-line no-fallthrough -- exhaustHeap never returns
    case 'lose-block':
    case 'corrupt-block':
      return null;
  }
}

/**
 * Obeys a `corrupt-block` fault on a successful shuffle map task's output: flips one bit of one non-empty block
 * after its checksum was recorded, as a bad memory cell or a torn write would. The reader's checksum check must
 * catch it. (`lose-block` is the block store's loss, applied by the driver when it records the output.)
 */
export function corruptOutput(fault: InjectedFault | null | undefined, value: TaskValue): void {
  if (fault?.kind !== 'corrupt-block' || value.kind !== 'shuffle') return;
  const index = faultBlockIndex(
    fault,
    value.blocks.map((block) => block.rows),
  );
  if (index === null) return;
  const ref = value.blocks[index]!;
  if (!isSpilled(ref)) {
    flipBit(ref, fault.salt);
    return;
  }
  // A spilled block: flip the bit in its file, after its CRC-32 was recorded, as a bad disk sector would.
  const bytes = readFileSync(ref.path);
  const bit = fault.salt % (bytes.length * 8);
  bytes[bit >>> 3]! ^= 1 << (bit & 7);
  writeFileSync(ref.path, bytes);
}

function flipBit(block: Block, salt: number): void {
  const bytes = new Uint8Array(block.buffer, 0, block.byteLength);
  if (bytes.length === 0) return;
  const bit = salt % (bytes.length * 8);
  bytes[bit >>> 3]! ^= 1 << (bit & 7);
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
function exhaustHeap(where: string): never {
  const limitMb = resourceLimits.maxOldGenerationSizeMb ?? 0;
  if (!(limitMb > 0)) {
    // Without a limit the thread would take the machine's memory before V8 stops it.
    throw new InjectedFaultError(`injected oom (${where}) needs a heap limit: set the Context option workerHeapMbMax`);
  }
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 16).fill(hoard.length));
}
