import type { Block } from './block.js';
import type { ShippedFunction } from './shipped-function.js';

/**
 * The computation of one partition within one stage, as plain data: the stage's narrow chain fused into a tree the
 * executor evaluates record by record, with no materialization between narrow operations. The plan layer builds it
 * per partition; shuffle boundaries become `shuffle-read` leaves holding the map outputs' blocks.
 */
export type PipelineNode =
  | { readonly kind: 'source'; readonly source: SourceSpec }
  | {
      readonly kind: 'narrow';
      readonly input: PipelineNode;
      /** Applied in order; consecutive record-wise ops run fused in one loop. */
      readonly ops: readonly NarrowOp[];
      /** The partition index this node computes (for `mapPartitionsWithIndex`, seeded sampling …). */
      readonly partition: number;
    }
  /** The records of each input in turn: `union` and `coalesce`. */
  | { readonly kind: 'concat'; readonly inputs: readonly PipelineNode[] }
  /** Every pair `[l, r]`, `l` from `left` (outer loop) and `r` from `right`. */
  | { readonly kind: 'cartesian'; readonly left: PipelineNode; readonly right: PipelineNode }
  | {
      readonly kind: 'shuffle-read';
      /** Blocks of every map task for this reduce partition, in map-partition order. */
      readonly blocks: readonly Block[];
      readonly reduce: ReduceSpec;
    }
  /** Inputs yield `[key, value]` pairs; output is `[key, [values of input 0, values of input 1, …]]` per key. */
  | { readonly kind: 'cogroup'; readonly inputs: readonly PipelineNode[] }
  /** Materializes the input, publishes it as a cached block of dataset `datasetId`, then yields it. */
  | { readonly kind: 'cache'; readonly datasetId: number; readonly partition: number; readonly input: PipelineNode };

/** Where a source partition's records come from. */
export type SourceSpec =
  /** A slice of a `parallelize`d array, shipped in the task. */
  | { readonly kind: 'records'; readonly records: readonly unknown[] }
  /** `start, start + step, …` while before `end` (exclusive), as Spark's `range`. */
  | { readonly kind: 'range'; readonly start: number; readonly end: number; readonly step: number }
  /** Lines of a byte range of a text file, aligned to line boundaries as Hadoop's line reader does. */
  | { readonly kind: 'text-split'; readonly split: TextSplit }
  /** Records already stored as blocks: a cached partition. */
  | { readonly kind: 'blocks'; readonly blocks: readonly Block[] }
  | { readonly kind: 'empty' };

/** A byte range of one text file. */
export interface TextSplit {
  readonly path: string;
  readonly start: number;
  readonly length: number;
}

/** Partition-level operations of a narrow chain. */
export type NarrowOp =
  | { readonly kind: RecordWiseKind; readonly fn: ShippedFunction }
  /** `fn(iterable)` or, with index, `fn(partitionIndex, iterable)` (Spark's argument order). */
  | { readonly kind: 'mapPartitions'; readonly fn: ShippedFunction; readonly withIndex: boolean }
  | { readonly kind: 'builtin'; readonly op: BuiltinNarrowOp };

/**
 * Operations applied to one record at a time, fused into one loop: `map`, `flatMap`, `filter`, and the pair forms
 * `keyBy` (`x` → `[fn(x), x]`), `mapValues` (`[k, v]` → `[k, fn(v)]`), `flatMapValues` (`[k, v]` → `[k, w]` for each
 * `w` of `fn(v)`).
 */
export type RecordWiseKind = 'map' | 'flatMap' | 'filter' | 'keyBy' | 'mapValues' | 'flatMapValues';

/** Narrow operations implemented by the executor itself (no user function to ship). */
export type BuiltinNarrowOp =
  | { readonly name: 'glom' }
  | { readonly name: 'keys' }
  | { readonly name: 'values' }
  /** Bernoulli (without replacement) or Poisson (with replacement) sampling, seeded per partition. */
  | { readonly name: 'sample'; readonly withReplacement: boolean; readonly fraction: number; readonly seed: number }
  /** `[record, startIndex + i]` for the i-th record of the partition. */
  | { readonly name: 'zip-with-index'; readonly startIndex: number }
  /** `[target, record]` with targets `start, start + 1, …` modulo `numPartitions`, `start` seeded by partition. */
  | { readonly name: 'round-robin-key'; readonly numPartitions: number }
  /** Pairs whose value array for every listed input is non-empty / empty, keyed only: used by set operations. */
  | { readonly name: 'cogroup-filter-keys'; readonly nonEmpty: readonly number[]; readonly empty: readonly number[] }
  /** Expands cogrouped `[k, [ls, rs]]` into join rows; missing sides are `null` for outer joins. */
  | { readonly name: 'join-rows'; readonly how: 'inner' | 'left' | 'right' | 'full' }
  /** Keeps `[k, v]` whose key has an empty list in input 1: `subtractByKey`. */
  | { readonly name: 'subtract-by-key' };

/**
 * What the reduce side does with the pairs it reads. `combine` merges values (or map-side combiners) with the
 * aggregator; `group` collects each key's values into an array (no map-side combine, as Spark's `groupByKey`);
 * `none` passes pairs through. `sortByKey`, when set, orders the partition by key afterwards.
 */
export interface ReduceSpec {
  readonly aggregation:
    | { readonly kind: 'none' }
    | { readonly kind: 'group' }
    | { readonly kind: 'combine'; readonly aggregator: Aggregator; readonly mapSideCombined: boolean };
  readonly sortByKey: { readonly ascending: boolean } | null;
}

/**
 * Spark's `Aggregator`: how values become combiners and how combiners merge. The first value of a key becomes a
 * combiner by `createCombiner(v)`; or, when that is null, by `mergeValue(structuredClone(zero.value), v)` if a zero
 * is set (`foldByKey`, `aggregateByKey`); or else is the combiner itself (`reduceByKey`).
 */
export interface Aggregator {
  readonly createCombiner: ShippedFunction | null;
  readonly zero: { readonly value: unknown } | null;
  readonly mergeValue: ShippedFunction;
  readonly mergeCombiners: ShippedFunction;
}

/** How keys map to reduce partitions. Both are deterministic across threads and runs. */
export type PartitionerSpec =
  | { readonly kind: 'hash'; readonly numPartitions: number }
  /** The key is the partition number itself (`repartition`'s round-robin keys). */
  | { readonly kind: 'direct'; readonly numPartitions: number }
  /** `bounds` are sorted split keys (numPartitions - 1 of them); `ascending` false reverses partition order. */
  | {
      readonly kind: 'range';
      readonly numPartitions: number;
      readonly bounds: readonly unknown[];
      readonly ascending: boolean;
    };
