import type { Table } from 'apache-arrow';
import type { ColumnarOp, ColumnarSink } from '../../protocol/columnar.js';
import { explainColumnar } from '../../plan/columnar-explain.js';
import type { PlanNode } from '../../plan/plan-node.js';
import type { ContextInternals } from '../context/context-internals.js';
import { expressionArg, selectColumns, toNamed } from './dataset-arguments.js';
import { collectArrow } from './dataset-arrow.js';
import { DatasetExchanges } from './dataset-exchanges.js';
import { planCoalesce } from '../planning/dataset-coalesce.js';
import type { DatasetParts } from '../planning/dataset-join.js';
import { forgetUnsortedInput, planLimit } from '../planning/dataset-ordering.js';
import { shuffleStage, stageNode } from '../planning/dataset-stages.js';
import type { RddFactory, Row } from './dataset-types.js';
import { planWindow, planWindowFilter, WindowExpression } from '../functions/dataset-window.js';
import { writeJobRunner } from '../writers/dataset-write-job.js';
import { DatasetWriter } from '../writers/dataset-writer.js';
import { describeParquetScan } from '../sources/scan-explain.js';
import type { ColumnExpression } from '../functions/dataset-expressions.js';
import { count } from '../functions/dataset-aggregates.js';
import type { RDD } from '../rdd/rdd.js';
import { persistNode, unpersistNode, type StorageLevel, type UnpersistOptions } from '../context/block-cache.js';

export type { GroupByOptions } from './dataset-arguments.js';
export type { ShowOptions } from './dataset-show.js';
export type { DropNullsOptions, FillValue } from './dataset-null-handling.js';
export type { SchemaField } from './dataset-schema.js';
export type { RddFactory, Row } from './dataset-types.js';
export { GroupedDataset } from './grouped-dataset.js';

/**
 * A lazy, immutable, partitioned table of named, typed columns whose operations run as vectorized kernels over
 * Arrow buffers in shared memory (issue 5): no JS object or string per value on the hot path. Same scheduler,
 * shuffles and retries as RDDs; `toRDD()` / `rdd.toDataset()` move between the two APIs.
 * Columns hold int32, int64 (bigints in rows), float64, strings (UTF-8), booleans, dates and timestamps (JS `Date`s
 * in rows), each value possibly null (SQL semantics: nulls propagate, aggregates skip them, group as one key).
 *
 * @example
 * const counts = kc.readText('books/')
 *   .select(splitToRows(col('value')).as('word'))
 *   .groupBy('word').agg(count())
 *   .orderBy(col('count').desc(), 'word')
 *   .limit(10);
 * console.log(await counts.collect()); // [{ word: 'the', count: 9120 }, …]
 */
export class Dataset extends DatasetExchanges {
  readonly #context: ContextInternals;
  /** The plan node this dataset's pending operators read: a source, a shuffle or an RDD. */
  #base: PlanNode;
  /** Operators not yet cut into a stage (they run in the stage that reads `#base`). `persist` resets both. */
  #ops: readonly ColumnarOp[];
  readonly #makeRdd: RddFactory;

  /** @internal Made by `kc.readText`, `kc.fromColumns` …, `rdd.toDataset()` and transformations. */
  constructor(context: ContextInternals, base: PlanNode, ops: readonly ColumnarOp[], makeRdd: RddFactory) {
    super();
    this.#context = context;
    this.#base = base;
    this.#ops = ops;
    this.#makeRdd = makeRdd;
  }

  /** Partitions (tasks) of the stage that computes this dataset. */
  getNumPartitions(): number {
    return this.#base.numPartitions;
  }

  /**
   * Exactly these columns: names or expressions (named by `as`, or by their text); `'*'` is every column, in order.
   * One of them may be a `splitToRows` expression; the other columns then repeat for each of its rows.
   *
   * @example
   * ds.select('*', col('temp').mul(1.8).add(32).as('fahrenheit'))
   */
  select(...columns: (string | ColumnExpression)[]): Dataset {
    const named = selectColumns(columns);
    return this.#with({ kind: 'select', columns: named });
  }

  /**
   * Every column plus `name` computed by `expr` (replacing a column of that name in place). A window function
   * (`rowNumber().over(w)`, `sum('x').over(w)` …) hash-partitions the rows by the window's partition keys first,
   * and its rows come out in window order (see `Window`).
   *
   * @example
   * ds.withColumn('len', length(col('word')))
   */
  withColumn(name: string, expr: ColumnExpression | WindowExpression): Dataset {
    if (expr instanceof WindowExpression) return planWindow(this.#parts(), name, expr);
    return this.#with({
      kind: 'with-column',
      column: toNamed(expressionArg(expr, 'withColumn()').as(name), 'withColumn()'),
    });
  }

  /**
   * Rows where the boolean expression holds.
   *
   * @example
   * ds.filter(col('count').gt(1).and(length(col('word')).ge(3)))
   */
  filter(predicate: ColumnExpression): Dataset {
    const expr = expressionArg(predicate, 'filter()').expr;
    // Top ranks of a window (`rowNumber() <= k`): limited before the window's shuffle too.
    return planWindowFilter(this.#parts(), expr) ?? this.#with({ kind: 'filter', predicate: expr });
  }

  /**
   * The same rows in at most `numPartitions` partitions, without a shuffle: each task reads a run of consecutive
   * partitions (Spark's `coalesce`; fewer, larger tasks, e.g. before writing fewer files).
   * @example ds.filter(col('year').eq(2024)).coalesce(1).write.csv('out/2024')
   */
  coalesce(numPartitions: number): Dataset {
    return planCoalesce(this, this.#parts(), numPartitions);
  }

  /**
   * The first `n` rows (of the order so far).
   *
   * @example
   * counts.orderBy(col('count').desc()).limit(10)
   */
  limit(n: number): Dataset {
    return planLimit(this, this.#parts(), n);
  }

  /**
   * Keeps this dataset's partitions once computed (as columnar blocks, under the Context's `memoryBytesMax`), so
   * later jobs over it, or over datasets derived from it from now on, read them instead of running its lineage
   * again: a loaded table is read once and queried many times. Levels as `rdd.persist`: `'MEMORY_ONLY'` (evicted
   * partitions are recomputed from lineage) or `'MEMORY_AND_DISK'` (spilled to an Arrow IPC file and read back).
   *
   * @example
   * const trips = kc.readCsv('trips.csv', { header: true, inferSchema: true }).persist();
   */
  persist(level: StorageLevel = 'MEMORY_ONLY'): this {
    const node = this.#node({ kind: 'rows' }, 'persist');
    persistNode(this.#context, node, level);
    this.#base = node;
    this.#ops = [];
    forgetUnsortedInput(this);
    return this;
  }

  /** Same as `persist()`. */
  cache(): this {
    return this.persist();
  }

  /**
   * Stops caching and drops the cached partitions (the next job recomputes them from lineage). With
   * `{ shuffleOutputs: true }` it also forgets the map outputs of the shuffles its last stage reads (as
   * `rdd.unpersist`).
   */
  unpersist(options: UnpersistOptions = {}): this {
    // With operators pending, nothing of this dataset is cached: only its last stage's shuffles can be forgotten.
    const node = this.#ops.length === 0 ? this.#base : this.#node({ kind: 'rows' }, 'unpersist');
    unpersistNode(this.#context, node, options);
    return this;
  }

  /** Every row as a plain object `{ column: value }`, partitions in order. */
  async collect(): Promise<Row[]> {
    return this.toRDD().collect();
  }

  /**
   * The number of rows. As Spark's `count()` (`groupBy().count()`), a global count aggregate: the source reads only
   * the columns that pending filters and computed columns use (`columnsReadBy`), so a Parquet scan takes its row
   * counts from the row groups' metadata and decodes no column, and no row becomes a JS object.
   *
   * @example
   * await kc.read.parquet('trips/').filter(col('fare').gt(100)).count(); // decodes `fare` only
   */
  async count(): Promise<number> {
    const [row] = await this.agg(count()).collect();
    return Number(row?.['count'] ?? 0);
  }

  /**
   * The rows as an apache-arrow `Table` (one record batch per non-empty partition; copied out of shared memory
   * only where partitions disagree on a column's type).
   */
  async toArrow(): Promise<Table> {
    return collectArrow(this.#parts());
  }

  /**
   * Writes the dataset as files, one per partition, committed all or nothing (see `DatasetWriter`).
   *
   * @example
   * await ds.write.format('csv').option('header', true).save('out/report');
   */
  get write(): DatasetWriter {
    return new DatasetWriter(writeJobRunner(this.#context, () => this.#node({ kind: 'rows' }, 'write')));
  }

  /** The same rows as an RDD of plain objects `{ column: value }`. */
  toRDD(): RDD<Row> {
    return this.#makeRdd(this.#node({ kind: 'rows' }, 'toRDD'));
  }

  /** The vectorized plan: stages from the result back to the sources, one operator per line. */
  explain(): string {
    return explainColumnar(this.#node({ kind: 'rows' }, 'explain'), describeParquetScan);
  }

  /** @internal This dataset with `op` appended (for the verbs of dataset-shaping.ts). */
  protected withOp(op: ColumnarOp): Dataset {
    return this.#with(op);
  }

  /** @internal The Context (for the verbs of dataset-shaping.ts). */
  protected context(): ContextInternals {
    return this.#context;
  }

  /** @internal What the verbs of dataset-composed.ts need of this dataset. */
  protected parts(): DatasetParts {
    return this.#parts();
  }

  /** What the verbs that live in other files (`planning/dataset-join.ts`) need of this dataset. */
  #parts(): DatasetParts {
    return {
      context: this.#context,
      base: this.#base,
      ops: this.#ops,
      node: (sink, label) => this.#node(sink, label),
      gathered: (label, mapOps = []) =>
        shuffleStage(this.#context, this.#base, [...this.#ops, ...mapOps], { kind: 'gather' }, label, 1),
      over: (base, ops) => this.#over(base, ops),
    };
  }

  #with(op: ColumnarOp): Dataset {
    return new Dataset(this.#context, this.#base, [...this.#ops, op], this.#makeRdd);
  }

  #over(base: PlanNode, ops: readonly ColumnarOp[]): Dataset {
    return new Dataset(this.#context, base, ops, this.#makeRdd);
  }

  /** The pending operators as one columnar stage ending in `sink`. */
  #node(sink: ColumnarSink, label: string): PlanNode {
    return stageNode(this.#context, this.#base, this.#ops, sink, label);
  }
}
