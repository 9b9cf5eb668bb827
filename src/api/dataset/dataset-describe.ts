/**
 * `Dataset.describe` and `Dataset.summary`, as Spark's: one aggregation job computes every statistic of every
 * column (the existing aggregates: `count`, `mean`, `stddev`, `min` / `max`, exact `quantile`, `countDistinct`), its
 * one row is cast to strings by the engine (so values read as `cast('string')` writes them), and the driver turns
 * it into a small dataset: a `summary` column naming the statistic, then one string column per described column.
 * Which aggregates apply depends on each column's type, and a dataset's schema is known only once it runs, so the
 * schema is learned first (`schema()`: its plan run to the first row) and the answer is computed before the
 * returned promise settles, where Spark's `describe()` is lazy.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { count, max, mean, min, type Aggregate } from '../functions/dataset-aggregates.js';
import { col } from '../functions/dataset-expressions.js';
import type { SchemaField } from './dataset-schema.js';
import { countDistinct, quantile, stddev } from '../functions/dataset-statistics.js';
import type { Row } from './dataset-types.js';

/** Spark's default statistics of `summary()`. */
export const SUMMARY_DEFAULT: readonly string[] = ['count', 'mean', 'stddev', 'min', '25%', '50%', '75%', 'max'];
/** The statistics of `describe()`. */
export const DESCRIBE_STATISTICS: readonly string[] = ['count', 'mean', 'stddev', 'min', 'max'];

const NUMBER_TYPES = new Set(['int32', 'int64', 'float64']);
/** Types `min` / `max` order (numbers, dates and timestamps by value; strings as `orderBy`). */
const ORDERED_TYPES = new Set(['int32', 'int64', 'float64', 'string', 'date']);

/** What `describe` / `summary` need of the dataset: its schema, and one aggregation's row cast to strings. */
export interface Described {
  schema(): Promise<SchemaField[]>;
  aggregatedAsStrings(aggregates: readonly Aggregate[]): Promise<Row>;
}

/** The rows of the answer, as columns: `summary`, then one per described column (strings, null where n/a). */
export type DescribeColumns = Record<string, (string | null)[]>;

/**
 * The answer's columns for `statistics` of `columns` (every number and string column when empty, as Spark).
 *
 * @example
 * await describeColumns(parts, ['price'], DESCRIBE_STATISTICS, 'describe()');
 */
export async function describeColumns(
  source: Described,
  columns: readonly string[],
  statistics: readonly string[],
  where: string,
): Promise<DescribeColumns> {
  const stats = statistics.map((s) => statisticArg(s, where));
  for (const name of columns) {
    if (typeof name !== 'string' || name === '') {
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `${where}: expected column names, found ${describeValue(name)}`);
    }
  }
  const schema = await source.schema();
  const fields = columns.length === 0 ? schema.filter((f) => NUMBER_TYPES.has(f.type) || f.type === 'string') : [];
  for (const name of columns) {
    const field = schema.find((f) => f.name === name);
    if (field === undefined) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `${where}: no column '${name}'; the dataset has columns ${schema.map((f) => `'${f.name}'`).join(', ')}`,
      );
    }
    fields.push(field);
  }
  if (fields.some((f) => f.name === 'summary')) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where}: the answer's first column is named 'summary', as a column of the dataset: rename that one first, ` +
        `e.g. withColumnRenamed('summary', 'summary_')`,
    );
  }
  // Aggregate j × k computes statistic k of column j, as column `s{j}_{k}` (null where it does not apply).
  const aggregates: Aggregate[] = [];
  const cells = fields.map((field, j) =>
    stats.map((stat, k) => {
      const aggregate = aggregateOf(stat, field);
      if (aggregate === null) return null;
      const name = `s${j}_${k}`;
      aggregates.push(aggregate.as(name));
      return name;
    }),
  );
  const row = aggregates.length === 0 ? {} : await source.aggregatedAsStrings(aggregates);
  const out: DescribeColumns = { summary: stats.map((s) => s.name) };
  fields.forEach((field, j) => {
    out[field.name] = cells[j]!.map((cell) => (cell === null ? null : ((row[cell] as string | null) ?? null)));
  });
  return out;
}

/** A statistic of `summary`: its name, and the quantile of a percentile. */
interface Statistic {
  readonly name: string;
  readonly kind: 'count' | 'mean' | 'stddev' | 'min' | 'max' | 'percentile' | 'count_distinct';
  readonly quantile?: number;
}

function statisticArg(value: unknown, where: string): Statistic {
  if (typeof value === 'string') {
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(value);
    if (percent !== null && Number(percent[1]) <= 100) {
      return { name: value, kind: 'percentile', quantile: Number(percent[1]) / 100 };
    }
    // Spark's approx_count_distinct is an estimate; the exact count is one.
    if (value === 'approx_count_distinct') return { name: value, kind: 'count_distinct' };
    if (['count', 'mean', 'stddev', 'min', 'max', 'count_distinct'].includes(value)) {
      return { name: value, kind: value as Statistic['kind'] };
    }
  }
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${where}: expected statistics among 'count', 'mean', 'stddev', 'min', 'max', a percentile such as '75%', ` +
      `'count_distinct' or 'approx_count_distinct', found ${describeValue(value)}`,
  );
}

/** The aggregate computing `stat` of `field`, or null where it does not apply (the mean of strings …). */
function aggregateOf(stat: Statistic, field: SchemaField): Aggregate | null {
  const number = NUMBER_TYPES.has(field.type);
  const ordered = ORDERED_TYPES.has(field.type) || field.type.startsWith('timestamp');
  switch (stat.kind) {
    case 'count':
      return count(field.name);
    case 'count_distinct':
      return countDistinct(field.name);
    case 'mean':
      return number ? mean(field.name) : null;
    case 'stddev':
      return number ? stddev(field.name) : null;
    case 'percentile':
      return number ? quantile(field.name, stat.quantile!) : null;
    case 'min':
      return ordered ? min(field.name) : null;
    case 'max':
      return ordered ? max(field.name) : null;
  }
}

/**
 * The casts that turn an aggregation's columns into strings, for `aggregatedAsStrings`.
 *
 * @example
 * ds.agg(...aggregates).select(...asStrings(aggregates));
 */
export function asStrings(aggregates: readonly Aggregate[]) {
  return aggregates.map((a) => col(a.spec.name).cast('string').as(a.spec.name));
}
