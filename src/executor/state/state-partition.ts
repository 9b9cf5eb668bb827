/**
 * One partition of keyed streaming state on the worker (DESIGN.md §8): rebuilt from the previous version's block in
 * shared memory or from its snapshot and deltas on disk, changed by one batch, then written back as the next
 * version's block and delta (and snapshot when due). The map keeps insertion order, and deltas record changes in
 * the order they happened, so a map rebuilt from files iterates exactly as the live one did: `complete` output is
 * byte-identical after a restart.
 */
import type { Block } from '../../protocol/block.js';
import type { StateFileRef, StatePartitionInput } from '../../protocol/state.js';
import { KeyMap } from '../../common/keys.js';
import { StreamCheckpointCorruptError } from '../../common/errors.js';
import { BlockCorruptError } from '../../storage/blocks/block-corrupt-error.js';
import { decodeBlock } from '../../storage/blocks/block-reader.js';
import { verifyBlock } from '../../storage/blocks/block-verify.js';
import { encodeBlock } from '../../storage/blocks/block-writer.js';
import { openBlock, spillBlock } from '../../storage/arrow/spill-file.js';
import type { TaskContext } from '../task-context.js';

/** A key's state and the batch time it was last updated (for `timeoutMs`). */
export interface StateEntry {
  value: unknown;
  updatedMs: number;
}

/** A row of a snapshot. */
export interface StateRow {
  readonly key: unknown;
  readonly value: unknown;
  readonly updatedMs: number;
}

/** A row of a delta file: a key set to a new state, or removed. */
export interface DeltaRow extends StateRow {
  readonly removed: boolean;
}

/**
 * The state partition as `input` describes it: from its blocks in shared memory when the driver kept them (each
 * verified against its checksum), else from the snapshot and delta files (each checked by size and CRC-32; a bad
 * file is a `StreamCheckpointCorruptError` naming it). Deltas apply in order: a set keeps a key's place, a new key
 * goes last, a removal deletes it.
 */
export function loadStatePartition(
  input: StatePartitionInput,
  where: string,
  context: TaskContext,
): KeyMap<StateEntry> {
  const state = new KeyMap<StateEntry>();
  const parts: (() => unknown[])[] =
    input.blocks !== null
      ? input.blocks.map((block) => () => {
          verifyBlock(block, where);
          return decodeBlock(block, where);
        })
      : input.files.map((file) => () => readStateFile(file, where));
  for (const part of parts) {
    for (const row of part() as DeltaRow[]) {
      if (row.removed === true) state.delete(row.key);
      else state.set(row.key, { value: row.value, updatedMs: row.updatedMs });
    }
    context.beat();
  }
  return state;
}

/** The rows of one state file, after its size and CRC-32 were checked against what the driver recorded. */
export function readStateFile(file: StateFileRef, where: string): unknown[] {
  try {
    return decodeBlock(openBlock(file, where), file.path);
  } catch (error: unknown) {
    if (!(error instanceof BlockCorruptError)) throw error;
    throw new StreamCheckpointCorruptError(
      file.path,
      `a state file of ${file.byteLength} bytes and ${file.rows} rows with its recorded CRC-32`,
      error.message,
      { cause: error },
    );
  }
}

/** The whole partition as snapshot rows, in map order. */
export function snapshotRows(state: KeyMap<StateEntry>): StateRow[] {
  const rows: StateRow[] = [];
  for (const [key, entry] of state.entries()) rows.push({ key, value: entry.value, updatedMs: entry.updatedMs });
  return rows;
}

/** Encodes a delta or snapshot and writes it durably (fsync, rename, fsync of the folder): the block and its file. */
export function writeStatePart(
  rows: readonly (StateRow | DeltaRow)[],
  path: string,
): { readonly block: Block; readonly file: StateFileRef } {
  const block = encodeBlock(rows);
  return { block, file: spillBlock(block, path, { durable: true }) };
}
