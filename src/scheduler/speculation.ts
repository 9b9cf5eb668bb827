import type { ResolvedSpeculation } from '../common/options.js';

/** A running attempt as speculation sees it: its partition and when its first heartbeat was seen. */
export interface RunningAttemptView {
  readonly partition: number;
  /** When the attempt was first seen past its first heartbeat (time queued or starting up is not its own). */
  readonly heartbeatMs: number;
}

/**
 * The partitions whose running attempt is a straggler and should get a speculative copy (Spark's
 * `TaskSetManager.checkSpeculatableTasks`): once at least `quantile` of the stage's `total` tasks finished (and at
 * least one), an attempt running longer than max(`multiplier` × median finished duration, `minTaskMs`). Pure: the
 * caller launches copies and makes sure a partition gets at most one.
 *
 * @example
 * slowPartitions({ quantile: 0.75, multiplier: 1.5, minTaskMs: 100 }, 4, [20, 22, 25],
 *   [{ partition: 3, heartbeatMs: 0 }], 400); // → [3]
 */
export function slowPartitions(
  policy: ResolvedSpeculation,
  total: number,
  finishedDurationsMs: readonly number[],
  running: Iterable<RunningAttemptView>,
  nowMs: number,
): number[] {
  const finishedMin = Math.max(1, Math.floor(policy.quantile * total));
  if (finishedDurationsMs.length < finishedMin) return [];
  const thresholdMs = Math.max(policy.multiplier * median(finishedDurationsMs), policy.minTaskMs);
  const slow: number[] = [];
  for (const attempt of running) if (nowMs - attempt.heartbeatMs > thresholdMs) slow.push(attempt.partition);
  return slow;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
