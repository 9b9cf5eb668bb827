/**
 * The sizes of a benchmark run. `full` is the (1 GiB corpus, 20,000,000 rows × 100,000 keys, 10,000 tasks);
 * `quick` runs the same code on small inputs in under a minute, to check the suite itself.
 */
import type { CorpusSpec } from './corpus.js';
import type { NumericTableSpec } from './numeric-table.js';

/** Everything that differs between a full and a quick run. */
export interface BenchProfile {
  readonly name: 'full' | 'quick';
  readonly corpus: CorpusSpec;
  /** Bytes of text (whole lines from the corpus' first file) the tokenize and string-aggregation micro benches use. */
  readonly microTextBytes: number;
  /** Rows × keys of the int-aggregation and hash-partition micro benches. */
  readonly microTable: NumericTableSpec;
  /** Partitions of the hash-partition micro bench. */
  readonly microPartitions: number;
  /** Records of the Arrow-block micro bench. */
  readonly microBlockRecords: number;
  /** Minimum time of each micro task, in ms (tinybench `time`). */
  readonly microTimeMs: number;
  /** Runs of each word-count task (each is a whole job over the corpus). */
  readonly wordCountIterations: number;
  readonly groupByTable: NumericTableSpec;
  readonly groupByIterations: number;
  /** Tasks of the empty-task throughput job. */
  readonly emptyTasks: number;
  readonly emptyTaskIterations: number;
}

/**
 * The profile called `name`.
 *
 * @example
 * profileOf('quick').corpus.bytes; // 16 MiB
 */
export function profileOf(name: 'full' | 'quick'): BenchProfile {
  if (name === 'full') {
    return {
      name,
      corpus: { bytes: 1024 ** 3, files: 8, seed: 1 },
      microTextBytes: 16 * 1024 ** 2,
      microTable: { rows: 2_000_000, keys: 100_000, seed: 2 },
      microPartitions: 8,
      microBlockRecords: 200_000,
      microTimeMs: 1500,
      wordCountIterations: 2,
      groupByTable: { rows: 20_000_000, keys: 100_000, seed: 3 },
      groupByIterations: 5,
      emptyTasks: 10_000,
      emptyTaskIterations: 3,
    };
  }
  return {
    name,
    corpus: { bytes: 16 * 1024 ** 2, files: 4, seed: 1 },
    microTextBytes: 2 * 1024 ** 2,
    microTable: { rows: 200_000, keys: 10_000, seed: 2 },
    microPartitions: 8,
    microBlockRecords: 20_000,
    microTimeMs: 200,
    wordCountIterations: 1,
    groupByTable: { rows: 2_000_000, keys: 100_000, seed: 3 },
    groupByIterations: 3,
    emptyTasks: 2_000,
    emptyTaskIterations: 1,
  };
}
