import { compareValues } from '../../src/common/keys.js';
import type { Context, RDD } from '../../src/index.js';

/** A small word count: 4 map partitions, 3 reduce partitions, sorted result. */
export function wordCount(kc: Context): RDD<[string, number]> {
  const lines = Array.from({ length: 400 }, (_, i) => `w${i % 31} v${i % 7} w${i % 5}`);
  return kc
    .parallelize(lines, 4)
    .flatMap((line) => line.split(' '))
    .map((w) => [w, 1] as [string, number])
    .reduceByKey((a, b) => a + b, 3);
}

/** The word count's result, computed by hand. */
export function expectedWordCount(): [string, number][] {
  const counts = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    for (const w of [`w${i % 31}`, `v${i % 7}`, `w${i % 5}`]) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts].sort(compareValues);
}

export const sortedPairs = <T>(pairs: T[]): T[] => pairs.sort(compareValues);
