import type { Block } from '../../src/protocol/block.js';
import type { MapOutputRef } from '../../src/protocol/map-output.js';
import type { TaskDescriptor, TaskEndReason } from '../../src/protocol/task.js';
import type { TaskBackend } from '../../src/backend/task-backend.js';
import type { BlockCache } from '../../src/scheduler/dag-scheduler.js';
import { systemClock } from '../../src/common/clock.js';

/** A stand-in block: the scheduler treats blocks as opaque handles, so a tagged object is enough. */
export function fakeBlock(tag: string): Block {
  return { tag } as unknown as Block;
}

/** A stand-in map output: the scheduler treats map outputs as opaque handles, so a tagged object is enough. */
export function fakeOutput(tag: string): MapOutputRef {
  return { tag } as unknown as MapOutputRef;
}

/** The tag of a stand-in map output. */
export function tagOf(output: MapOutputRef | undefined): string | undefined {
  return (output as unknown as { tag?: string } | undefined)?.tag;
}

/**
 * A backend that runs nothing: each task's outcome comes from `script`, which sees the descriptor and how many
 * attempts of that (stage, partition) came before. Records every task it was asked to run.
 */
export class ScriptedBackend implements TaskBackend {
  readonly parallelism = 2;
  readonly ran: TaskDescriptor[] = [];
  /** The shuffles the scheduler said it released, in order. */
  readonly released: number[] = [];
  private readonly attemptsSeen = new Map<string, number>();

  private readonly script: (task: TaskDescriptor, previousAttempts: number) => TaskEndReason;

  constructor(script: (task: TaskDescriptor, previousAttempts: number) => TaskEndReason) {
    this.script = script;
  }

  async run(task: TaskDescriptor): Promise<TaskEndReason> {
    this.ran.push(task);
    const key = `${task.stageId}/${task.partition}`;
    const previous = this.attemptsSeen.get(key) ?? 0;
    this.attemptsSeen.set(key, previous + 1);
    await Promise.resolve();
    return this.script(task, previous);
  }

  shuffleReleased(shuffleId: number): void {
    this.released.push(shuffleId);
  }

  async close(): Promise<void> {}
}

/** The success a scripted task returns for its output kind. */
export function succeed(task: TaskDescriptor): TaskEndReason {
  const metrics = {
    recordsRead: 0,
    recordsWritten: 0,
    bytesRead: 0,
    bytesWritten: 0,
    durationMs: 0,
    shuffleReadBytes: 0,
    spillBytes: 0,
    gcMs: 0,
    threadId: 0,
    operatorRows: [],
  };
  const output = task.output;
  if (output.kind === 'shuffle-write') {
    const value = { kind: 'shuffle', output: fakeOutput(`s${output.shuffleId}m${task.partition}`) } as const;
    return { kind: 'success', value, cached: [], metrics };
  }
  return { kind: 'success', value: { kind: 'value', value: task.partition }, cached: [], metrics };
}

export const noCache: BlockCache = {
  get: () => undefined,
  put: () => {},
  isFullyCached: () => false,
};

export const schedulerOptions = { taskAttemptsMax: 4, taskTimeoutMs: 0, seed: 1 };
export const clock = systemClock;
