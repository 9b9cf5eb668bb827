/**
 * Hash aggregation over column batches, both halves of a `groupBy().agg()`: `partial` (map side) turns rows into
 * one row per distinct key with partial states; `final` (reduce side) merges partial rows and finalizes
 * (count, sum, mean = sum / count, min, max). Rows reach the states chunk by chunk in `chunked-aggregation.ts` (each
 * row's group from `group-assigner.ts`, the key tables); the reduce side of many rows of several keys groups them
 * part by part (`held-rows-reduce.ts`); the result is assembled in `aggregate-result.ts`.
 */
import type { AggregateSpec } from '../../../protocol/columnar.js';
import type { Batch, Utf8Column } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import { emptyPartialRow } from '../aggregates/group-aggregate.js';
import { inputOf, metInputTemplates } from './group-states.js';
import { aggregateResult, type AggregateResult } from './aggregate-result.js';
import { addHeldOrEach, HeldRows, takeOneRowStates } from './held-rows-reduce.js';
import { passThroughRows } from './passed-partial-rows.js';
import { ByteKeyCounter } from '../kernels/byte-key-counter.js';
import { countWhitespaceTokens } from '../kernels/count-tokens.js';
import { GroupKeyHasher } from '../kernels/group-key-hashes.js';
import { chooseKeyMode, countedResult, keyTypeChange } from './group-key-mode.js';
import { passesThrough, PASS_THROUGH_AFTER, type PassThroughRule } from './pass-through-rule.js';
import { ChunkedAggregation, CHUNK_ROWS } from './chunked-aggregation.js';

export type { AggregateResult } from './aggregate-result.js';
export { PARTITIONED_ROWS_MIN } from './held-rows-reduce.js';

/**
 * At most one word counter per thread kept between aggregations (see `release`): map tasks of one stage see
 * similar key counts, so the next task starts with a counter already grown to size.
 */
const spareCounters: ByteKeyCounter[] = [];

/**
 * Aggregates batches by `keys`. Feed every batch with `add`, then take `result()` once.
 *
 * @example
 * const agg = new HashAggregator(['word'], [{ fn: 'count', column: null, name: 'count' }], 'partial');
 * for (const batch of batches) agg.add(batch);
 * const { batch, hashes } = agg.result();
 */
export class HashAggregator extends ChunkedAggregation {
  private readonly passThroughAfter: PassThroughRule;
  /** The passed rows' key hashes, batch after batch (a cached partition's dictionary strings hashed once a task). */
  private readonly passHasher = new GroupKeyHasher();

  constructor(
    keys: readonly string[],
    aggregates: readonly AggregateSpec[],
    mode: 'partial' | 'final',
    passThroughAfter: PassThroughRule = PASS_THROUGH_AFTER,
  ) {
    super(keys, aggregates, mode);
    this.passThroughAfter = passThroughAfter;
  }

  /**
   * Reduce side: adds every batch of `batches`, the task's whole input. With several string and number keys and at
   * least `PARTITIONED_ROWS_MIN` rows, the rows are held (their key codes and hashes, views of their aggregate
   * columns) and grouped part by part once all are in (`held-rows-reduce.ts`), then their states added in that
   * order; otherwise each batch is added as it comes. Groups come out part by part rather than first seen first;
   * each group's rows are still added in input order.
   */
  addAll(batches: Iterable<Batch>): void {
    addHeldOrEach(batches, {
      add: (batch) => this.add(batch),
      startHolding: (first) => this.startHolding(first),
      addHeld: (held) => this.addHeld(held),
    });
  }

  /** Held rows for a reduce side whose first batches are `batches`, or null when it adds each as it comes. */
  private startHolding(batches: readonly Batch[]): HeldRows | null {
    for (const batch of batches) this.meetStrings(batch);
    if (this.mode !== 'final' || this.keys.length < 2 || this.extras.size > 0 || this.keyMode !== null) return null;
    const first = batches.find((b) => b.rows > 0)!;
    const keyColumns = this.keys.map((key) => columnOf(first, key, 'groupBy()'));
    if (chooseKeyMode(keyColumns) !== 'coded') return null;
    this.inputTemplates ??= this.slots.map((slot) => (slot.shared ? null : inputOf(slot, first).column));
    const coded = this.assigner.startCoded(keyColumns);
    return new HeldRows(this.keys, coded, this.keyTypes, CHUNK_ROWS, (c, found) =>
      keyTypeChange(this.keys[c]!, coded.kinds[c]!, found),
    );
  }

  /** Groups the held rows part by part, then adds their aggregate columns in part order with those groups. */
  private addHeld(held: HeldRows): void {
    const grouped = held.group();
    this.meetStrings(grouped.batch);
    // Every group one row (q10): each sum's states are its column's values (`takeOneRowStates`), with no replay. Not
    // with row counts, which a shared slot reads but `takeOneRowStates` would not set (a reduce side has none).
    if (grouped.groups === grouped.batch.rows && this.extras.size === 0 && this.rowCounts === null) {
      const { batch } = grouped;
      const inputs = this.slots.map((slot) => (slot.shared ? null : inputOf(slot, batch)));
      if (takeOneRowStates(this.slots, inputs, batch.rows)) {
        this.rowsAdded += batch.rows;
        this.inputTemplates = metInputTemplates(this.inputTemplates, inputs, 0, batch.rows);
        return;
      }
    }
    // Every group's states allocated once, at their final size: grown as the replay meets groups, each doubling
    // would copy the states so far and touch fresh memory again (q10: ten million groups).
    for (const slot of this.slots) slot.states.ensure(grouped.groups);
    this.rowCounts?.ensure(grouped.groups);
    this.presets = grouped.presets;
    this.add(grouped.batch);
    this.presets = null;
  }

  /**
   * True when a map-side (partial) aggregation should stop grouping and send the rest of its rows through
   * `passThrough` (adaptive partial aggregation, as DataFusion and Spark 4.3 do): after `rowsMin` rows its groups are more
   * than `groupsPerRowMin` of its rows, so grouping reduces almost nothing the shuffle carries and the reduce side
   * does the same work again. Only string and number keys (whose hashes `groupKeyHashes` reproduces).
   */
  get passesThrough(): boolean {
    const { mode: side, keys, keyMode, rowsAdded } = this;
    const groups = keyMode === null ? 0 : this.groups;
    return passesThrough({ side, keyCount: keys.length, keyMode, rowsAdded, groups }, this.passThroughAfter);
  }

  /**
   * The partial rows of `batch`, one per row (each row its own group: its keys as they are, its aggregates' states
   * of one value), and the hash each key has in this aggregator's table, so the reduce partition of a key is the
   * same whether a task grouped it or passed it through. Only once `passesThrough`; the groups already in the table
   * are still `result()`.
   */
  passThrough(batch: Batch): AggregateResult {
    const { keys, slots, keyMode, passHasher, extras } = this;
    return passThroughRows(keys, slots, keyMode, passHasher, batch, extras.size === 0, () => this.identityRows(batch));
  }

  /** `batch`'s partial rows through an aggregation with a group per row (`passThrough`'s when no copy serves). */
  private identityRows(batch: Batch): Batch {
    const single = new HashAggregator(this.keys, this.aggregates, 'partial');
    single.assigner.keyMode = 'identity';
    // A group per row: the states taken at their size once, not grown (and copied) as the rows come.
    for (const slot of single.slots) slot.states.ensure(batch.rows);
    single.rowCounts?.ensure(batch.rows);
    single.add(batch);
    return single.result().batch;
  }

  /**
   * True when this aggregation is a plain count of one string key: then `addWhitespaceTokens` may feed it the
   * unsplit strings (the fused word-count loop).
   */
  get countsOneStringKey(): boolean {
    return (
      this.mode === 'partial' &&
      this.keys.length === 1 &&
      this.extras.size === 0 &&
      this.slots.every((s) => s.accumulate === 'count')
    );
  }

  /**
   * Adds one row per whitespace token of `strings` (as `select(splitToRows(...))` then `add` would), fused: see
   * `countWhitespaceTokens`. Only when `countsOneStringKey`.
   */
  addWhitespaceTokens(strings: Utf8Column, rows: number): void {
    if (this.keyMode === null) this.assigner.keyMode = 'counted-utf8';
    if (this.keyMode !== 'counted-utf8' || !this.countsOneStringKey)
      throw keyTypeChange(this.keys[0]!, String(this.keyMode), 'whitespace tokens');
    this.counter ??= spareCounters.pop() ?? new ByteKeyCounter(1 << 15);
    countWhitespaceTokens(strings, rows, this.counter);
  }

  /**
   * Hands this aggregator's tables to the next aggregator on this thread. Call it once the result's columns are
   * no longer needed (they are views of the tables); the aggregator is unusable afterwards.
   */
  release(): void {
    this.assigner.release();
    if (this.counter !== null && spareCounters.length === 0) {
      this.counter.clear();
      spareCounters.push(this.counter);
    }
  }

  /** One row per group: key columns, then partial states (`partial`) or the aggregates' outputs (`final`). */
  result(): AggregateResult {
    if (this.keyMode === 'counted-utf8') {
      return countedResult(
        this.counter!.entries(),
        this.keys,
        this.slots.map((slot) => slot.name),
      );
    }
    // A global aggregation of no rows is still one row (count 0, other aggregates null), as SQL's.
    if (this.mode === 'final' && this.keys.length === 0 && this.groups === 0)
      this.add(emptyPartialRow(this.aggregates));
    const assigner = this.assigner;
    return aggregateResult({
      keys: this.keys,
      aggregates: this.aggregates,
      mode: this.mode,
      slots: this.slots,
      extras: this.extras,
      rowCounts: this.rowCounts,
      keyMode: this.keyMode,
      groups: this.groups,
      numberTable: assigner.numberTable,
      coded: assigner.coded,
      dictionaryGroups: assigner.dictionaryGroups,
      bytesTable: () => assigner.bytesTable,
      tupleKinds: assigner.tupleKinds,
      nullGroup: assigner.nullGroup,
      keyTemplates: this.keyTypes.templates,
      inputTemplates: this.inputTemplates,
    });
  }
}
