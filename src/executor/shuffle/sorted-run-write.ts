/**
 * The map side of a one-pass sort (`ShuffleDependency.sortedRuns`, RDD `sortByKey` / `sortBy`): the range bounds
 * are not known yet, so instead of routing records to ranges the task sorts its records by key into one run, cut
 * into segments of about equal row counts, and reports each segment's first key and a reservoir sample of its keys.
 * The driver picks the bounds from the samples once every map task is done; each reduce task then reads the rows of
 * its range from every run (`sorted-run-read.ts`). A sort-based engine's one pass (DuckDB sorts thread-local runs
 * and partitions their merge the same way): the parent is computed once, where a sampling job first would compute
 * it twice.
 */
import type { MapOutputRef } from '../../protocol/map-output.js';
import { sortPairsByKey } from '../../common/sort-pairs-by-key.js';
import { deriveSeed } from '../../common/rng.js';
import { expectPair } from '../rdd/pairs.js';
import { sampleKeys } from '../rdd/partition-actions.js';
import { drain } from '../rdd/record-stream.js';
import { writeBuckets, type TaskSpill } from './shuffle-write.js';
import type { TaskContext } from '../task-context.js';

/** What the map task of a one-pass sort is told (the `sortedRun` of its `shuffle-write` output). */
export interface SortedRunSpec {
  readonly ascending: boolean;
  readonly samplePerPartition: number;
  readonly seed: number;
}

/**
 * Writes `records` (`[key, value]` pairs) sorted by key (stable: equal keys keep their order) as one map output of
 * `segments` segments, at most one per record; returns it with its `sortedRun` facts. The key sample is the one the
 * `sample-keys` action takes of the same records (same reservoir, same seed), so the bounds do not change.
 *
 * @example
 * const output = writeSortedRun(records, 8, { ascending: true, samplePerPartition: 60, seed: 7 }, 3, 'sortByKey', context, null);
 */
export function writeSortedRun(
  records: Iterable<unknown>,
  segments: number,
  spec: SortedRunSpec,
  partition: number,
  label: string,
  context: TaskContext,
  spill: TaskSpill | null,
): MapOutputRef {
  const pairs: unknown[] = [];
  drain(records, (record) => {
    pairs.push(expectPair(record, label));
    context.tick();
  });
  const sample = sampleKeys(pairs, spec.samplePerPartition, deriveSeed(spec.seed, partition), context);
  const sorted = sortPairsByKey(pairs, spec.ascending);
  const buckets: unknown[][] = Array.from({ length: segments }, () => []);
  const firstKeys: unknown[] = [];
  const used = Math.min(segments, sorted.length);
  for (let s = 0; s < used; s++) {
    const start = Math.floor((s * sorted.length) / used);
    const end = Math.floor(((s + 1) * sorted.length) / used);
    buckets[s] = sorted.slice(start, end);
    firstKeys.push((sorted[start] as [unknown, unknown])[0]);
  }
  // The segments hold the records now: one copy of them while they are encoded.
  sorted.length = 0;
  pairs.length = 0;
  return { ...writeBuckets(buckets, spill, context), sortedRun: { firstKeys, sample } };
}
