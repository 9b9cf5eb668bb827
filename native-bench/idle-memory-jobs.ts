/**
 * The jobs idle-memory.ts and idle-memory-rested.ts run on a Context before they read its RSS: the same jobs in
 * both, so their figures describe the same states.
 */
import type { Context } from '../src/index.js';

/**
 * The allocating job: this many records, each a JavaScript pair, over this many distinct keys (a word count's
 * vocabulary on the RDD path). Its map-side combiners keep most of what they allocate alive for a while, which is
 * what makes V8 grow a young generation to its cap (garbage that dies young does not).
 */
const ALLOCATING_JOB_RECORDS = 4_000_000;
const ALLOCATING_JOB_KEYS = 1_000_000;

const MiB = 2 ** 20;
/** Bytes as MiB with one decimal, as every figure of these benchmarks is printed. */
export const mib = (bytes: number): number => Number((bytes / MiB).toFixed(1));

/** Runs the tiny job (one record per partition, one partition per thread) and returns its wall time in ms. */
export async function tinyJobMs(kc: Context, partitions: number): Promise<number> {
  const startMs = performance.now();
  await kc.range(0, partitions, 1, partitions).count();
  return Number((performance.now() - startMs).toFixed(1));
}

/** Runs the allocating job over `partitions` map and reduce partitions. */
export async function runAllocatingJob(kc: Context, partitions: number): Promise<void> {
  const keys = ALLOCATING_JOB_KEYS; // a named local, passed as a capture: the function reaches the threads as source
  await kc
    .range(0, ALLOCATING_JOB_RECORDS, 1, partitions)
    .map((x: number): [number, number] => [x % keys, 1], { keys })
    .reduceByKey((a: number, b: number) => a + b, partitions)
    .count();
}
