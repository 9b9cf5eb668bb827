// Seeded random column expressions over the differential test's table `t`, each built twice: as a kindling
// expression and as the DuckDB SQL that means the same under kindling's documented rules (README "Expressions").
// Where kindling's documented rules differ from DuckDB's, the SQL says kindling's rule explicitly:
// - arithmetic is float64 (JS numbers; int64 with int64 stays int64): the SQL casts operands to DOUBLE, so x / 0 is
//   ±Infinity or NaN in both (DuckDB's IEEE mode), where Spark gives null;
// - cast of a float to an integer truncates, and what does not fit is null (Spark's): DuckDB rounds, so the SQL
//   truncates first and uses TRY_CAST;
// - concat is null when a part is null (Spark's): DuckDB's concat() skips nulls, its `||` does not;
// - length counts UTF-16 code units by default: the test asks for code points, which DuckDB's length() counts.
// (node --test loads this; it declares no tests.)
import type { Rng } from '../../src/common/rng.js';
import {
  abs,
  coalesce,
  col,
  concat,
  floor,
  length,
  lit,
  lower,
  trim,
  upper,
  when,
  type ColumnExpression,
} from '../../src/index.js';

/** One expression, both ways. */
export interface Both {
  readonly ours: ColumnExpression;
  readonly sql: string;
}

const NUMBER_COLUMNS = ['k', 'i', 'x', 'id'];
const STRING_COLUMNS = ['s', 'k2'];

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[rng.nextInt(values.length)]!;
}

const column = (name: string): Both => ({ ours: col(name), sql: name });

/** A number-valued expression (float64 unless it is a bare int column). */
export function numberExpression(rng: Rng, depth = 2): Both {
  const r = depth <= 0 ? rng.nextInt(3) : rng.nextInt(15);
  if (r === 0) return column(pick(rng, NUMBER_COLUMNS));
  if (r === 1) {
    const n = pick(rng, [0, 1, -1, 2.5, 3]);
    return { ours: lit(n), sql: `${n}::DOUBLE` };
  }
  if (r === 2) return column(pick(rng, ['x', 'i']));
  if (r <= 7) {
    const a = numberExpression(rng, depth - 1);
    const b = numberExpression(rng, depth - 1);
    const op = pick(rng, ['add', 'sub', 'mul', 'div', 'mod'] as const);
    const sqlOp = { add: '+', sub: '-', mul: '*', div: '/', mod: '%' }[op];
    return { ours: a.ours[op](b.ours), sql: `(CAST(${a.sql} AS DOUBLE) ${sqlOp} CAST(${b.sql} AS DOUBLE))` };
  }
  if (r === 8) {
    const a = numberExpression(rng, depth - 1);
    const b = numberExpression(rng, depth - 1);
    return { ours: coalesce(a.ours, b.ours), sql: `coalesce(CAST(${a.sql} AS DOUBLE), CAST(${b.sql} AS DOUBLE))` };
  }
  if (r === 9) {
    const c = booleanExpression(rng, depth - 1);
    const a = numberExpression(rng, depth - 1);
    const b = numberExpression(rng, depth - 1);
    return {
      ours: when(c.ours, a.ours).otherwise(b.ours),
      sql: `(CASE WHEN ${c.sql} THEN CAST(${a.sql} AS DOUBLE) ELSE CAST(${b.sql} AS DOUBLE) END)`,
    };
  }
  if (r === 10) {
    const a = numberExpression(rng, depth - 1);
    return { ours: a.ours.cast('int'), sql: `TRY_CAST(trunc(CAST(${a.sql} AS DOUBLE)) AS INTEGER)` };
  }
  if (r === 11) {
    const s = stringExpression(rng, depth - 1);
    return { ours: length(s.ours, { unit: 'code-points' }), sql: `length(${s.sql})` };
  }
  if (r === 12) {
    // int64 with int64 stays int64 (exact: |l| < 2^40 here, so nothing wraps).
    return rng.nextInt(2) === 0
      ? { ours: col('l').add(col('l')), sql: '(l + l)' }
      : { ours: col('l').sub(col('k').cast('bigint')), sql: '(l - CAST(k AS BIGINT))' };
  }
  if (r === 13) {
    const s = stringExpression(rng, depth - 1);
    return { ours: s.ours.cast('double'), sql: `TRY_CAST(${s.sql} AS DOUBLE)` };
  }
  const a = numberExpression(rng, depth - 1);
  return rng.nextInt(2) === 0
    ? { ours: abs(a.ours), sql: `abs(${a.sql})` }
    : { ours: floor(a.ours), sql: `floor(${a.sql})` };
}

/** A string-valued expression. */
export function stringExpression(rng: Rng, depth = 2): Both {
  const r = depth <= 0 ? rng.nextInt(2) : rng.nextInt(9);
  if (r === 0) return column(pick(rng, STRING_COLUMNS));
  if (r === 1) {
    const s = pick(rng, ['', 'a', 'é😀']);
    return { ours: lit(s), sql: `'${s}'` };
  }
  const a = stringExpression(rng, depth - 1);
  if (r === 2) return { ours: lower(a.ours), sql: `lower(${a.sql})` };
  if (r === 3) return { ours: upper(a.ours), sql: `upper(${a.sql})` };
  if (r === 4) {
    const b = stringExpression(rng, depth - 1);
    return { ours: concat(a.ours, b.ours), sql: `(${a.sql} || ${b.sql})` };
  }
  if (r === 5) {
    const pos = 1 + rng.nextInt(4);
    const len = rng.nextInt(4);
    return { ours: a.ours.substr(pos, len), sql: `substring(${a.sql}, ${pos}, ${len})` };
  }
  if (r === 6) return { ours: trim(a.ours), sql: `trim(${a.sql}, ' ')` };
  if (r === 7) {
    const b = stringExpression(rng, depth - 1);
    return { ours: coalesce(a.ours, b.ours), sql: `coalesce(${a.sql}, ${b.sql})` };
  }
  return { ours: col('i').cast('string'), sql: 'CAST(i AS VARCHAR)' };
}

/** A boolean expression, null where SQL's three-valued logic says so. */
export function booleanExpression(rng: Rng, depth = 2): Both {
  const r = depth <= 0 ? rng.nextInt(4) : rng.nextInt(10);
  const cmp = pick(rng, ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const);
  const sqlCmp = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' }[cmp];
  if (r === 0) return column('f');
  if (r === 1) {
    const a = column(pick(rng, ['x', 'i', 'k']));
    const n = pick(rng, [0, 1, 2.5, -1]);
    return { ours: a.ours[cmp](n), sql: `(${a.sql} ${sqlCmp} ${n})` };
  }
  if (r === 2) {
    const name = pick(rng, ['x', 's', 'k', 'f', 'k2']);
    return rng.nextInt(2) === 0
      ? { ours: col(name).isNull(), sql: `(${name} IS NULL)` }
      : { ours: col(name).isNotNull(), sql: `(${name} IS NOT NULL)` };
  }
  if (r === 3) {
    const a = column(pick(rng, STRING_COLUMNS));
    const s = pick(rng, ['', 'a', 'b', 'é', 'Zz', '😀']);
    return { ours: a.ours[cmp](s), sql: `(${a.sql} ${sqlCmp} '${s}')` };
  }
  if (r <= 5) {
    const a = numberExpression(rng, depth - 1);
    const b = numberExpression(rng, depth - 1);
    return { ours: a.ours[cmp](b.ours), sql: `(CAST(${a.sql} AS DOUBLE) ${sqlCmp} CAST(${b.sql} AS DOUBLE))` };
  }
  if (r === 6) {
    const a = booleanExpression(rng, depth - 1);
    const b = booleanExpression(rng, depth - 1);
    return rng.nextInt(2) === 0
      ? { ours: a.ours.and(b.ours), sql: `(${a.sql} AND ${b.sql})` }
      : { ours: a.ours.or(b.ours), sql: `(${a.sql} OR ${b.sql})` };
  }
  if (r === 7) {
    const a = booleanExpression(rng, depth - 1);
    return { ours: a.ours.not(), sql: `(NOT ${a.sql})` };
  }
  if (r === 8) {
    const a = stringExpression(rng, depth - 1);
    const b = stringExpression(rng, depth - 1);
    return rng.nextInt(2) === 0
      ? { ours: a.ours[cmp](b.ours), sql: `(${a.sql} ${sqlCmp} ${b.sql})` }
      : { ours: a.ours.eqNullSafe(b.ours), sql: `(${a.sql} IS NOT DISTINCT FROM ${b.sql})` };
  }
  const a = column(pick(rng, ['x', 'i']));
  return rng.nextInt(2) === 0
    ? { ours: a.ours.between(-1, 2.5), sql: `(${a.sql} BETWEEN -1 AND 2.5)` }
    : { ours: a.ours.isin(0, 1.5, Number.NaN, 2147483647), sql: `(${a.sql} IN (0, 1.5, 'nan'::DOUBLE, 2147483647))` };
}
