/**
 * Adaptive partial aggregation's rule (as DataFusion's skip-partial-aggregation probe and Spark 4.3's
 * `adaptivePartialAggregation`): a map-side aggregation whose groups come close to its rows stops grouping and sends
 * the rest of its rows to the shuffle one partial row each, because its table then saves the shuffle less than it
 * costs to build, and the reduce side groups the same keys again anyway.
 */
import type { HashedKeyMode } from '../kernels/group-key-hashes.js';
import type { GroupKeyMode } from './group-key-mode.js';

/** When a partial aggregation passes rows through: after `rowsMin` rows, once groups > `groupsPerRowMin` × rows. */
export interface PassThroughRule {
  readonly rowsMin: number;
  readonly groupsPerRowMin: number;
  /** An earlier look with a stricter ratio, for a task whose groups are plainly its rows (none by default). */
  readonly early?: { readonly rowsMin: number; readonly groupsPerRowMin: number };
}

/**
 * Decide after 100,000 rows (enough for the ratio to say something about the rest), pass through when the groups
 * are more than 80% of the rows. DataFusion's probe has the same two defaults.
 *
 * Before that, after 65,536 rows (one chunk of a map task's probe), pass through when the groups are more than 95%
 * of the rows: rows of D distinct keys drawn at random give D/n × (1 - e^(-n/D)) groups per row after n rows, which
 * is above 0.95 at n = 65,536 only for D ≥ ~650,000 keys, and those still give ~0.9 (above 0.8) at 131,072 rows. So
 * the early look takes the decision the full probe would, a chunk sooner: q10 (10 M groups of 10 M rows) grouped
 * half as many rows through cold tables per map task before passing the rest through, while q3's 100,000 ids give
 * 73% of rows at 65,536 and are still grouped.
 */
export const PASS_THROUGH_AFTER: PassThroughRule = {
  rowsMin: 100_000,
  groupsPerRowMin: 0.8,
  early: { rowsMin: 1 << 16, groupsPerRowMin: 0.95 },
};

/** What the rule looks at in an aggregation so far. */
export interface AggregationSoFar {
  readonly side: 'partial' | 'final';
  readonly keyCount: number;
  readonly keyMode: GroupKeyMode | null;
  readonly rowsAdded: number;
  readonly groups: number;
}

/**
 * True when the aggregation should pass its further rows through. Only map-side (partial) aggregations with keys,
 * and only string and number keys (`HashedKeyMode`, whose table hashes `groupKeyHashes` reproduces: a passed row
 * must reach the reduce partition its key's group would have reached).
 *
 * @example
 * passesThrough({ side: 'partial', keyCount: 1, keyMode: 'utf8', rowsAdded: 200_000, groups: 190_000 }); // true
 */
export function passesThrough(so: AggregationSoFar, rule: PassThroughRule = PASS_THROUGH_AFTER): boolean {
  if (so.side !== 'partial' || so.keyCount === 0 || !isHashedKeyMode(so.keyMode)) return false;
  const early = rule.early;
  if (early !== undefined && so.rowsAdded >= early.rowsMin && so.groups > early.groupsPerRowMin * so.rowsAdded)
    return true;
  return so.rowsAdded >= rule.rowsMin && so.groups > rule.groupsPerRowMin * so.rowsAdded;
}

/** True for the key modes whose hashes `groupKeyHashes` reproduces. */
export function isHashedKeyMode(mode: GroupKeyMode | null): mode is HashedKeyMode {
  return mode === 'utf8' || mode === 'number' || mode === 'coded';
}
