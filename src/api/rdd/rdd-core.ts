import type { NarrowOp, RecordWiseKind } from '../../protocol/pipeline.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { PlanNode } from '../../plan/plan-node.js';
import { explainPlan } from '../../plan/explain.js';
import { shipFunction } from '../../plan/capture.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import {
  FUNCTION_OPTIONS,
  type Captures,
  type ContextInternals,
  type FunctionOptions,
} from '../context/context-internals.js';
import * as actions from './actions.js';
import { Dataset } from '../dataset/dataset.js';
import { persistNode, unpersistNode, type StorageLevel, type UnpersistOptions } from '../context/block-cache.js';
import type { RDD } from './rdd.js';

/** Options of `checkpoint()` and `localCheckpoint()`. */
export interface CheckpointWriteOptions {
  /**
   * Write the checkpoint now (the call returns a Promise that resolves once it is complete) instead of with the
   * next action.
   * @default false
   */
  eager?: boolean;
}

const CHECKPOINT_WRITE_OPTIONS = optionNames<CheckpointWriteOptions>({ eager: true });

/**
 * What every dataset is, whatever its records: a lineage node of one Context, and how it is kept (persisted,
 * checkpointed), named and explained. The base of {@link RDD}, which adds the transformations and actions in
 * layers (`RddTransformations`, `RddPairTransformations`, then `RDD` itself with the actions); `RDD` is the only
 * concrete class, so `self` is always an `RDD`.
 */
export abstract class RddCore<T> {
  /** @internal */
  readonly context: ContextInternals;
  /** @internal The lineage node. */
  readonly node: PlanNode;
  #name: string | null = null;

  /** @internal Datasets are made by a Context and by transformations, never directly. */
  constructor(context: ContextInternals, node: PlanNode) {
    this.context = context;
    this.node = node;
  }

  /** The dataset id shown by `explain()`. */
  get id(): number {
    return this.node.id;
  }

  /** @internal A dataset over another node of the same context. */
  abstract derive<U>(node: PlanNode): RDD<U>;

  /** This dataset as the `RDD` it is (the verbs in other files take an `RDD`). */
  protected get self(): RDD<T> {
    return this as unknown as RDD<T>;
  }

  /** @internal A record-wise op with a shipped user function. */
  recordWise<U>(
    kind: RecordWiseKind,
    fn: unknown,
    captures: Captures | undefined,
    options: FunctionOptions | undefined,
    preserves = false,
  ): RDD<U> {
    const label = `${kind}()`;
    refuseUnknownOptions(label, options, FUNCTION_OPTIONS);
    const shipped = shipFunction(fn, {
      label,
      captures: captures ?? {},
      deterministic: options?.deterministic !== false,
    });
    const op: NarrowOp = { kind, fn: shipped };
    return this.derive(
      this.context.plan.narrow(this.node, kind, op, {
        preservesPartitioning: preserves,
        deterministic: shipped.deterministic,
      }),
    );
  }

  /**
   * Keeps computed partitions in shared memory for later jobs. Under `memoryBytesMax` (shared with shuffle
   * outputs) least recently used partitions are evicted: with `'MEMORY_ONLY'` (the default) they are recomputed
   * from lineage when needed, with `'MEMORY_AND_DISK'` written to an Arrow IPC file under `tmpDir` and read back.
   * @example
   * const parsed = lines.map(parse).persist('MEMORY_AND_DISK');
   */
  persist(level: StorageLevel = 'MEMORY_ONLY'): this {
    persistNode(this.context, this.node, level);
    return this;
  }

  /** Same as `persist()`. */
  cache(): this {
    return this.persist();
  }

  /**
   * Stops caching and drops cached partitions. With `{ shuffleOutputs: true }` it also forgets the map outputs of
   * the shuffles its last stage reads, freeing their memory now (they are released anyway once no dataset can
   * read them, when the datasets are garbage collected); the next action recomputes them from lineage.
   *
   * @example
   * const counts = words.reduceByKey((a, b) => a + b);
   * await counts.count();
   * counts.unpersist({ shuffleOutputs: true });
   */
  unpersist(options: UnpersistOptions = {}): this {
    unpersistNode(this.context, this.node, options);
    return this;
  }

  /**
   * Marks the dataset for a reliable checkpoint (DESIGN.md §7) under the Context's `checkpointDir`: the next action
   * that computes it also writes each partition it computes as an Arrow IPC file (plus a short follow-up job for
   * partitions the action did not reach), then commits `_manifest.json`. From then on `explain()` shows the
   * checkpoint as the source and every job, including retries after failures, reads the files. With
   * `{ eager: true }` it is written now and the Promise resolves once it is complete.
   * WARNING: for a dataset that is not deterministic (`repartition`, unseeded `sample`), persist it first, as in
   * Spark, or the checkpoint may hold a different run than the one the action returned.
   * @example
   * const counts = words.reduceByKey((a, b) => a + b);
   * await counts.checkpoint({ eager: true });
   * counts.getCheckpointFile(); // '/data/ckpt/rdd-7-1f2e3d4c5b6a'
   */
  checkpoint(options: { eager: true }): Promise<this>;
  checkpoint(options?: { eager?: false }): this;
  checkpoint(options: CheckpointWriteOptions = {}): this | Promise<this> {
    refuseUnknownOptions('checkpoint()', options, CHECKPOINT_WRITE_OPTIONS);
    this.context.checkpoints.mark(this.node, 'reliable');
    return options.eager === true ? this.#writeNow() : this;
  }

  /**
   * Marks the dataset for a local checkpoint: like `checkpoint()`, but the partitions are kept in the block store
   * (and in files under `tmpDir`, read back if the store evicts them) and lineage is truncated the same way. Faster,
   * but it does not survive the process: `kc.stop()` removes it, and it cannot be opened with `readCheckpoint`.
   * @example
   * await ranked.localCheckpoint({ eager: true });
   */
  localCheckpoint(options: { eager: true }): Promise<this>;
  localCheckpoint(options?: { eager?: false }): this;
  localCheckpoint(options: CheckpointWriteOptions = {}): this | Promise<this> {
    refuseUnknownOptions('localCheckpoint()', options, CHECKPOINT_WRITE_OPTIONS);
    this.context.checkpoints.mark(this.node, 'local');
    return options.eager === true ? this.#writeNow() : this;
  }

  /** True once a checkpoint of this dataset has been written (lineage is truncated to it). */
  isCheckpointed(): boolean {
    return this.node.checkpoint?.status === 'written';
  }

  /** The directory of this dataset's reliable checkpoint once written (for `kc.readCheckpoint`), else undefined. */
  getCheckpointFile(): string | undefined {
    const checkpoint = this.node.checkpoint;
    return checkpoint?.kind === 'reliable' && checkpoint.status === 'written'
      ? (checkpoint.dir ?? undefined)
      : undefined;
  }

  async #writeNow(): Promise<this> {
    if (!this.isCheckpointed()) await actions.count(this.self);
    return this;
  }

  /** Number of partitions. */
  getNumPartitions(): number {
    return this.node.numPartitions;
  }

  /** Lineage and stage plan as stable text. */
  explain(): string {
    return explainPlan(this.node);
  }

  /**
   * The same records as a columnar `Dataset`: flat objects become one column per field, scalars a column `value`,
   * pairs columns `key` and `value`. Values must be non-null numbers, strings or booleans.
   *
   * @example
   * kc.parallelize([{ w: 'a', n: 1 }]).toDataset().groupBy('w').agg(sum('n'))
   */
  toDataset(): Dataset {
    return new Dataset(this.context, this.node, [], (node) => this.derive(node));
  }

  /** Names this dataset (shown by `name()`); returns it. */
  setName(name: string): this {
    if (typeof name !== 'string') {
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `setName() expects a string, found ${describeValue(name)}`);
    }
    this.#name = name;
    return this;
  }
  /** The name given by `setName`, or `null`. */
  name(): string | null {
    return this.#name;
  }
}

/** Both datasets must come from the same Context: their nodes, shuffles and blocks live there. */
export function sameContext<U>(self: RddCore<any>, other: RDD<U>, operation: string): RDD<U> {
  if (!(other instanceof RddCore)) {
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `${operation}() expects a dataset (RDD), found ${String(other)}`);
  }
  if (other.context !== self.context) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${operation}() combines datasets of two different Contexts; create both from one Context`,
    );
  }
  return other;
}
