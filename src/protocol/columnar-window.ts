/**
 * The wire form of window functions (issue 10): `fn().over(Window.partitionBy(...).orderBy(...))`, evaluated by a
 * `window` operator over a partition holding whole window partitions (after a hash shuffle by `partitionBy`).
 */
import type { AggregateFunction, LiteralValue, SortKey } from './columnar.js';

/** `Window.partitionBy(...).orderBy(...)`. */
export interface WindowSpec {
  readonly partitionBy: readonly string[];
  readonly orderBy: readonly SortKey[];
}

/**
 * A window function. Ranking functions number rows in `orderBy` order (peers, rows equal on every order key, share
 * a `rank` / `denseRank`); `lag` / `lead` read the row `offset` before / after within the window partition (else
 * `default`). `aggregate` is a running aggregate over the frame RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
 * (peers included) when the window is ordered, else over the whole window partition (Spark's default frames).
 */
export type WindowFunction =
  | { readonly kind: 'row-number' }
  | { readonly kind: 'rank' }
  | { readonly kind: 'dense-rank' }
  | {
      readonly kind: 'lag' | 'lead';
      readonly column: string;
      readonly offset: number;
      readonly default: LiteralValue;
    }
  | {
      readonly kind: 'aggregate';
      readonly fn: AggregateFunction;
      readonly column: string | null;
      /** `rowsBetween(start, end)`: the ROWS frame instead of the default one. */
      readonly rows?: RowsFrame;
    };

/**
 * A ROWS frame: from `start` to `end` rows away from the current row (negative before it, 0 the row itself), each
 * null when unbounded (`Window.unboundedPreceding`, `Window.unboundedFollowing`).
 */
export interface RowsFrame {
  readonly start: number | null;
  readonly end: number | null;
}

/**
 * The map side of a ranking window filtered to its top ranks (`rowNumber() <= k` and the like; Spark's
 * WindowGroupLimit): keeps only the rows whose `fn` over `window`, computed over the task's own rows, is at most
 * `limit`. A row's rank among some of its window partition's rows is never above its rank among all of them, so
 * every row the filter after the real window keeps is kept here; ties keep their input order (the sort is stable),
 * so `rowNumber` numbers them as it would have.
 */
export interface WindowGroupLimitOp {
  readonly kind: 'window-group-limit';
  readonly window: WindowSpec;
  readonly fn: RankingFunction;
  readonly limit: number;
}

/** The window functions that number rows (what `WindowGroupLimitOp` limits by). */
export type RankingFunction = 'row-number' | 'rank' | 'dense-rank';

/** The `window` operator: rows sorted by (partitionBy, orderBy), plus one column per function. */
export interface WindowOp {
  readonly kind: 'window';
  readonly window: WindowSpec;
  readonly columns: readonly { readonly name: string; readonly fn: WindowFunction }[];
}
