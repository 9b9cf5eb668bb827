import type {
  Aggregator,
  BuiltinNarrowOp,
  CheckpointPartSpec,
  NarrowOp,
  ReduceSpec,
  SourceSpec,
} from '../protocol/pipeline.js';
import type { Partitioner } from './partitioner.js';

/**
 * A node of the lineage graph: one dataset (RDD). Immutable once built, except for the two lazily resolved facts
 * noted on {@link ShuffleDependency}. Nodes know their parents and how each partition depends on them; they hold
 * no data and run nothing.
 */
export type PlanNode = SourceNode | NarrowNode | UnionNode | CoalesceNode | CartesianNode | ShuffledNode | CoGroupNode;

/** What every node has. */
interface NodeBase {
  /** Unique within a Context; the dataset id users see in `explain()`. */
  readonly id: number;
  /** The operation that made it (`textFile`, `map`, `reduceByKey` …), for `explain()` and messages. */
  readonly label: string;
  readonly numPartitions: number;
  /** Set when records are known to be partitioned by key this way (after a shuffle, or preserved through). */
  readonly partitioner: Partitioner | null;
  /** False when recomputing a partition may give different records (DESIGN.md §5). */
  readonly deterministic: boolean;
  /** Set by `persist()`: computed partitions are kept in the block store. */
  persisted: boolean;
  /** Set by `checkpoint()` / `localCheckpoint()` / `readCheckpoint()`: see {@link CheckpointState}. */
  checkpoint?: CheckpointState;
}

/**
 * The checkpoint of a dataset (DESIGN.md §7). `pending` until a job writes every partition and the manifest is
 * committed; then `written`, and the lineage below the node is truncated: partitions are read from `parts`, except
 * `damaged` ones (a part file that failed its check), which are recomputed from lineage while it is in memory.
 */
export interface CheckpointState {
  /** `reliable`: under `checkpointDir`, survives the process; `local`: block store + a local temp dir, does not. */
  readonly kind: 'reliable' | 'local';
  status: 'pending' | 'written';
  /** The checkpoint's directory, once a write started. */
  dir: string | null;
  /** While a job writes the checkpoint: the shared slots its tasks report part files in. */
  report: SharedArrayBuffer | null;
  /** The part files, index = partition; set once written. */
  parts: readonly CheckpointPartSpec[] | null;
  /** Partitions whose part file failed its check; recomputed from lineage. */
  readonly damaged: Set<number>;
  /** False for a dataset opened with `readCheckpoint`: there is no lineage to recompute from. */
  readonly hasLineage: boolean;
}

/**
 * True when the node's partitions come from its checkpoint files, so the lineage below it is not needed.
 *
 * @example
 * if (lineageTruncated(node)) return; // stop walking parents
 */
export function lineageTruncated(node: PlanNode): boolean {
  const checkpoint = node.checkpoint;
  return checkpoint !== undefined && checkpoint.status === 'written' && checkpoint.damaged.size === 0;
}

/** Partition `i` comes from a data source: `parallelize`, `range`, `textFile`, `emptyRDD`. */
export interface SourceNode extends NodeBase {
  readonly kind: 'source';
  /** One spec per partition. */
  readonly partitions: readonly SourceSpec[];
  /** Where the data is, for `explain()`: a path list, `array of 10 records` … */
  readonly description: string;
}

/** Partition `i` is parent partition `i` through a chain of record-wise or partition-wise operations. */
export interface NarrowNode extends NodeBase {
  readonly kind: 'narrow';
  readonly parent: PlanNode;
  readonly op: NarrowOp;
  /**
   * For `zipWithIndex` only: the index of each partition's first record, which needs the parent's partition sizes.
   * Spark runs that count job inside `zipWithIndex()`; our transformations are synchronous, so the scheduler runs
   * it just before the first stage that needs it. Null until then; set once.
   */
  zipStarts?: number[] | null;
  /**
   * For the two `zipWithIndex` nodes under a `zip`: both sides, shared by the two nodes. Their record counts are
   * compared as soon as both are counted, so unequal counts fail the job at once (every attempt would fail alike)
   * and the error names the user's datasets and counts, not the shuffle that pairs them.
   */
  zipPair?: ZipPair;
}

/** The two sides of a `zip`, as named in its error, and their partition sizes once counted. */
export interface ZipPair {
  readonly sides: readonly [NarrowNode, NarrowNode];
  /** How the error names each side: `dataset 3 (parallelize)`, or its `setName`. */
  readonly names: readonly [string, string];
  /** Each side's records per partition; null until that side is counted. */
  readonly counts: [number[] | null, number[] | null];
}

/** The partitions of every parent, one after the other. */
export interface UnionNode extends NodeBase {
  readonly kind: 'union';
  readonly parents: readonly PlanNode[];
}

/** Partition `i` is the concatenation of parent partitions `groups[i]` (no shuffle). */
export interface CoalesceNode extends NodeBase {
  readonly kind: 'coalesce';
  readonly parent: PlanNode;
  readonly groups: readonly (readonly number[])[];
}

/** Partition `i` pairs left partition `floor(i / right.numPartitions)` with right partition `i % right.numPartitions`. */
export interface CartesianNode extends NodeBase {
  readonly kind: 'cartesian';
  readonly left: PlanNode;
  readonly right: PlanNode;
}

/** Partition `i` is reduce partition `i` of a shuffle of the parent. */
export interface ShuffledNode extends NodeBase {
  readonly kind: 'shuffled';
  readonly dependency: ShuffleDependency;
  readonly reduce: ReduceSpec;
}

/** `[key, [values of parent 0, values of parent 1, …]]` per key; each parent shuffled unless already co-partitioned. */
export interface CoGroupNode extends NodeBase {
  readonly kind: 'cogroup';
  readonly inputs: readonly CoGroupInput[];
}

/** One cogroup parent: read directly when partitioned like the cogroup, through a shuffle otherwise. */
export type CoGroupInput =
  | { readonly kind: 'narrow'; readonly parent: PlanNode }
  | { readonly kind: 'shuffle'; readonly dependency: ShuffleDependency };

/** A shuffle boundary: where stages are cut. */
export interface ShuffleDependency {
  readonly shuffleId: number;
  readonly parent: PlanNode;
  readonly partitioner: Partitioner;
  /** Set for aggregations that combine on the map side (`reduceByKey`, not `groupByKey`). */
  readonly mapSideCombine: Aggregator | null;
  /** The operation that asked for the shuffle, for messages. */
  readonly label: string;
  /**
   * A one-pass sort: the shuffle is range-partitioned with bounds not known yet and its reduce side sorts (RDD
   * `sortByKey`, `sortBy`). Its map tasks then sort their records into runs and sample their keys as they write
   * them, and the reduce tasks find their range in each run, so the parent is computed once; otherwise a sampling
   * job would compute the parent before the map stage computes it again (Spark's `RangePartitioner`).
   */
  readonly sortedRuns?: boolean;
}

/** Builtin narrow ops, re-exported for the node builders. */
export type { BuiltinNarrowOp };

/** The direct parents of a node, in order. */
export function parentsOf(node: PlanNode): PlanNode[] {
  switch (node.kind) {
    case 'source':
      return [];
    case 'narrow':
    case 'coalesce':
      return [node.parent];
    case 'union':
      return [...node.parents];
    case 'cartesian':
      return [node.left, node.right];
    case 'shuffled':
      return [node.dependency.parent];
    case 'cogroup':
      return node.inputs.map((input) => (input.kind === 'narrow' ? input.parent : input.dependency.parent));
  }
}
