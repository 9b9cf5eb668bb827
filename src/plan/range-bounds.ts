import { compareValues } from '../common/keys.js';

/** One partition's key sample: up to `perPartition` keys drawn uniformly, plus how many records it had. */
export interface KeySample {
  readonly keys: readonly unknown[];
  readonly recordCount: number;
}

/**
 * Sample size per parent partition for a range partitioner, as Spark's `RangePartitioner`: about 20 keys per output
 * partition overall (at most 1e6), oversampled 3× and spread over the parent partitions.
 */
export function sampleSizePerPartition(numPartitions: number, parentPartitions: number): number {
  const sampleSize = Math.min(20 * numPartitions, 1e6);
  return Math.ceil((3 * sampleSize) / Math.max(parentPartitions, 1));
}

/**
 * Split keys for `numPartitions` ranges from weighted samples (Spark's `determineBounds`): each sampled key stands
 * for `recordCount / keys.length` records; bounds are taken every `total / numPartitions` of weight, strictly
 * increasing, so there may be fewer than `numPartitions - 1` of them when keys repeat.
 */
export function determineBounds(samples: readonly KeySample[], numPartitions: number): unknown[] {
  const candidates: { key: unknown; weight: number }[] = [];
  for (const sample of samples) {
    if (sample.keys.length === 0) continue;
    const weight = sample.recordCount / sample.keys.length;
    for (const key of sample.keys) candidates.push({ key, weight });
  }
  if (numPartitions <= 1 || candidates.length === 0) return [];
  candidates.sort((a, b) => compareValues(a.key, b.key));
  const totalWeight = candidates.reduce((sum, c) => sum + c.weight, 0);
  const step = totalWeight / numPartitions;
  const bounds: unknown[] = [];
  let cumulative = 0;
  let target = step;
  let previous: { key: unknown } | null = null;
  for (const candidate of candidates) {
    if (bounds.length >= numPartitions - 1) break;
    cumulative += candidate.weight;
    if (cumulative >= target) {
      if (previous === null || compareValues(candidate.key, previous.key) > 0) {
        bounds.push(candidate.key);
        target += step;
        previous = candidate;
      }
    }
  }
  return bounds;
}
