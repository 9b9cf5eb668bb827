/**
 * The few plan-level steps the streaming layer needs, kept in api/ so that streaming/ builds on datasets only
 * (DESIGN.md §2: streaming ──▶ api). Internal: not exported from src/index.ts.
 */
import type { Block } from '../../protocol/block.js';
import type { SourceSpec, TextSplit } from '../../protocol/pipeline.js';
import type { SourceNode } from '../../plan/plan-node.js';
import type { ShippedFunction } from '../../protocol/shipped-function.js';
import type { StatePartitionInput, UpdateStateSpec, WindowAssignSpec } from '../../protocol/state.js';
import { shipFunction } from '../../plan/capture.js';
import type { Captures } from './context-internals.js';
import { resolveTextFileOptions, textSourceOfFiles } from './context-sources.js';
import { RDD } from '../rdd/rdd.js';

/**
 * Ships a stateful operator's function (`updateStateByKey`'s, `reduceByKeyAndWindow`'s) once, at definition time: a
 * free variable is a `PlanError` right away.
 */
export function shipStateFunction(
  fn: unknown,
  captures: Captures | undefined,
  label = 'updateStateByKey()',
): ShippedFunction {
  return shipFunction(fn, { label, captures: captures ?? {}, deterministic: true });
}

/** Each record as `[[key, windowStartMs], value]` per window that holds its event time (`WindowAssignSpec`). */
export function assignWindowsRdd(timed: RDD<any>, spec: WindowAssignSpec): RDD<any> {
  const op = { kind: 'builtin', op: { name: 'assign-windows', spec } } as const;
  return timed.derive(timed.context.plan.narrow(timed.node, 'reduceByKeyAndWindow', op));
}

/**
 * The batch's pairs hash-partitioned like the state (no shuffle when they already are, e.g. after a `reduceByKey`
 * into `numPartitions`), then the state update of `spec`, which groups each partition's values by key: one task per
 * state partition, yielding what `spec.emit` asks for.
 */
export function updateStateRdd(pairs: RDD<any>, numPartitions: number, spec: UpdateStateSpec): RDD<any> {
  const partitioned = pairs.partitionBy(numPartitions);
  const op = { kind: 'builtin', op: { name: 'update-state', spec } } as const;
  return partitioned.derive(
    partitioned.context.plan.narrow(partitioned.node, 'updateStateByKey', op, { preservesPartitioning: true }),
  );
}

/** What opening a file costs, counted as bytes read (Spark's `spark.sql.files.openCostInBytes`). */
const FILE_OPEN_COST_BYTES = 4 * 1024 * 1024;
/** The most bytes one packed partition reads (Spark's `spark.sql.files.maxPartitionBytes`). */
const PACKED_PARTITION_BYTES_MAX = 128 * 1024 * 1024;

/**
 * A text source's splits packed, in order, into partitions of up to `min(128 MiB, max(4 MiB, bytes per core))`,
 * each split counting 4 MiB more for opening its file (Spark's rule for file partitions): a streaming batch of
 * thousands of small files runs as tens of tasks, not one per file (2,000 files of one line once took 5 s, nearly
 * all of it task overhead). A split as large as the target stays a partition of its own.
 */
export function packTextSplits<T>(rdd: RDD<T>): RDD<T> {
  const node = rdd.node;
  if (node.kind !== 'source') return rdd;
  const splits = node.partitions.map((spec) => ('split' in spec ? (spec.split as TextSplit) : null));
  const sizes = splits.map((split) => (split?.length ?? 0) + FILE_OPEN_COST_BYTES);
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  const perCore = totalBytes / rdd.context.options.defaultParallelism;
  const targetBytes = Math.min(PACKED_PARTITION_BYTES_MAX, Math.max(FILE_OPEN_COST_BYTES, perCore));
  const groups: number[][] = [];
  let bytes = 0;
  sizes.forEach((size, i) => {
    // A gzip split stays alone: a task decompresses all its gzip inputs to disk before it starts.
    const alone = splits[i]?.compression !== undefined || splits[i - 1]?.compression !== undefined;
    if (groups.length === 0 || alone || bytes + size > targetBytes) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)!.push(i);
    bytes += size;
  });
  if (groups.length === sizes.length) return rdd;
  return rdd.derive(rdd.context.plan.coalesce(node, groups, 'pack small files'));
}

/** A dataset over blocks already in shared memory, one partition per block (a batch handed to the driver). */
export function rddOfBlocks(like: RDD<unknown>, blocks: readonly Block[], description: string): RDD<any> {
  const node = like.context.plan.source(
    'streamBatch',
    description,
    blocks.map((block) => ({ kind: 'blocks', blocks: [block] })),
  );
  return new RDD(like.context, node);
}

/** The rows `{ key, value, updatedMs }` of a state store, one partition per state partition. */
export function rddOfState(like: RDD<unknown>, inputs: readonly StatePartitionInput[], description: string): RDD<any> {
  const node = like.context.plan.source(
    'readStateStore',
    description,
    inputs.map((input, partition) => ({
      kind: 'state-partition',
      input,
      where: `${description}, partition ${partition}`,
    })),
  );
  return new RDD(like.context, node);
}

/**
 * The lines of exactly the files `paths` (`readStream.textFiles`): `textFile`'s splits, but each path is that file,
 * never a glob, so a file named `data[1].txt` is read and `data1.txt` is not.
 */
export function rddOfTextFiles(like: RDD<unknown>, paths: readonly string[], description: string): RDD<string> {
  const { plan, options } = like.context;
  return new RDD(like.context, textSourceOfFiles(plan, paths, description, resolveTextFileOptions({}, options)));
}

/**
 * The JSON values of the non-blank lines of exactly the files `paths` (`readStream.jsonlFiles`; names taken
 * literally, as `rddOfTextFiles`): `textFile`'s splits (a file over the block size is cut, so a big file is still
 * read in parallel; `minPartitions` 1 cuts nothing smaller), each parsed by the reader itself, which names the file
 * and line of a line that is not JSON and fails the job at once.
 */
export function rddOfJsonLines(like: RDD<unknown>, paths: readonly string[], description: string): RDD<any> {
  const { plan, options } = like.context;
  const resolved = resolveTextFileOptions({ minPartitions: 1 }, options);
  const lines = textSourceOfFiles(plan, paths, description, resolved) as SourceNode;
  const partitions = lines.partitions.map((spec): SourceSpec =>
    spec.kind === 'text-split' ? { ...spec, kind: 'json-values-split' } : spec,
  );
  return new RDD(like.context, plan.source('jsonlFiles', description, partitions));
}
