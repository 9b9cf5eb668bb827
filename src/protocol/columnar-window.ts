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
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction; readonly column: string | null };

/** The `window` operator: rows sorted by (partitionBy, orderBy), plus one column per function. */
export interface WindowOp {
  readonly kind: 'window';
  readonly window: WindowSpec;
  readonly columns: readonly { readonly name: string; readonly fn: WindowFunction }[];
}
