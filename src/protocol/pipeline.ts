import type { CsvReadSpec, FileColumn, JsonReadSpec, ParquetSplit, PartitionColumn } from './file-formats.js';
import type { BlockRef } from './block.js';
import type { ColumnarStage } from './columnar.js';
import type { ShippedFunction } from './shipped-function.js';
import type { StatePartitionInput, UpdateStateSpec, WindowAssignSpec } from './state.js';

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
      /** The shuffle read, so a missing or corrupt block can be reported as that shuffle's map output. */
      readonly shuffleId: number;
      /**
       * The version of the shuffle's map output table this task reads (fetched once per worker thread and version,
       * see `MapOutputTable`): the descriptor never lists the map outputs, so it is O(1) in the map partitions.
       */
      readonly version: number;
      /** The reduce partition whose segment of every map output is read, in map-partition order. */
      readonly reducePartition: number;
      readonly reduce: ReduceSpec;
      /**
       * Set when the map outputs are sorted runs (`ShuffleDependency.sortedRuns`): the range partitioner's bounds,
       * by which this reduce partition's rows are found in each run (`executor/shuffle/sorted-run-read.ts`).
       */
      readonly sortedRuns?: { readonly bounds: readonly unknown[]; readonly ascending: boolean };
    }
  /** Inputs yield `[key, value]` pairs; output is `[key, [values of input 0, values of input 1, …]]` per key. */
  | { readonly kind: 'cogroup'; readonly inputs: readonly PipelineNode[] }
  /** Materializes the input, publishes it as a cached block of dataset `datasetId`, then yields it. */
  | {
      readonly kind: 'cache';
      readonly datasetId: number;
      readonly partition: number;
      readonly input: PipelineNode;
      /**
       * The dataset's shared string dictionaries (storage/shared-dictionary.ts), for a columnar stage's partition:
       * its dictionary-coded columns code into them, so all its partitions share one dictionary per column.
       */
      readonly sharedDictionaries?: SharedArrayBuffer;
    }
  /** Vectorized work over column batches of `input` (issue 5): see `ColumnarStage`. */
  | {
      readonly kind: 'columnar';
      readonly stage: ColumnarStage;
      readonly input: PipelineNode;
      /** The partition computed (seeds `sample` per partition); absent in nodes built before it existed. */
      readonly partition?: number;
    }
  /**
   * Materializes the input, writes it as an Arrow IPC part file (temporary name) in `dir`, reports it in the
   * shared `report` slots of `partition` (see checkpoint-report.ts), then yields the records.
   */
  | {
      readonly kind: 'checkpoint-write';
      readonly dir: string;
      readonly partition: number;
      readonly report: SharedArrayBuffer;
      readonly input: PipelineNode;
    };

/** Where a source partition's records come from. */
export type SourceSpec =
  /** A slice of a `parallelize`d array, shipped in the task. */
  | { readonly kind: 'records'; readonly records: readonly unknown[] }
  /** `start, start + step, …` while before `end` (exclusive), as Spark's `range`. */
  | { readonly kind: 'range'; readonly start: number; readonly end: number; readonly step: number }
  /** Lines of a byte range of a text file, aligned to line boundaries as Hadoop's line reader does. */
  /** Lines longer than `lineBytesMax` bytes (without terminator) are an `InputError`. */
  | {
      readonly kind: 'text-split';
      readonly split: TextSplit;
      readonly lineBytesMax: number;
      /** Where a gzip split is decompressed for reading (the Context's `tmpDir`). */
      readonly tmpDir: string;
    }
  /**
   * The JSON values of the non-blank lines of a byte range of a text file (`readStream.jsonlFiles`): `text-split`'s
   * lines, each parsed as it is read, so that a line that is not JSON is an `InputError` naming `file:line`.
   */
  | {
      readonly kind: 'json-values-split';
      readonly split: TextSplit;
      readonly lineBytesMax: number;
      readonly tmpDir: string;
    }
  /**
   * Records of a byte range of a CSV file (aligned to records), parsed into the spec's columns, then the file's
   * Hive partition columns (`partition`, absent when none).
   */
  | {
      readonly kind: 'csv-split';
      readonly split: TextSplit;
      readonly csv: CsvReadSpec;
      readonly partition?: readonly PartitionColumn[];
    }
  /** Objects of a byte range of a JSON-lines file (aligned to lines), picked into the spec's columns. */
  | {
      readonly kind: 'jsonl-split';
      readonly split: TextSplit;
      readonly json: JsonReadSpec;
      readonly partition?: readonly PartitionColumn[];
    }
  /**
   * Row groups of a Parquet file, decoded column by column (only the columns the stage reads; row groups whose
   * statistics rule out the stage's leading filters are skipped), then the file's Hive partition columns.
   */
  | { readonly kind: 'parquet-split'; readonly parquet: ParquetSplit; readonly partition: readonly PartitionColumn[] }
  /** Records already stored as blocks (a cached partition), in memory or spilled: read with `openBlock`. */
  | { readonly kind: 'blocks'; readonly blocks: readonly BlockRef[] }
  /**
   * No rows: a source without splits (no files, or files of 0 bytes). `columns`, when the plan knows them (a file
   * source's schema), are the columns of the one batch of no rows the columnar scan reads from it.
   */
  | { readonly kind: 'empty'; readonly columns?: readonly FileColumn[] }
  /** A part file of a checkpoint: an Arrow IPC file checked against its size and CRC-32 before it is read. */
  | CheckpointPartSpec
  /** One partition of streaming state, as `{ key, value, updatedMs }` rows (`kc.readStateStore`). */
  | { readonly kind: 'state-partition'; readonly input: StatePartitionInput; readonly where: string };

/** One part file of a checkpoint, as its manifest describes it. */
export interface CheckpointPartSpec {
  readonly kind: 'checkpoint-part';
  /** Absolute path of the part file. */
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  /** CRC-32 of the whole file. */
  readonly checksum: number;
}

/** A byte range of one text file. */
export interface TextSplit {
  readonly path: string;
  readonly start: number;
  readonly length: number;
  /** A gzip file: one split over all of it, decompressed by the task before reading (`length` is compressed). */
  readonly compression?: 'gzip';
  /** The name errors give the file, when `path` is a temporary copy (a decompressed gzip file). */
  readonly sourcePath?: string;
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
  | { readonly name: 'subtract-by-key' }
  /** A `Dataset` stage: never fused into a record loop, `buildPipeline` turns it into a `columnar` node. */
  | { readonly name: 'columnar'; readonly stage: ColumnarStage }
  /** Per-key aggregation of a partition already hash-partitioned by key (no shuffle), as Spark does. */
  | { readonly name: 'combine-by-key'; readonly aggregator: Aggregator }
  /** A streaming batch's keyed state update over `[key, values[]]` groups (DESIGN.md §8): see `UpdateStateSpec`. */
  | { readonly name: 'update-state'; readonly spec: UpdateStateSpec }
  /** A streaming batch's records cut into event-time windows: see `WindowAssignSpec`. */
  | { readonly name: 'assign-windows'; readonly spec: WindowAssignSpec };

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
  /**
   * The key is the partition number itself (`repartition`'s round-robin keys), or `[partition, sortKey]`
   * (`repartitionAndSortWithinPartitions`, whose reduce side sorts by the whole key).
   */
  | { readonly kind: 'direct'; readonly numPartitions: number }
  /** `bounds` are sorted split keys (numPartitions - 1 of them); `ascending` false reverses partition order. */
  | {
      readonly kind: 'range';
      readonly numPartitions: number;
      readonly bounds: readonly unknown[];
      readonly ascending: boolean;
    };
