/**
 * The pass by key of a chunk (map side, sums and counts of one int32 key without nulls): rows whose group the number
 * table's directory holds are added straight from their key (`addChunkByKey`); a row whose key is new stops the pass,
 * a few rows from it go through the group ids (`HashAggregator.add`), and the pass resumes while the directory spans
 * few keys (`resumesByKey`), so a task's first chunk, where every key is new, runs the same kernel as its later ones,
 * not a second one by group ids. Each stop adds a group: at most RESUME_KEYS_MAX + 1 stops an aggregation.
 */
import type { Column } from '../batches/batch.js';
import { addChunkByKey, type FusedStates, type SumValues } from '../aggregates/fused-sums.js';
import type { GroupAssigner } from './group-assigner.js';

/** Rows after a stop of the pass by key that go through group ids: the few-groups pass checks (and stops at) four. */
export const NEW_KEY_ROWS = 4;

/**
 * The pass by key resumes after a new key only while its directory spans at most this many keys (so at most as many
 * groups, and resumes). Each resume folds every group's copies (`aggregates/few-group-sums.ts`): resumed up to 1,024
 * groups, a map task's aggregation of 1,000 keys (5 M rows) went from ~22 to ~45 ms of CPU; with resumes stopped once
 * groups passed 256, to ~27 ms every run. By the span, 1,000 keys never resume (~22 ms, as before); 100 keys always do.
 */
const RESUME_KEYS_MAX = 256;

/** The states the pass by key adds to: the fused sums' and row counts' block, the counts' lane (or -1), the groups. */
export interface SumsByKey {
  readonly block: FusedStates;
  readonly countLane: number;
  readonly groups: number;
}

/**
 * Adds the rows `from …` of a chunk whose groups the number table's directory holds, straight from their int32
 * key (`addChunkByKey`), when the aggregation's only states are fused sums and counts; returns the first row
 * left for the group ids (`from` when none was added, or `sums` is null). `integerStates` as `addChunk` takes it.
 *
 * @example
 * const at = addRowsOfKnownKeys(assigner, { block, countLane: 1, groups }, [id4], [0], [v1], 0, 65_536, true);
 */
export function addRowsOfKnownKeys(
  assigner: GroupAssigner,
  sums: SumsByKey | null,
  keyColumns: readonly Column[],
  lanes: readonly number[],
  values: readonly SumValues[],
  from: number,
  to: number,
  integerStates: boolean,
): number {
  const byKey = assigner.int32Directory(keyColumns, from, to);
  if (byKey === null || sums === null) return from;
  const { block, countLane, groups } = sums;
  const at = addChunkByKey(block, lanes, values, countLane, byKey, from, to, groups, integerStates);
  assigner.foundInDirectory(at - from);
  return at;
}

/** True when the pass by key may resume at row `from` (see `RESUME_KEYS_MAX`). */
export function resumesByKey(
  assigner: GroupAssigner,
  keyColumns: readonly Column[],
  from: number,
  to: number,
): boolean {
  const byKey = assigner.int32Directory(keyColumns, from, to);
  return byKey !== null && byKey.directory.length <= RESUME_KEYS_MAX;
}
