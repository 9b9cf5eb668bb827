/** What a streaming query was started with, resolved (by `DataStreamWriter.start`) for the micro-batch loop. */
import type { CrashAt } from './crash-points.js';
import type { ResolvedSink } from './sinks/resolve-sink.js';

/** When a batch runs. */
export type ResolvedTrigger =
  | { readonly kind: 'processingTime'; readonly intervalMs: number }
  | { readonly kind: 'availableNow' }
  | { readonly kind: 'once' };

/** Everything a query was started with, resolved. */
export interface QuerySettings {
  readonly name: string | null;
  readonly outputMode: 'append' | 'update' | 'complete';
  readonly trigger: ResolvedTrigger;
  readonly sink: ResolvedSink;
  /** Every this many batches a state snapshot is written (the rest are deltas). */
  readonly snapshotEveryDeltas: number;
  /** State files and logs needed to rebuild this many past versions are kept. */
  readonly minBatchesToRetain: number;
  readonly statePartitions: number;
  readonly crashAt: CrashAt | null;
}
