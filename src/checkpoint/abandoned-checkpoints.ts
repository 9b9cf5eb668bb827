/**
 * Checkpoint directories whose writer died (`kill -9`, a crash) before the manifest: every reader refuses them, and
 * nothing else would ever remove them, so each killed write of a large dataset used to leave a copy of it behind.
 * While a checkpoint is written its directory holds a marker file naming the writing process
 * (`_writing-h<host>-<pid>-<random>`, removed once the manifest is in place); a later write into the same
 * `checkpointDir` removes the directories that have no manifest and whose marker names a process of this host that
 * is gone. A directory with a manifest, with no marker (a crash before the marker, or another tool's), or whose
 * writer is alive or on another host, is never touched (see owned-temp-dirs.ts for how a process is known gone).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ownerIsGone, ownerTag, parseOwner } from '../io/files/owned-temp-dirs.js';
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
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(CHECKPOINT_DIR_PREFIX)) continue;
    const dir = join(root, name);
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    if (entries.includes(MANIFEST_FILE)) continue;
    const owners = entries
      .filter((entry) => entry.startsWith(WRITING_MARKER_PREFIX))
      .map((entry) => parseOwner(entry.slice(WRITING_MARKER_PREFIX.length)));
    if (owners.length === 0 || owners.some((owner) => owner === null || !ownerIsGone(owner))) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      if (!existsSync(dir)) removed++;
    } catch {
      // Left for a later write, see above.
    }
  }
  return removed;
}
