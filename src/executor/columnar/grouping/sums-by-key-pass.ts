/**
 * The pass by key of a chunk (map side, sums and counts of one int32 key without nulls): rows whose group the number
 * table's directory holds are added straight from their key (`addChunkByKey`). Past the few-groups pass's groups, a
 * key met for the first time gets its group in the pass itself; with fewer, a row whose key is new stops the pass, a
 * few rows from it go through the group ids (`HashAggregator.add`), and the pass resumes while the directory spans
 * few keys (`resumesByKey`), so a task's first chunk, where every key is new, runs the same kernel as its later ones,
 * not a second one by group ids. Each stop adds a group: at most RESUME_KEYS_MAX + 1 stops an aggregation.
 */
import type { Column } from '../batches/batch.js';
import { addChunkByKey, type FusedStates, type SumValues } from '../aggregates/fused-sums.js';
import { FEW_GROUPS_MAX } from '../aggregates/few-group-sums.js';
import type { NewGroups } from '../aggregates/sums-by-key-directory.js';
import { assert } from '../../../common/assert.js';
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

/**
 * The states the pass by key adds to: the fused sums' and row counts' block, made room in for `groups` groups (and
 * returned: growing may replace it), and the counts' lane (or -1).
 */
export interface SumsByKey {
  readonly blockFor: (groups: number) => FusedStates;
  readonly countLane: number;
}

/**
 * This thread's new groups of a pass by key, handed to the number table after each call of the pass (so a few
 * thousand keys at a time are plenty: a full list stops the pass, which resumes once they are appended).
 */
const newGroups: NewGroups = { groups: 0, added: 0, roomOut: false, keys: new Int32Array(4096) };

/**
 * Adds the rows `from …` of a chunk whose groups the number table's directory holds, straight from their int32
 * key (`addChunkByKey`), when the aggregation's only states are fused sums and counts; returns the first row
 * left for the group ids (`from` when none was added, or `sums` is null). `integerStates` as `addChunk` takes it.
 *
 * Past `FEW_GROUPS_MAX` groups (where the few-groups pass no longer serves), a key inside the directory met for the
 * first time gets the next group in the pass, which goes on. The rows from such a key to the end of its chunk had
 * gone through the group ids, at ~2.5× the CPU a row (a 1-thread profile of the 20 M-row group-by of 100 k keys:
 * 14 % of its CPU in that path, for ~11 % of the rows, a 10 M-row map task's first ~17 chunks).
 *
 * @example
 * const at = addRowsOfKnownKeys(assigner, { blockFor, countLane: 1 }, [id4], [0], [v1], 0, 65_536, true);
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
  const { blockFor, countLane } = sums;
  let groups = assigner.size;
  const fresh = groups > FEW_GROUPS_MAX ? newGroups : null;
  let room = groups;
  let at = from;
  for (;;) {
    if (fresh !== null) {
      fresh.groups = groups;
      fresh.added = 0;
      fresh.roomOut = false;
    }
    at = addChunkByKey(blockFor(room), lanes, values, countLane, byKey, at, to, groups, integerStates, fresh);
    if (fresh === null || (fresh.added === 0 && !fresh.roomOut)) break;
    assigner.numberTable.appendDirectoryKeys(fresh.keys, fresh.added);
    groups = fresh.groups;
    assert(assigner.size === groups, `the pass by key gave ${groups} groups, the number table holds ${assigner.size}`);
    if (!fresh.roomOut) break;
    // Room for one more group: the states grow by doubling.
    room = groups + 1;
  }
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
