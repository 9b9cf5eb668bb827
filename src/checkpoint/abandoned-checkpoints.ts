/**
 * Checkpoint directories whose writer died (`kill -9`, a crash) before the manifest: every reader refuses them, and
 * nothing else would ever remove them, so each killed write of a large dataset used to leave a copy of it behind.
 * While a checkpoint is written its directory holds a marker file naming the writing process
 * (`_writing-h<host>-<pid>-<random>`, removed once the manifest is in place); a later write into the same
 * `checkpointDir` removes the directories that have no manifest and whose marker names a process of this host that
 * is gone. A directory with a manifest, with several markers (not one write's), or whose writer is alive or on
 * another host, is never touched (see owned-temp-dirs.ts for how a process is known gone).
 *
 * One with no manifest and no marker (written by a version before markers, or cut short between its creation and its
 * marker) names no writer; it is removed once nothing in it has changed for `UNMARKED_IDLE_MS_MIN`. A live writer
 * changes it far more often: this version writes its marker right after creating it, and every version renames
 * each part file into it as it finishes.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ownerTag, parseOwner, removeStaleTempDirs, type TempDirOwner } from '../io/files/owned-temp-dirs.js';
import { MANIFEST_FILE } from './manifest.js';

const WRITING_MARKER_PREFIX = '_writing-';
/** How long an incomplete checkpoint directory with no marker must be unchanged before it counts as abandoned. */
export const UNMARKED_IDLE_MS_MIN = 24 * 60 * 60 * 1000;
/** Prefix of every checkpoint directory's name (`rdd-<datasetId>-<random>`). */
export const CHECKPOINT_DIR_PREFIX = 'rdd-';

/** The marker file name of a checkpoint this process writes. */
export function writingMarkerName(): string {
  return `${WRITING_MARKER_PREFIX}${ownerTag()}-${randomBytes(4).toString('hex')}`;
}

/**
 * Removes the checkpoint directories in `root` left incomplete by a writer that is gone; returns how many. Never
 * throws: what cannot be listed or removed is left for a later write.
 *
 * @example
 * removeAbandonedCheckpoints('/data/ckpt'); // 1: the write a kill -9 cut short
 */
export function removeAbandonedCheckpoints(root: string, nowMs: number = Date.now()): number {
  return removeStaleTempDirs(root, CHECKPOINT_DIR_PREFIX, (_name, dir) => writerOf(dir, nowMs));
}

/**
 * The writer named by an incomplete checkpoint directory's one marker ('gone' for an unmarked one idle long enough);
 * null for a complete one, or none to trust.
 */
function writerOf(dir: string, nowMs: number): TempDirOwner | 'gone' | null {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return null;
  }
  if (entries.includes(MANIFEST_FILE)) return null;
  const markers = entries.filter((entry) => entry.startsWith(WRITING_MARKER_PREFIX));
  if (markers.length === 0) return idleSinceMs(dir, entries) <= nowMs - UNMARKED_IDLE_MS_MIN ? 'gone' : null;
  return markers.length === 1 ? parseOwner(markers[0]!.slice(WRITING_MARKER_PREFIX.length)) : null;
}

/** The latest modification time of `dir` and its entries (Infinity when one cannot be read: then it stays). */
function idleSinceMs(dir: string, entries: readonly string[]): number {
  try {
    let latestMs = statSync(dir).mtimeMs;
    for (const entry of entries) latestMs = Math.max(latestMs, statSync(join(dir, entry)).mtimeMs);
    return latestMs;
  } catch {
    return Infinity;
  }
}
