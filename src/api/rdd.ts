import type { NarrowOp, RecordWiseKind } from '../protocol/pipeline.js';
import { PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';
import { checkPartitionCount } from '../plan/plan-builder.js';
import type { PlanNode } from '../plan/plan-node.js';
import { explainPlan } from '../plan/explain.js';
import { shipFunction } from '../plan/capture.js';
import type { ModuleFunction } from '../plan/module-function.js';
import * as actions from './actions.js';
import * as keyed from './keyed-transformations.js';
import * as shaping from './shaping-transformations.js';
import { optionNames, refuseUnknownOptions } from '../common/check-options.js';
import {
  FUNCTION_OPTIONS,
  type Captures,
  type ContextInternals,
  type FunctionOptions,
  type PartitionFunctionOptions,
} from './context-internals.js';
import { saveAsTextFile, type SaveOptions } from './save-text.js';
import { Dataset } from './dataset.js';
import { countApproxDistinct } from './approx-distinct.js';
import * as piping from './local-iterator-and-pipe.js';
import type { PipeOptions } from './local-iterator-and-pipe.js';
import * as numeric from './numeric-actions.js';
import type { Histogram, StatCounter } from './numeric-actions.js';
import { repartitionAndSortWithinPartitions } from './repartition-and-sort.js';
import * as sampling from './sampling.js';
import * as tree from './tree-aggregation.js';
import * as more from './zip-and-group.js';
import { persistNode, unpersistNode, type StorageLevel, type UnpersistOptions } from './block-cache.js';

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

/** A user function, or a module export made with `kc.fn(url, name)`. */
export type Fn<A extends unknown[], R> = ((...args: A) => R) | ModuleFunction;
/** A `[key, value]` pair. */
export type Pair<K, V> = readonly [K, V];
/** Any pair type: keyed methods take `this: RDD<P>` so both `[k, v]` and `readonly [k, v]` records work. */
type AnyPair = Pair<unknown, unknown>;
/** The key type of a pair type. */
type KeyOf<P extends AnyPair> = P[0];
/** The value type of a pair type. */
type ValueOf<P extends AnyPair> = P[1];
/** Literal types widened (`1` → `number`), so `map((w) => [w, 1] as const).reduceByKey((a, b) => a + b)` types. */
export type Widen<T> = T extends number
  ? number
  : T extends string
    ? string
    : T extends boolean
      ? boolean
      : T extends bigint
        ? bigint
        : T;

/**
 * A lazy, immutable, partitioned dataset with lineage (Spark's RDD). Transformations return new datasets and run
 * nothing; actions return Promises and run a job on the Context's worker pool. Pairs are 2-element arrays
 * `[key, value]`; keyed operations compare keys by value (see `KeyMap`).
 *
 * @example
 * const counts = kc.textFile('logs/*.txt')
 *   .flatMap((line) => line.split(/\s+/))
 *   .filter((w) => w.length > 0)
 *   .map((w) => [w, 1] as const)
 *   .reduceByKey((a, b) => a + b);
 * console.log(await counts.top(10, ([, n]) => n));
 */
export class RDD<T> {
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
  derive<U>(node: PlanNode): RDD<U> {
    return new RDD<U>(this.context, node);
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

  // ---- narrow transformations -------------------------------------------------------------------------------

  /** Each record through `fn`. */
  map<U>(fn: Fn<[T], U>, captures?: Captures, options?: FunctionOptions): RDD<U> {
    return this.recordWise('map', fn, captures, options);
  }

  /** Each record to zero or more records (`fn` returns an array or any iterable). */
  flatMap<U>(fn: Fn<[T], Iterable<U>>, captures?: Captures, options?: FunctionOptions): RDD<U> {
    return this.recordWise('flatMap', fn, captures, options);
  }

  /** The records for which `fn` returns a truthy value. Keeps the partitioner. */
  filter(fn: Fn<[T], unknown>, captures?: Captures, options?: FunctionOptions): RDD<T> {
    return this.recordWise('filter', fn, captures, options, true);
  }

  /** `fn` over each whole partition: takes an iterable of the partition's records, returns an iterable. */
  mapPartitions<U>(
    fn: Fn<[Iterable<T>], Iterable<U>>,
    captures?: Captures,
    options?: PartitionFunctionOptions,
  ): RDD<U> {
    return shaping.mapPartitions(this, fn, false, captures, options);
  }

  /** Like `mapPartitions`, with the partition index first: `fn(index, records)`. */
  mapPartitionsWithIndex<U>(
    fn: Fn<[number, Iterable<T>], Iterable<U>>,
    captures?: Captures,
    options?: PartitionFunctionOptions,
  ): RDD<U> {
    return shaping.mapPartitions(this, fn, true, captures, options);
  }

  /** Each partition as one array. */
  glom(): RDD<T[]> {
    return this.derive(this.context.plan.narrow(this.node, 'glom', { kind: 'builtin', op: { name: 'glom' } }));
  }

  /** `[fn(x), x]` for each record. */
  keyBy<K>(fn: Fn<[T], K>, captures?: Captures, options?: FunctionOptions): RDD<[K, T]> {
    return this.recordWise('keyBy', fn, captures, options);
  }

  /** A sample: each record kept with probability `fraction` or, with replacement, repeated Poisson(`fraction`) times. */
  sample(withReplacement: boolean, fraction: number, seed?: number): RDD<T> {
    return shaping.sample(this, withReplacement, fraction, seed);
  }

  /** `[record, index]` with indices 0, 1, … in partition order (runs a count job first when needed, as Spark does). */
  zipWithIndex(): RDD<[T, number]> {
    return this.derive(
      this.context.plan.narrow(this.node, 'zipWithIndex', {
        kind: 'builtin',
        op: { name: 'zip-with-index', startIndex: 0 },
      }),
    );
  }

  // ---- set-like and shape-changing transformations -----------------------------------------------------------

  /** The records of this dataset and then of each other (duplicates kept). */
  union(...others: RDD<T>[]): RDD<T> {
    return this.derive(this.context.plan.union([this.node, ...others.map((o) => sameContext(this, o, 'union').node)]));
  }

  /** The distinct records (by value). */
  distinct(numPartitions?: number): RDD<T> {
    return shaping.distinct(this, numPartitions);
  }

  /** Records present in both datasets, without duplicates. */
  intersection(other: RDD<T>, numPartitions?: number): RDD<T> {
    return shaping.intersection(this, sameContext(this, other, 'intersection'), numPartitions);
  }

  /** Records of this dataset not present in `other` (duplicates of kept records stay). */
  subtract(other: RDD<T>, numPartitions?: number): RDD<T> {
    return shaping.subtract(this, sameContext(this, other, 'subtract'), numPartitions);
  }

  /** Every pair `[a, b]` with `a` from this dataset and `b` from `other`. */
  cartesian<U>(other: RDD<U>): RDD<[T, U]> {
    return this.derive(this.context.plan.cartesian(this.node, sameContext(this, other, 'cartesian').node));
  }

  /** Sorted by `keyFn(record)` (default ordering: see `compareValues`), range-partitioned. */
  sortBy<K>(keyFn: Fn<[T], K>, ascending = true, numPartitions?: number, captures?: Captures): RDD<T> {
    if (numPartitions !== undefined) checkPartitionCount(numPartitions, 'sortBy()');
    return this.keyBy(keyFn, captures).sortByKey(ascending, numPartitions).values();
  }

  /** Exactly `numPartitions` partitions, by a round-robin shuffle. Indeterminate, as in Spark. */
  repartition(numPartitions: number): RDD<T> {
    return shaping.repartition(this, checkPartitionCount(numPartitions, 'repartition()'));
  }

  /** At most `numPartitions` partitions by merging neighbours without a shuffle (or with one, if `shuffle`). */
  coalesce(numPartitions: number, shuffle = false): RDD<T> {
    return shaping.coalesce(this, checkPartitionCount(numPartitions, 'coalesce()'), shuffle);
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
    if (!this.isCheckpointed()) await actions.count(this);
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

  // ---- pair transformations (records must be [key, value]) ---------------------------------------------------

  keys<P extends AnyPair>(this: RDD<P>): RDD<KeyOf<P>> {
    return this.derive(this.context.plan.narrow(this.node, 'keys', { kind: 'builtin', op: { name: 'keys' } }));
  }
  values<P extends AnyPair>(this: RDD<P>): RDD<ValueOf<P>> {
    return this.derive(this.context.plan.narrow(this.node, 'values', { kind: 'builtin', op: { name: 'values' } }));
  }
  /** `[k, fn(v)]`; keeps the partitioner. */
  mapValues<P extends AnyPair, U>(
    this: RDD<P>,
    fn: Fn<[ValueOf<P>], U>,
    captures?: Captures,
    options?: FunctionOptions,
  ): RDD<[KeyOf<P>, U]> {
    return this.recordWise('mapValues', fn, captures, options, true);
  }
  /** `[k, w]` for each `w` of `fn(v)`; keeps the partitioner. */
  flatMapValues<P extends AnyPair, U>(
    this: RDD<P>,
    fn: Fn<[ValueOf<P>], Iterable<U>>,
    captures?: Captures,
    options?: FunctionOptions,
  ): RDD<[KeyOf<P>, U]> {
    return this.recordWise('flatMapValues', fn, captures, options, true);
  }
  /** Merges the values of each key with an associative, commutative `fn`, combining on the map side first. */
  reduceByKey<P extends AnyPair>(
    this: RDD<P>,
    fn: Fn<[Widen<ValueOf<P>>, Widen<ValueOf<P>>], Widen<ValueOf<P>>>,
    numPartitions?: number,
    captures?: Captures,
  ): RDD<[KeyOf<P>, Widen<ValueOf<P>>]> {
    return keyed.reduceByKey(this, fn, numPartitions, captures);
  }
  /** Like `reduceByKey`, each key starting from (a copy of) `zero`. */
  foldByKey<P extends AnyPair>(
    this: RDD<P>,
    zero: Widen<ValueOf<P>>,
    fn: Fn<[Widen<ValueOf<P>>, Widen<ValueOf<P>>], Widen<ValueOf<P>>>,
    numPartitions?: number,
    captures?: Captures,
  ): RDD<[KeyOf<P>, Widen<ValueOf<P>>]> {
    return keyed.foldByKey(this, zero, fn, numPartitions, captures);
  }
  /** Per key: values folded into `zero` with `seqOp`, partial results merged with `combOp`. */
  aggregateByKey<P extends AnyPair, U>(
    this: RDD<P>,
    zero: U,
    seqOp: Fn<[U, ValueOf<P>], U>,
    combOp: Fn<[U, U], U>,
    numPartitions?: number,
    captures?: Captures,
  ): RDD<[KeyOf<P>, U]> {
    return keyed.aggregateByKey(this, zero, seqOp, combOp, numPartitions, captures);
  }
  /** Spark's generic per-key aggregation. */
  combineByKey<P extends AnyPair, C>(
    this: RDD<P>,
    createCombiner: Fn<[ValueOf<P>], C>,
    mergeValue: Fn<[C, ValueOf<P>], C>,
    mergeCombiners: Fn<[C, C], C>,
    numPartitions?: number,
    captures?: Captures,
  ): RDD<[KeyOf<P>, C]> {
    return keyed.combineByKey(this, createCombiner, mergeValue, mergeCombiners, numPartitions, captures);
  }
  /** `[k, [all values of k]]` (no map-side combine: prefer `reduceByKey` to aggregate). */
  groupByKey<P extends AnyPair>(this: RDD<P>, numPartitions?: number): RDD<[KeyOf<P>, ValueOf<P>[]]> {
    return keyed.groupByKey(this, numPartitions);
  }
  /** Sorted by key, range-partitioned: partition `i` holds smaller keys than partition `i + 1`. */
  sortByKey<P extends AnyPair>(this: RDD<P>, ascending = true, numPartitions?: number): RDD<P> {
    return keyed.sortByKey(this, ascending, numPartitions);
  }
  /** Hash-partitioned into `numPartitions` (no-op if already partitioned that way). */
  partitionBy<P extends AnyPair>(this: RDD<P>, numPartitions: number): RDD<P> {
    return keyed.partitionBy(this, checkPartitionCount(numPartitions, 'partitionBy()'));
  }
  /** `[k, [values here, values in other]]` for every key of either. */
  cogroup<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P>[], ValueOf<Q>[]]]> {
    return keyed.cogroup(this, [sameContext(this, other, 'cogroup')], numPartitions) as RDD<
      [KeyOf<P>, [ValueOf<P>[], ValueOf<Q>[]]]
    >;
  }
  /** Inner join: `[k, [v, w]]` for each matching pair. */
  join<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P>, ValueOf<Q>]]> {
    return keyed.join(this, sameContext(this, other, 'join'), 'inner', numPartitions);
  }
  /** `[k, [v, w | null]]`: every record of this dataset. */
  leftOuterJoin<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P>, ValueOf<Q> | null]]> {
    return keyed.join(this, sameContext(this, other, 'leftOuterJoin'), 'left', numPartitions);
  }
  /** `[k, [v | null, w]]`: every record of `other`. */
  rightOuterJoin<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P> | null, ValueOf<Q>]]> {
    return keyed.join(this, sameContext(this, other, 'rightOuterJoin'), 'right', numPartitions);
  }
  /** `[k, [v | null, w | null]]`: every record of both. */
  fullOuterJoin<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P> | null, ValueOf<Q> | null]]> {
    return keyed.join(this, sameContext(this, other, 'fullOuterJoin'), 'full', numPartitions);
  }
  /** Pairs whose key does not occur in `other`. */
  subtractByKey<P extends AnyPair, Q extends AnyPair>(this: RDD<P>, other: RDD<Q>, numPartitions?: number): RDD<P> {
    return keyed.subtractByKey(this, sameContext(this, other, 'subtractByKey'), numPartitions);
  }
  /** `cogroup` with any number of others: `[k, [values here, values in others[0], …]]` (PySpark's `groupWith`). */
  groupWith<P extends AnyPair>(this: RDD<P>, ...others: RDD<any>[]): RDD<[KeyOf<P>, unknown[][]]> {
    const checked = others.map((other) => sameContext(this, other, 'groupWith'));
    return keyed.cogroup(this, checked, undefined, 'groupWith');
  }
  /**
   * Pairs ordered by `keyfunc(key)` (PySpark's `sortByKey(ascending, numPartitions, keyfunc)`); the pairs keep their
   * keys. Without `keyfunc`, as `sortByKey`.
   */
  sortByKeyWith<P extends AnyPair>(
    this: RDD<P>,
    ascending: boolean,
    numPartitions: number | undefined,
    keyfunc: Fn<[KeyOf<P>], unknown>,
    captures?: Captures,
  ): RDD<P> {
    if (numPartitions !== undefined) checkPartitionCount(numPartitions, 'sortByKey()');
    return more.sortByKeyWith(this, ascending, numPartitions, keyfunc, captures);
  }
  /**
   * Pairs moved to partition `partitionFunc(key) mod numPartitions` (default: `partitionBy`'s hash) and sorted by
   * `keyfunc(key)` (default: the key) within each partition, in one shuffle (PySpark's
   * `repartitionAndSortWithinPartitions`).
   */
  repartitionAndSortWithinPartitions<P extends AnyPair>(
    this: RDD<P>,
    numPartitions: number,
    partitionFunc?: Fn<[KeyOf<P>], number>,
    ascending = true,
    keyfunc?: Fn<[KeyOf<P>], unknown>,
    captures?: Captures,
  ): RDD<P> {
    return repartitionAndSortWithinPartitions(this, numPartitions, partitionFunc, ascending, keyfunc, captures);
  }
  /** Records grouped by `fn(record)`: `[key, records]` (Spark's `groupBy`; prefer `reduceByKey` to aggregate). */
  groupBy<K>(fn: Fn<[T], K>, numPartitions?: number, captures?: Captures): RDD<[K, T[]]> {
    return more.groupBy(this, fn, numPartitions, captures);
  }
  /**
   * The i-th record of this dataset paired with the i-th of `other`: `[x, y]`. Both need the same number of
   * partitions and of records (else the job fails naming zip()).
   */
  zip<U>(other: RDD<U>): RDD<[T, U]> {
    return more.zip(this, sameContext(this, other, 'zip'));
  }
  /** `[record, id]` with ids `k * n + p` for the k-th record of partition p of n: unique, not contiguous; no job. */
  zipWithUniqueId(): RDD<[T, number]> {
    return more.zipWithUniqueId(this);
  }
  /** Datasets of disjoint random parts, sized about as `weights`, together every record once (see sampling.ts). */
  randomSplit(weights: readonly number[], seed?: number): RDD<T>[] {
    return sampling.randomSplit(this, weights, seed);
  }
  /** A stratified sample: each pair kept with its key's fraction (`{ [String(key)]: fraction }` or a Map). */
  sampleByKey<P extends AnyPair>(
    this: RDD<P>,
    withReplacement: boolean,
    fractions: Readonly<Record<string, number>> | ReadonlyMap<KeyOf<P>, number>,
    seed?: number,
  ): RDD<P> {
    return sampling.sampleByKey(this, withReplacement, fractions, seed);
  }
  /** Each partition's records through an external command, a line per record each way (Spark's `pipe`). */
  pipe(command: string, options?: PipeOptions): RDD<string> {
    return piping.pipe(this, command, options);
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

  // ---- actions ------------------------------------------------------------------------------------------------

  /** All records, in partition order. */
  collect(): Promise<T[]> {
    return actions.collect(this);
  }
  count(): Promise<number> {
    return actions.count(this);
  }
  /** The first record; rejects on an empty dataset. */
  first(): Promise<T> {
    return actions.first(this);
  }
  /** The first `n` records, scanning as few partitions as it can. */
  take(n: number): Promise<T[]> {
    return actions.take(this, n);
  }
  /** The `n` largest records by `keyFn` (default: the record), largest first. */
  top(n: number, keyFn?: Fn<[T], unknown>, captures?: Captures): Promise<T[]> {
    return actions.takeOrdered(this, n, keyFn, captures, true);
  }
  /** The `n` smallest records by `keyFn` (default: the record), smallest first. */
  takeOrdered(n: number, keyFn?: Fn<[T], unknown>, captures?: Captures): Promise<T[]> {
    return actions.takeOrdered(this, n, keyFn, captures, false);
  }
  /** Records merged with an associative, commutative `fn`; rejects on an empty dataset. */
  reduce(fn: Fn<[T, T], T>, captures?: Captures): Promise<T> {
    return actions.reduce(this, fn, captures);
  }
  /** Each partition folded from `zero`, then the partition results folded from `zero` on the driver. */
  fold(zero: T, fn: Fn<[T, T], T>, captures?: Captures): Promise<T> {
    return actions.fold(this, zero, fn, captures);
  }
  /** Each partition folded from `zero` with `seqOp`; results merged from `zero` with `combOp` on the driver. */
  aggregate<U>(zero: U, seqOp: Fn<[U, T], U>, combOp: (a: U, b: U) => U, captures?: Captures): Promise<U> {
    return actions.aggregate(this, zero, seqOp, combOp, captures);
  }
  /** Runs `fn` on every record, in the workers. */
  foreach(fn: Fn<[T], unknown>, captures?: Captures): Promise<void> {
    return actions.foreach(this, fn, captures, false);
  }
  /** Runs `fn` on every partition's iterable, in the workers. */
  foreachPartition(fn: Fn<[Iterable<T>], unknown>, captures?: Captures): Promise<void> {
    return actions.foreach(this, fn, captures, true);
  }
  /** How many times each distinct record occurs. */
  countByValue(): Promise<Map<T, number>> {
    return actions.countByValue(this);
  }
  /** How many records each key has. */
  countByKey<P extends AnyPair>(this: RDD<P>): Promise<Map<KeyOf<P>, number>> {
    return actions.countByKey(this);
  }
  /** The pairs as a Map (a later value of a repeated key wins). */
  collectAsMap<P extends AnyPair>(this: RDD<P>): Promise<Map<KeyOf<P>, ValueOf<P>>> {
    return actions.collectAsMap(this);
  }
  /** The values of `key` (only one partition is scanned when the dataset is hash-partitioned). */
  lookup<P extends AnyPair>(this: RDD<P>, key: KeyOf<P>): Promise<ValueOf<P>[]> {
    return actions.lookup(this, key);
  }
  /**
   * Writes one line per record (`String(record)`) as `dir/part-00000 …` plus `_SUCCESS`. Atomic: `dir` appears
   * whole or not at all. An existing `dir` is an error unless `{ overwrite: true }`.
   */
  saveAsTextFile(dir: string, options?: SaveOptions): Promise<void> {
    return saveAsTextFile(this, dir, options);
  }
  /** True when the dataset has no record (scans as few partitions as `take(1)`). */
  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }
  /** The sum of numeric records (0 when empty). */
  sum(this: RDD<number>): Promise<number> {
    return this.fold(0, (a, b) => a + b);
  }
  /** The largest record by `keyFn` (default: the record itself); rejects on an empty dataset. */
  max(keyFn?: Fn<[T], unknown>, captures?: Captures): Promise<T> {
    return numeric.extreme(this, true, keyFn, captures);
  }
  /** The smallest record by `keyFn` (default: the record itself); rejects on an empty dataset. */
  min(keyFn?: Fn<[T], unknown>, captures?: Captures): Promise<T> {
    return numeric.extreme(this, false, keyFn, captures);
  }
  /** Count, mean, variance, max and min of numeric records in one pass (Spark's `StatCounter`). */
  stats(this: RDD<number>): Promise<StatCounter> {
    return numeric.stats(this);
  }
  /** The mean of numeric records (0 when empty, as Spark). */
  async mean(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this)).mean;
  }
  /** The population variance of numeric records (NaN when empty). */
  async variance(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this)).variance;
  }
  /** The population standard deviation of numeric records (NaN when empty). */
  async stdev(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this)).stdev;
  }
  /** The sample variance (divided by count - 1) of numeric records (NaN under 2 records). */
  async sampleVariance(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this)).sampleVariance;
  }
  /** The sample standard deviation of numeric records (NaN under 2 records). */
  async sampleStdev(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this)).sampleStdev;
  }
  /**
   * Counts per bucket: `n` even buckets between the min and max, or the given sorted boundaries (numbers or
   * strings); the last bucket includes its right end. Returns `[buckets, counts]` (PySpark's `histogram`).
   */
  histogram(buckets: number | readonly T[]): Promise<Histogram<T>> {
    return numeric.histogram(this, buckets);
  }
  /** `num` records at random, in random order (Spark's `takeSample`); deterministic for a seed. */
  takeSample(withReplacement: boolean, num: number, seed?: number): Promise<T[]> {
    return sampling.takeSample(this, withReplacement, num, seed);
  }
  /** `reduce`, merging partition results in rounds of shuffles (`depth` levels) before the driver. */
  treeReduce(fn: Fn<[T, T], T>, depth = 2, captures?: Captures): Promise<T> {
    return tree.treeReduce(this, fn, depth, captures);
  }
  /** `aggregate`, merging partition results in rounds of shuffles (`depth` levels); `combOp` runs in workers. */
  treeAggregate<U>(zero: U, seqOp: Fn<[U, T], U>, combOp: Fn<[U, U], U>, depth = 2, captures?: Captures): Promise<U> {
    return tree.treeAggregate(this, zero, seqOp, combOp, depth, captures);
  }
  /** Values merged per key with `fn`, returned as a Map to the driver (Spark's `reduceByKeyLocally`). */
  reduceByKeyLocally<P extends AnyPair>(
    this: RDD<P>,
    fn: Fn<[ValueOf<P>, ValueOf<P>], ValueOf<P>>,
    captures?: Captures,
  ): Promise<Map<KeyOf<P>, ValueOf<P>>> {
    return this.reduceByKey(fn as any, undefined, captures).collectAsMap() as Promise<Map<KeyOf<P>, ValueOf<P>>>;
  }
  /** About how many distinct records there are (HyperLogLog; standard error about `relativeSD`). */
  countApproxDistinct(relativeSD = 0.05): Promise<number> {
    return countApproxDistinct(this as RDD<unknown>, relativeSD);
  }
  /** The records in order, one job per partition as the iteration reaches it: `for await (const x of …)`. */
  toLocalIterator(): AsyncGenerator<T, void, undefined> {
    return piping.toLocalIterator(this);
  }
}

/** Both datasets must come from the same Context: their nodes, shuffles and blocks live there. */
function sameContext<U>(self: RDD<any>, other: RDD<U>, operation: string): RDD<U> {
  if (!(other instanceof RDD)) {
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
