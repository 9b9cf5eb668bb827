/**
 * Checkpoint directories whose writer died (`kill -9`, a crash) before the manifest: every reader refuses them, and
 * nothing else would ever remove them, so each killed write of a large dataset used to leave a copy of it behind.
 * While a checkpoint is written its directory holds a marker file naming the writing process
 * (`_writing-h<host>-<pid>-<random>`, removed once the manifest is in place); a later write into the same
 * `checkpointDir` removes the directories that have no manifest and whose marker names a process of this host that
 * is gone. A directory with a manifest, with no marker or several (a crash before the marker, or another tool's), or
 * whose writer is alive or on another host, is never touched (see owned-temp-dirs.ts for how a process is known gone).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { ownerTag, parseOwner, removeStaleTempDirs, type TempDirOwner } from '../io/files/owned-temp-dirs.js';
import { MANIFEST_FILE } from './manifest.js';

const WRITING_MARKER_PREFIX = '_writing-';
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
export function removeAbandonedCheckpoints(root: string): number {
  return removeStaleTempDirs(root, CHECKPOINT_DIR_PREFIX, (_name, dir) => writerOf(dir));
}

/** The writer named by an incomplete checkpoint directory's one marker; null for a complete one, or none to trust. */
function writerOf(dir: string): TempDirOwner | null {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return null;
  }
  if (entries.includes(MANIFEST_FILE)) return null;
  const markers = entries.filter((entry) => entry.startsWith(WRITING_MARKER_PREFIX));
  return markers.length === 1 ? parseOwner(markers[0]!.slice(WRITING_MARKER_PREFIX.length)) : null;
}
