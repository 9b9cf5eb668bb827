/**
 * Streaming fault injection (DESIGN.md §5: faults are part of the engine): `.option('crashAt', { point, batchId })`
 * kills the whole process with SIGKILL at a chosen step of a chosen batch, as a power cut would, so users (and our
 * tests) can prove that a restart with the same checkpoint gives exactly the output of a run never killed.
 */
export type CrashPoint =
  /** After `offsets/N` is written, before the batch runs. */
  | 'after-offsets'
  /** After every task prepared its sink output, before the handles are recorded. */
  | 'after-prepare'
  /** After `handles/N` (the commit decision), before the sink commits. */
  | 'after-handles'
  /** After the sink committed, before `commits/N`. */
  | 'after-commit'
  /** After `commits/N`, before old files are cleaned up. */
  | 'after-commit-log'
  /** In the middle of cleaning up old state files and logs. */
  | 'during-cleanup';

export const CRASH_POINTS: readonly CrashPoint[] = [
  'after-offsets',
  'after-prepare',
  'after-handles',
  'after-commit',
  'after-commit-log',
  'during-cleanup',
];

/** Where to crash: a point of one batch. */
export interface CrashAt {
  readonly point: CrashPoint;
  readonly batchId: number;
}

/** Kills this process (SIGKILL: no cleanup, no flush) when `crashAt` names this point of this batch. */
export function crashIfAsked(crashAt: CrashAt | null, point: CrashPoint, batchId: number): void {
  if (crashAt !== null && crashAt.point === point && crashAt.batchId === batchId) process.kill(process.pid, 'SIGKILL');
}
