// Seeded random queries for the differential test against DuckDB: each is a kindling pipeline over datasets `t` and
// `u` (random-tables.ts) and the DuckDB SQL that asks the same question under kindling's documented rules (see
// random-expressions.ts for where those differ from DuckDB's). (node --test loads this; it declares no tests.)
import type { Rng } from '../../src/common/rng.js';
import {
  col,
  count,
  countDistinct,
  denseRank,
  first,
  lag,
  last,
  lead,
  max,
  mean,
  min,
  rank,
  rowNumber,
  stddev,
  sum,
  variance,
  Window,
  type Aggregate,
  type Dataset,
  type SortKey,
  type WindowFunctionCall,
} from '../../src/index.js';
import { booleanExpression, numberExpression, stringExpression, type Both } from './random-expressions.js';

/** One question, both ways. */
export interface RandomQuery {
  readonly label: string;
  readonly sql: string;
  readonly build: (t: Dataset, u: Dataset) => Dataset;
  /** The output columns compared, in order. */
  readonly columns: readonly string[];
  /** Whether the rows' order is defined (orderBy): else rows compare as a multiset. */
  readonly ordered: boolean;
  /**
   * Columns compared to 10 significant digits: aggregates whose float summation order legitimately differs between
   * engines (partial sums per partition, Welford merges) over values that are not exact in float64.
   */
  readonly approx: readonly string[];
}

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[rng.nextInt(values.length)]!;
}

function some<T>(rng: Rng, values: readonly T[], countMax: number): T[] {
  const shuffled = values.map((v) => [rng.nextFloat(), v] as const);
  shuffled.sort((a, b) => a[0] - b[0]);
  return shuffled.slice(0, 1 + rng.nextInt(countMax)).map(([, v]) => v);
}

/** An optional filter in front of a query. */
function maybeFilter(rng: Rng): { apply: (t: Dataset) => Dataset; where: string } {
  if (rng.nextInt(2) === 0) return { apply: (t) => t, where: '' };
  const p = booleanExpression(rng);
  return { apply: (t) => t.filter(p.ours), where: ` WHERE ${p.sql}` };
}

function selectQuery(rng: Rng): RandomQuery {
  const filter = maybeFilter(rng);
  const expressions: Both[] = [numberExpression(rng), stringExpression(rng), booleanExpression(rng)];
  const names = expressions.map((_, i) => `e${i}`);
  return {
    label: 'filter + select',
    sql: `SELECT id, ${expressions.map((e, i) => `${e.sql} AS e${i}`).join(', ')} FROM t${filter.where}`,
    build: (t) => filter.apply(t).select(col('id'), ...expressions.map((e, i) => e.ours.as(`e${i}`))),
    columns: ['id', ...names],
    ordered: false,
    approx: [],
  };
}

/** An aggregate both ways, and whether its value may differ in the last digits with summation order. */
function randomAggregate(rng: Rng, name: string): { ours: Aggregate; sql: string; approx: boolean } {
  const r = rng.nextInt(12);
  const c = (names: string[]) => pick(rng, names);
  if (r === 0) return { ours: count().as(name), sql: `count(*)`, approx: false };
  if (r === 1) {
    const n = c(['x', 's', 'k', 'ts', 'f']);
    return { ours: count(n).as(name), sql: `count(${n})`, approx: false };
  }
  if (r === 2) {
    // Sums of data values are exact (quarters, small ints); of a computed expression they are not.
    if (rng.nextInt(3) === 0) {
      const e = numberExpression(rng, 1);
      return { ours: sum(e.ours).as(name), sql: `sum(CAST(${e.sql} AS DOUBLE))`, approx: true };
    }
    const n = c(['x', 'i', 'l', 'k']);
    return { ours: sum(n).as(name), sql: `sum(${n})`, approx: false };
  }
  if (r === 3) {
    const n = c(['x', 'i', 'l']);
    return { ours: mean(n).as(name), sql: `avg(${n})`, approx: n === 'l' };
  }
  if (r === 4) {
    const n = c(['x', 'i', 'l', 's', 'ts', 'k2']);
    return { ours: min(n).as(name), sql: `min(${n})`, approx: false };
  }
  if (r === 5) {
    const n = c(['x', 'i', 'l', 's', 'ts', 'k2']);
    return { ours: max(n).as(name), sql: `max(${n})`, approx: false };
  }
  if (r === 6) {
    const n = c(['x', 's', 'k', 'k2', 'f', 'ts']);
    return { ours: countDistinct(n).as(name), sql: `count(DISTINCT ${n})`, approx: false };
  }
  if (r === 7) {
    const n = c(['x', 'i']);
    return { ours: stddev(n).as(name), sql: moments('stddev_samp', n), approx: true };
  }
  if (r === 8) {
    const n = c(['x', 'i']);
    return { ours: variance(n).as(name), sql: moments('var_samp', n), approx: true };
  }
  if (r === 9 || r === 10) {
    // Deterministic here: rows reach the aggregate in id order (fromColumns slices rows in order, filters keep it).
    const n = c(['x', 's', 'i', 'ts']);
    const ignoreNulls = rng.nextInt(2) === 0;
    const fn = r === 9 ? first : last;
    const order = r === 9 ? 'id' : 'id DESC';
    const filter = ignoreNulls ? ` FILTER (WHERE ${n} IS NOT NULL)` : '';
    return { ours: fn(n, ignoreNulls).as(name), sql: `first(${n} ORDER BY ${order})${filter}`, approx: false };
  }
  const e = numberExpression(rng, 1);
  return { ours: max(e.ours).as(name), sql: `max(CAST(${e.sql} AS DOUBLE))`, approx: false };
}

/**
 * DuckDB's sample moments refuse an infinite or NaN value ("out of range"); Spark's and kindling's are NaN then
 * (Welford's update of ±Infinity), so the SQL says NaN where the group holds one, and null below two values as both do.
 */
function moments(fn: string, n: string): string {
  const infinite = `NOT isfinite(CAST(${n} AS DOUBLE))`;
  return `(CASE WHEN count(${n}) < 2 THEN NULL WHEN bool_or(${infinite}) THEN 'nan'::DOUBLE ELSE ${fn}(CASE WHEN ${infinite} THEN NULL ELSE ${n} END) END)`;
}

function groupByQuery(rng: Rng): RandomQuery {
  const filter = maybeFilter(rng);
  const keys = rng.nextInt(6) === 0 ? [] : some(rng, ['k', 'k2', 'f', 'x', 'ts'], 2);
  const aggregates = Array.from({ length: 1 + rng.nextInt(4) }, (_, i) => randomAggregate(rng, `a${i}`));
  const names = aggregates.map((_, i) => `a${i}`);
  const select = [...keys, ...aggregates.map((a, i) => `${a.sql} AS a${i}`)].join(', ');
  const groupBy = keys.length === 0 ? '' : ` GROUP BY ${keys.join(', ')}`;
  return {
    label: keys.length === 0 ? 'agg' : 'groupBy + agg',
    sql: `SELECT ${select} FROM t${filter.where}${groupBy}`,
    build: (t) => {
      const aggs = aggregates.map((a) => a.ours) as [Aggregate, ...Aggregate[]];
      return keys.length === 0
        ? filter.apply(t).agg(...aggs)
        : filter
            .apply(t)
            .groupBy(...keys)
            .agg(...aggs);
    },
    columns: [...keys, ...names],
    ordered: false,
    approx: names.filter((_, i) => aggregates[i]!.approx),
  };
}

const JOIN_KEYS: readonly (readonly string[])[] = [['k'], ['k', 'k2'], ['x'], ['k2'], ['k2', 'x']];
const LEFT_COLUMNS = ['id', 'k', 'k2', 'x', 'i'];
const RIGHT_COLUMNS = ['k', 'k2', 'x', 'v', 'w'];

function joinQuery(rng: Rng): RandomQuery {
  const filter = maybeFilter(rng);
  const keys = pick(rng, JOIN_KEYS);
  const how = pick(rng, ['inner', 'left', 'right', 'full', 'semi', 'anti'] as const);
  const broadcast = rng.nextInt(3) === 0;
  const rightName = (c: string) => (keys.includes(c) ? c : `u_${c}`);
  const leftRest = LEFT_COLUMNS.filter((c) => !keys.includes(c));
  const rightRest = RIGHT_COLUMNS.filter((c) => !keys.includes(c)).map(rightName);
  const columns = how === 'semi' || how === 'anti' ? LEFT_COLUMNS : [...keys, ...leftRest, ...rightRest];
  const keySql = (k: string) => (how === 'right' ? `r.${k}` : how === 'full' ? `coalesce(l.${k}, r.${k})` : `l.${k}`);
  const from =
    `(SELECT ${LEFT_COLUMNS.join(', ')} FROM t${filter.where}) l ${how.toUpperCase()} JOIN ` +
    `(SELECT ${RIGHT_COLUMNS.map((c) => `${c} AS ${rightName(c)}`).join(', ')} FROM u) r USING (${keys.join(', ')})`;
  const sql =
    how === 'semi' || how === 'anti'
      ? `SELECT ${LEFT_COLUMNS.map((c) => `l.${c}`).join(', ')} FROM ${from}`
      : `SELECT ${[...keys.map((k) => `${keySql(k)} AS ${k}`), ...leftRest.map((c) => `l.${c}`), ...rightRest.map((c) => `r.${c}`)].join(', ')} FROM ${from}`;
  return {
    label: `${how} join on ${keys.join(', ')}${broadcast ? ' (broadcast hint)' : ''}`,
    sql,
    build: (t, u) => {
      const right = u.select(...RIGHT_COLUMNS.map((c) => col(c).as(rightName(c))));
      return filter
        .apply(t)
        .select(...LEFT_COLUMNS)
        .join(broadcast ? right.hint('broadcast') : right, [...keys], how);
    },
    columns,
    ordered: false,
    approx: [],
  };
}

type Direction = readonly [string, (c: ReturnType<typeof col>) => SortKey];
const DIRECTIONS: readonly Direction[] = [
  ['ASC NULLS FIRST', (c) => c.ascNullsFirst()],
  ['ASC NULLS LAST', (c) => c.ascNullsLast()],
  ['DESC NULLS FIRST', (c) => c.descNullsFirst()],
  ['DESC NULLS LAST', (c) => c.descNullsLast()],
];

function sortKeys(rng: Rng, names: readonly string[], countMax: number): { ours: SortKey[]; sql: string[] } {
  const chosen = some(rng, names, countMax).map((n) => [n, pick(rng, DIRECTIONS)] as const);
  return {
    ours: chosen.map(([n, [, key]]) => key(col(n))),
    sql: chosen.map(([n, [sql]]) => `${n} ${sql}`),
  };
}

function windowQuery(rng: Rng): RandomQuery {
  const filter = maybeFilter(rng);
  const partitionBy = pick(rng, [[], ['k'], ['k2'], ['k', 'f'], ['x']]);
  const order = sortKeys(rng, ['x', 'i', 's', 'ts', 'k'], 2);
  // Row numbers and offsets need a total order (id breaks ties); ranks and running aggregates see ties as peers.
  const byId = { ours: [...order.ours, col('id').asc()], sql: [...order.sql, 'id ASC'] };
  const functions: { ours: WindowFunctionCall | Aggregate; sql: string; total: boolean; frame?: number }[] = [
    { ours: rowNumber(), sql: 'row_number()', total: true },
    { ours: rank(), sql: 'rank()', total: false },
    { ours: denseRank(), sql: 'dense_rank()', total: false },
    { ours: lag('i', 1), sql: 'lag(i, 1)', total: true },
    { ours: lead('x', 2, 0), sql: 'lead(x, 2, 0)', total: true },
    { ours: sum('x'), sql: 'sum(x)', total: false },
    { ours: count('s'), sql: 'count(s)', total: false },
    // min / max of strings over a window fail with ERR_COLUMNAR_TYPE (numbers, dates and timestamps only).
    { ours: min('ts'), sql: 'min(ts)', total: false },
    { ours: max('x'), sql: 'max(x)', total: false },
    { ours: mean('i'), sql: 'avg(i)', total: false },
    { ours: sum('i'), sql: 'sum(i)', total: true, frame: 2 },
    { ours: min('x'), sql: 'min(x)', total: true, frame: 1 },
  ];
  const chosen = some(rng, functions, 3);
  const partitionSql = partitionBy.length === 0 ? '' : `PARTITION BY ${partitionBy.join(', ')} `;
  const names = chosen.map((_, i) => `w${i}`);
  return {
    label: `window over (${partitionSql}ORDER BY ${order.sql.join(', ')})`,
    sql: `SELECT id, ${chosen
      .map((f, i) => {
        const frame = f.frame === undefined ? '' : ` ROWS BETWEEN ${f.frame} PRECEDING AND 1 FOLLOWING`;
        return `${f.sql} OVER (${partitionSql}ORDER BY ${(f.total ? byId : order).sql.join(', ')}${frame}) AS w${i}`;
      })
      .join(', ')} FROM t${filter.where}`,
    build: (t) =>
      chosen
        .reduce((ds, f, i) => {
          const base = partitionBy.length === 0 ? Window.orderBy() : Window.partitionBy(...partitionBy);
          const ordered = base.orderBy(...(f.total ? byId : order).ours);
          const spec = f.frame === undefined ? ordered : ordered.rowsBetween(-f.frame, 1);
          return ds.withColumn(`w${i}`, f.ours.over(spec));
        }, filter.apply(t))
        .select('id', ...names),
    columns: ['id', ...names],
    ordered: false,
    approx: [],
  };
}

function setOperationQuery(rng: Rng): RandomQuery {
  const filter = maybeFilter(rng);
  const columns = some(rng, ['k', 'k2', 'x'], 3);
  const [op, sqlOp] = pick(rng, [
    ['intersect', 'INTERSECT'],
    ['subtract', 'EXCEPT'],
    ['intersectAll', 'INTERSECT ALL'],
    ['exceptAll', 'EXCEPT ALL'],
  ] as const);
  return {
    label: `${op} on ${columns.join(', ')}`,
    sql: `SELECT ${columns.join(', ')} FROM t${filter.where} ${sqlOp} SELECT ${columns.join(', ')} FROM u`,
    build: (t, u) => {
      const left = filter.apply(t).select(...columns);
      return left[op](u.select(...columns));
    },
    columns,
    ordered: false,
    approx: [],
  };
}

function joinThenAggregateQuery(rng: Rng): RandomQuery {
  const keys = pick(rng, JOIN_KEYS);
  const how = pick(rng, ['inner', 'left', 'full'] as const);
  const groupKey = pick(rng, keys);
  const keySql = how === 'full' ? `coalesce(l.${groupKey}, r.${groupKey})` : `l.${groupKey}`;
  return {
    label: `${how} join on ${keys.join(', ')} + groupBy ${groupKey}`,
    sql:
      `SELECT ${keySql} AS g, count(*) AS n, count(r.v) AS nv, sum(r.v) AS sv, max(l.i) AS mi FROM t l ` +
      `${how.toUpperCase()} JOIN u r ON ${keys.map((k) => `l.${k} = r.${k}`).join(' AND ')} GROUP BY ${keySql}`,
    build: (t, u) =>
      t
        .select('id', 'k', 'k2', 'x', 'i')
        .join(u.select(...keys, 'v'), [...keys], how)
        .groupBy(col(groupKey).as('g'))
        .agg(count().as('n'), count('v').as('nv'), sum('v').as('sv'), max('i').as('mi')),
    columns: ['g', 'n', 'nv', 'sv', 'mi'],
    ordered: false,
    approx: [],
  };
}

function missingValuesQuery(rng: Rng): RandomQuery {
  // PySpark's na functions: null and NaN are both missing.
  const missing = (c: string) => (c === 'x' ? `(${c} IS NULL OR isnan(${c}))` : `(${c} IS NULL)`);
  const subset = some(rng, ['k', 'x', 's', 'i'], 3);
  if (rng.nextInt(2) === 0) {
    const how = pick(rng, ['any', 'all'] as const);
    return {
      label: `dropna how ${how} subset ${subset.join(', ')}`,
      sql: `SELECT id, k, x, s, i FROM t WHERE NOT (${subset.map(missing).join(how === 'any' ? ' OR ' : ' AND ')})`,
      build: (t) => t.select('id', 'k', 'x', 's', 'i').dropna({ how, subset }),
      columns: ['id', 'k', 'x', 's', 'i'],
      ordered: false,
      approx: [],
    };
  }
  const value = pick(rng, [0, -1.5, 7]);
  // A number fills the number columns of the subset (int32 ones truncated, as cast), not the string one.
  const filled = (c: string) =>
    !subset.includes(c) || c === 's'
      ? c
      : c === 'x'
        ? `(CASE WHEN ${missing(c)} THEN ${value} ELSE ${c} END)`
        : `coalesce(${c}, ${Math.trunc(value)})`;
  return {
    label: `fillna ${value} subset ${subset.join(', ')}`,
    sql: `SELECT id, ${['k', 'x', 's', 'i'].map((c) => `${filled(c)} AS ${c}`).join(', ')} FROM t`,
    build: (t) => t.select('id', 'k', 'x', 's', 'i').fillna(value, subset),
    columns: ['id', 'k', 'x', 's', 'i'],
    ordered: false,
    approx: [],
  };
}

function distinctQuery(rng: Rng): RandomQuery {
  const filter = maybeFilter(rng);
  const columns = some(rng, ['k', 'k2', 'x', 'f', 's', 'ts'], 3);
  return {
    label: `distinct ${columns.join(', ')}`,
    sql: `SELECT DISTINCT ${columns.join(', ')} FROM t${filter.where}`,
    build: (t) =>
      filter
        .apply(t)
        .select(...columns)
        .distinct(),
    columns,
    ordered: false,
    approx: [],
  };
}

function orderByQuery(rng: Rng): RandomQuery {
  const filter = maybeFilter(rng);
  const order = sortKeys(rng, ['x', 'i', 's', 'ts', 'k2', 'l', 'f'], 3);
  const limit = rng.nextInt(2) === 0 ? null : rng.nextInt(12);
  const columns = ['id', ...new Set(order.sql.map((s) => s.split(' ')[0]!))];
  return {
    label: `orderBy ${order.sql.join(', ')}${limit === null ? '' : ` limit ${limit}`}`,
    sql: `SELECT ${columns.join(', ')} FROM t${filter.where} ORDER BY ${[...order.sql, 'id'].join(', ')}${limit === null ? '' : ` LIMIT ${limit}`}`,
    build: (t) => {
      const sorted = filter
        .apply(t)
        .select(...columns)
        .orderBy(...order.ours, col('id').asc());
      return limit === null ? sorted : sorted.limit(limit);
    },
    columns,
    ordered: true,
    approx: [],
  };
}

function unionQuery(rng: Rng): RandomQuery {
  const a = maybeFilter(rng);
  const b = maybeFilter(rng);
  const grouped = rng.nextInt(2) === 0;
  // Positional: t's (k, x, k2) above u's (k, x, k2): same names here, but union matches by position.
  const union = `SELECT k, x, k2 FROM t${a.where} UNION ALL SELECT k, x, k2 FROM t${b.where} UNION ALL SELECT k, x, k2 FROM u`;
  return {
    label: `union${grouped ? ' + groupBy' : ''}`,
    sql: grouped
      ? `SELECT k2, count(*) AS n, sum(x) AS sx, count(DISTINCT k) AS dk FROM (${union}) GROUP BY k2`
      : union,
    build: (t, u) => {
      const all = a
        .apply(t)
        .select('k', 'x', 'k2')
        .union(b.apply(t).select('k', 'x', 'k2'))
        .union(u.select('k', 'x', 'k2'));
      return grouped ? all.groupBy('k2').agg(count().as('n'), sum('x').as('sx'), countDistinct('k').as('dk')) : all;
    },
    columns: grouped ? ['k2', 'n', 'sx', 'dk'] : ['k', 'x', 'k2'],
    ordered: false,
    approx: [],
  };
}

const KINDS = [
  selectQuery,
  groupByQuery,
  joinQuery,
  windowQuery,
  distinctQuery,
  orderByQuery,
  unionQuery,
  setOperationQuery,
  joinThenAggregateQuery,
  missingValuesQuery,
];

/** A random query of a random kind. */
export function randomQuery(rng: Rng): RandomQuery {
  return pick(rng, KINDS)(rng);
}
