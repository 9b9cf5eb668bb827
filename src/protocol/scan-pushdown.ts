/**
 * What a columnar stage asks of the file it reads, derived from the stage itself so the driver (`explain`) and the
 * worker (the reader) agree: which columns it reads (projection), and which of its filters may rule out a whole
 * group of rows from the group's min/max statistics (as Parquet readers in Spark, DuckDB and Polars do).
 * Everything here only ever reads more than needed, never less: an operator it does not know makes it read every
 * column, and a predicate it does not understand never skips a group.
 */
import type { ColumnExpr, ColumnarStage, LiteralValue } from './columnar.js';
import type { ColumnStats, ParquetRowGroup, ParquetSplit, PartitionColumn } from './file-formats.js';
import type { DataTypeName } from './columnar.js';
import { STAR } from './columnar.js';

/**
 * The names among `available` the stage reads, or null for all of them. Conservative: every string anywhere in the
 * stage's operators and sink that names an available column counts as read, and all columns are read when the rows
 * leave the stage with the source's columns still in them (no `select` on the way, a `rows`-like sink).
 *
 * @example
 * columnsReadBy({ ops: [filter(x > 1), select(y)], sink: { kind: 'rows' } }, ['x', 'y', 'z']); // Set {'x', 'y'}
 */
export function columnsReadBy(stage: ColumnarStage, available: readonly string[]): ReadonlySet<string> | null {
  let passthrough = true;
  for (const op of stage.ops) {
    if (!passthrough) break;
    switch (op.kind) {
      case 'select':
        // `select('*', …)` keeps every column.
        if (op.columns.some((c) => c.expr.kind === 'col' && c.expr.name === STAR)) return null;
        passthrough = false;
        break;
      case 'hint':
      case 'filter':
      case 'with-column':
      case 'sort':
      case 'limit':
        break;
      case 'dedupe':
        if (op.keys.length === 0) return null; // compares every column
        break;
      default:
        return null; // an operator this analysis does not know may use every column
    }
  }
  if (passthrough && stage.sink.kind !== 'partial-aggregate') return null;
  const names = new Set(available);
  const read = new Set<string>();
  collectNames([stage.ops, stage.sink], names, read);
  return read;
}

function collectNames(value: unknown, names: ReadonlySet<string>, into: Set<string>): void {
  if (typeof value === 'string') {
    if (names.has(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectNames(item, names, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectNames(item, names, into);
  }
}

/**
 * The predicates of the filters the stage applies first, before anything else touches the rows: only those may
 * skip row groups (a filter after a `limit` or a computed column must see every row).
 */
export function leadingFilters(stage: ColumnarStage): ColumnExpr[] {
  const filters: ColumnExpr[] = [];
  for (const op of stage.ops) {
    if (op.kind !== 'filter') break;
    filters.push(op.predicate);
  }
  return filters;
}

/**
 * How the engine reads a string compared with a date or timestamp column (`io/parsing/temporal-text.ts`), passed in so
 * pruning reads literals exactly as the filter will: days, and milliseconds since the epoch, or null.
 */
export interface TemporalLiterals {
  readonly date: (text: string) => number | null;
  readonly timestampMs: (text: string) => number | null;
}

/** A column's statistics over a group of `rows` rows, with its type (how to read literals compared with it). */
export interface GroupColumnStats {
  readonly type: DataTypeName;
  readonly stats: ColumnStats | null;
  readonly rows: number;
}

/**
 * False only when no row of the group can make `predicate` true (SQL: a null comparison is not true, so a filter
 * drops it), judged from the columns' min, max and null count. True whenever unsure.
 *
 * @example
 * mayMatch(gt(col('x'), lit(10)), () => ({ type: 'int32', stats: { min: 0, max: 7, nulls: 0 }, rows: 100 }), temporal);
 * // false: no value above 7
 */
export function mayMatch(
  predicate: ColumnExpr,
  statsOf: (name: string) => GroupColumnStats | undefined,
  temporal: TemporalLiterals,
): boolean {
  switch (predicate.kind) {
    case 'binary': {
      const { op, left, right } = predicate;
      if (op === 'and') return mayMatch(left, statsOf, temporal) && mayMatch(right, statsOf, temporal);
      if (op === 'or') return mayMatch(left, statsOf, temporal) || mayMatch(right, statsOf, temporal);
      if (left.kind === 'col' && right.kind === 'lit') {
        return compareMayMatch(op, statsOf(left.name), right.value, temporal);
      }
      if (left.kind === 'lit' && right.kind === 'col') {
        const flipped = FLIPPED[op];
        return flipped === undefined ? true : compareMayMatch(flipped, statsOf(right.name), left.value, temporal);
      }
      return true;
    }
    case 'is-null': {
      if (predicate.arg.kind !== 'col') return true;
      const column = statsOf(predicate.arg.name);
      const nulls = column?.stats?.nulls;
      if (column === undefined || nulls === null || nulls === undefined) return true;
      return predicate.negated ? nulls < column.rows : nulls > 0;
    }
    case 'in': {
      if (predicate.arg.kind !== 'col') return true;
      const column = statsOf(predicate.arg.name);
      return predicate.values.some((value) => value !== null && compareMayMatch('==', column, value, temporal));
    }
    default:
      return true;
  }
}

const FLIPPED: Readonly<Record<string, string>> = {
  '==': '==',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

type Comparable = number | bigint | string | boolean;

function compareMayMatch(
  op: string,
  column: GroupColumnStats | undefined,
  literal: LiteralValue,
  temporal: TemporalLiterals,
): boolean {
  if (column === undefined || column.stats === null || literal === null) return true;
  const { stats, rows } = column;
  if (stats.nulls !== null && stats.nulls >= rows && rows > 0) return false; // every value null: nothing compares true
  const value = comparableLiteral(column.type, literal, temporal);
  const min = usableBound(stats.min);
  const max = usableBound(stats.max);
  if (value === null || min === null || max === null || typeof min !== typeof max) return true;
  if (!sameDomain(value, min)) return true;
  // NaN is above every number and unequal to every number (Spark's comparisons), and Parquet's statistics leave
  // NaN out of min/max: a float column may hold rows that `>`, `>=` and `!=` keep beyond what its max shows.
  if (column.type === 'float64' && (op === '>' || op === '>=' || op === '!=')) return true;
  switch (op) {
    case '>':
      return max > value;
    case '>=':
      return max >= value;
    case '<':
      return min < value;
    case '<=':
      return min <= value;
    case '==':
      return min <= value && value <= max;
    case '!=':
      return !(min <= value && min >= value && max <= value && max >= value); // all equal to it: nothing differs
    default:
      return true;
  }
}

/** A literal in the terms of the column's statistics, or null when the two cannot be compared safely. */
function comparableLiteral(
  type: DataTypeName,
  literal: Exclude<LiteralValue, null>,
  temporal: TemporalLiterals,
): Comparable | null {
  switch (type) {
    case 'int32':
    case 'float64':
      return typeof literal === 'number' && !Number.isNaN(literal) ? literal : null;
    case 'int64':
      return typeof literal === 'bigint' || (typeof literal === 'number' && !Number.isNaN(literal)) ? literal : null;
    case 'bool':
      return typeof literal === 'boolean' ? literal : null;
    case 'utf8':
      // Statistics order strings by code points (UTF-8 bytes), kindling by UTF-16 units: the two agree against a
      // literal of characters below U+D800 only.
      return typeof literal === 'string' && belowSurrogates(literal) ? literal : null;
    case 'date':
      return typeof literal === 'string' ? temporal.date(literal) : null;
    case 'timestamp':
      return typeof literal === 'string' ? temporal.timestampMs(literal) : null;
  }
}

function belowSurrogates(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0xd800) return false;
  return true;
}

function usableBound(bound: ColumnStats['min']): Comparable | null {
  if (bound === null) return null;
  if (typeof bound === 'number' && Number.isNaN(bound)) return null;
  // A bound truncated inside a character decodes with U+FFFD, which no longer bounds the values.
  if (typeof bound === 'string' && bound.includes('\ufffd')) return null;
  return bound;
}

function sameDomain(a: Comparable, b: Comparable): boolean {
  const numeric = (x: Comparable) => typeof x === 'number' || typeof x === 'bigint';
  return numeric(a) ? numeric(b) : typeof a === typeof b;
}

/**
 * Whether any row of `group` (of `split`'s file, under `partition`'s folders) may pass every filter: file columns
 * are judged by the group's statistics, partition columns by their one value.
 *
 * @example
 * if (!rowGroupMayMatch(filters, split, partition, group, temporal)) continue; // skip it unread
 */
export function rowGroupMayMatch(
  filters: readonly ColumnExpr[],
  split: ParquetSplit,
  partition: readonly PartitionColumn[],
  group: ParquetRowGroup,
  temporal: TemporalLiterals,
): boolean {
  if (filters.length === 0) return true;
  const statsOf = (name: string): GroupColumnStats | undefined => {
    const c = split.columns.findIndex((column) => column.name === name);
    if (c >= 0) return { type: split.columns[c]!.type, stats: group.stats[c] ?? null, rows: group.rows };
    const p = partition.find((column) => column.name === name);
    if (p === undefined) return undefined;
    const value = p.value;
    const stats: ColumnStats = { min: value, max: value, nulls: value === null ? group.rows : 0 };
    return { type: p.type, stats, rows: group.rows };
  };
  return filters.every((filter) => mayMatch(filter, statsOf, temporal));
}
