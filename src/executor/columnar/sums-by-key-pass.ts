/**
 * The pass by key of a chunk (map side, sums and counts of one int32 key without nulls): rows whose group the number
 * table's directory holds are added straight from their key (`addChunkByKey`); a row whose key is new stops the pass,
 * a few rows from it go through the group ids, and the pass resumes while the directory spans few keys.
 */
import type { Column } from './batch.js';
import { addChunkByKey, type FusedStates, type SumValues } from './aggregates/fused-sums.js';
import type { GroupAssigner } from './group-assigner.js';

/** Rows after a stop of the pass by key that go through group ids: the few-groups pass checks (and stops at) four. */
const NEW_KEY_ROWS = 4;

/**
 * The pass by key resumes after a new key only while its directory spans at most this many keys (so at most as many
 * groups, and resumes). Each resume folds every group's copies (`few-group-sums.ts`): resumed up to 1,024 groups, a
 * map task's aggregation of 1,000 keys (5 M rows) went from ~22 to ~45 ms of CPU; with resumes stopped once groups
 * passed 256, to ~27 ms every run. By the span, 1,000 keys never resume (~22 ms, as before); 100 keys always do.
 */
const RESUME_KEYS_MAX = 256;

/** What the pass by key reads and calls back of the aggregation it serves (`HashAggregator`). */
export interface SumsByKeyAggregation {
  readonly assigner: GroupAssigner;
  /** The block of the fused sums and row counts, if the aggregation has either (read after each group-id range). */
  sumsBlock(): FusedStates | undefined;
  /** The row counts' lane of the block, or -1. */
  readonly countLane: number;
  /** Distinct keys so far. */
  groups(): number;
  /** Adds rows `from … to - 1` through their group ids, to every state. */
  addRange(from: number, to: number): void;
}

/**
 * Adds the rows `chunk … to - 1` that the pass by key serves and returns the first row left for the group ids (`to`
 * when none is). A key new (or outside the directory) stops the pass by key: the rows it stopped at go through the
 * group ids, then the pass resumes, while the directory spans few keys (so a task's first chunk, where every key is
 * new, runs the same kernel as its later ones, not a second one by group ids). Each stop adds a group: at most
 * RESUME_KEYS_MAX + 1 stops an aggregation. `integerStates` as `addChunk` takes it.
 */
export function addChunkSumsByKey(
  agg: SumsByKeyAggregation,
  keyColumns: readonly Column[],
  lanes: readonly number[],
  values: readonly SumValues[],
  chunk: number,
  to: number,
  integerStates: boolean,
): number {
  let from = addByKey(agg, keyColumns, lanes, values, chunk, to, integerStates);
  while (from < to && resumesByKey(agg, keyColumns, from, to)) {
    const next = Math.min(to, from + NEW_KEY_ROWS);
    agg.addRange(from, next);
    from = addByKey(agg, keyColumns, lanes, values, next, to, integerStates);
  }
  return from;
}

/**
 * Adds the rows `from …` of a chunk whose groups the number table's directory holds, straight from their int32
 * key (`addChunkByKey`), when the aggregation's only states are fused sums and counts; returns the first row
 * left for the group ids (`from` when none was added).
 */
function addByKey(
  agg: SumsByKeyAggregation,
  keyColumns: readonly Column[],
  lanes: readonly number[],
  values: readonly SumValues[],
  from: number,
  to: number,
  integerStates: boolean,
): number {
  const byKey = agg.assigner.int32Directory(keyColumns, from, to);
  const block = agg.sumsBlock();
  if (byKey === null || block === undefined) return from;
  const at = addChunkByKey(block, lanes, values, agg.countLane, byKey, from, to, agg.groups(), integerStates);
  agg.assigner.foundInDirectory(at - from);
  return at;
}

/** True when the pass by key may resume at row `from` (see `RESUME_KEYS_MAX`). */
function resumesByKey(agg: SumsByKeyAggregation, keyColumns: readonly Column[], from: number, to: number): boolean {
  const byKey = agg.assigner.int32Directory(keyColumns, from, to);
  return byKey !== null && byKey.directory.length <= RESUME_KEYS_MAX;
}
