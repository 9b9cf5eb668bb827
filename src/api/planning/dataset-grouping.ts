/**
 * The planning of the `Dataset` verbs that group rows by keys through a hash shuffle: the grouped aggregation
 * (`groupBy().agg()`, `agg()`), `dropDuplicates` / `distinct`, and `repartition`.
 */
import type { ColumnarOp, ColumnarSink } from '../../protocol/columnar.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import { aggregateInputOps, type Aggregate } from '../functions/dataset-aggregates.js';
import { aggregateSpecs, dedupeColumns, type GroupByOptions } from '../dataset/dataset-arguments.js';
import { combinedCachedPartitions } from './cached-map-tasks.js';
import type { DatasetParts } from './dataset-join.js';
import type { Dataset } from '../dataset/dataset.js';
import { shuffleStage } from './dataset-stages.js';

/**
 * The grouped aggregation as plan nodes: partial aggregates map-side, a hash shuffle, merge reduce-side.
 *
 * @example
 * planAggregate(parts, ['id1'], [sum('v1')], 8);
 */
export function planAggregate(
  parts: DatasetParts,
  keys: readonly string[],
  aggregates: readonly Aggregate[],
  numPartitions: number,
): Dataset {
  const specs = aggregateSpecs(keys, aggregates);
  // Aggregates over computed expressions read them as columns, added map-side first.
  const input = { ...parts, ops: [...parts.ops, ...aggregateInputOps(aggregates)] };
  // Over a cached dataset, a map task per thread combines several partitions' partials (`cached-map-tasks.ts`).
  const combined = combinedCachedPartitions(input, parts.context.options.defaultParallelism);
  const shuffled = shuffleStage(
    parts.context,
    combined ?? parts.base,
    input.ops,
    { kind: 'partial-aggregate', keys, aggregates: specs },
    'groupBy',
    numPartitions,
  );
  return parts.over(shuffled, [{ kind: 'final-aggregate', keys, aggregates: specs }]);
}

/**
 * `dropDuplicates(columns)` as plan nodes: each map task drops its own duplicates, rows are hash-partitioned by the
 * key columns, and each reduce task drops the rest.
 *
 * @example
 * planDropDuplicates(parts, ['user', 'day'], {});
 */
export function planDropDuplicates(parts: DatasetParts, columns: readonly string[], options: GroupByOptions): Dataset {
  const keys = dedupeColumns(columns);
  const numPartitions = checkPartitionCount(
    options.numPartitions ?? parts.context.options.defaultParallelism,
    'dropDuplicates()',
  );
  const dedupe: ColumnarOp = { kind: 'dedupe', keys };
  const mapOps = [...parts.ops, dedupe];
  const shuffled = shuffleStage(
    parts.context,
    parts.base,
    mapOps,
    { kind: 'hash-partition', keys },
    'dropDuplicates',
    numPartitions,
  );
  return parts.over(shuffled, [dedupe]);
}

/**
 * `repartition(n, ...columns)`: every row moves through a shuffle into `numPartitions` partitions by a hash of
 * `columns` (of all its columns when none is named: Spark deals rows round-robin there; here equal rows land
 * together, which spreads rows as evenly unless many rows are equal).
 */
export function planRepartition(parts: DatasetParts, numPartitions: number, columns: readonly string[]): Dataset {
  const keys = dedupeColumns(columns, 'repartition');
  const n = checkPartitionCount(numPartitions, 'repartition()');
  const sink: ColumnarSink = { kind: 'hash-partition', keys };
  return parts.over(shuffleStage(parts.context, parts.base, parts.ops, sink, 'repartition', n), []);
}
