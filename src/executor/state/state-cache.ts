import type { KeyMap } from '../../common/keys.js';
import type { StateEntry } from './state-partition.js';

/**
 * State partitions this worker thread built, kept between tasks (DESIGN.md §6: scratch memory, never what a
 * committed block refers to) so that the next batch of the same partition on this thread starts from the map it
 * left instead of decoding the snapshot and deltas again: a batch then costs O(changes), not O(state).
 *
 * A task takes its entry out before it changes the map and puts it back only after it finished, under the new
 * version: an attempt that fails half way leaves nothing behind, and a version nobody committed is never asked for
 * (the next batch asks for the committed version, and a rerun of the same batch asks for the one before it).
 */
const cache = new Map<string, { version: number; state: KeyMap<StateEntry> }>();

/** Partitions kept per thread at most; past it the oldest entry goes. */
export const CACHED_STATE_PARTITIONS_MAX = 64;

const keyOf = (dir: string, partition: number): string => `${partition}\n${dir}`;

/** The map of `partition` at exactly `version`, removed from the cache; null when this thread does not have it. */
export function takeCachedState(dir: string, partition: number, version: number): KeyMap<StateEntry> | null {
  const key = keyOf(dir, partition);
  const entry = cache.get(key);
  if (entry === undefined) return null;
  cache.delete(key);
  return entry.version === version ? entry.state : null;
}

/** Keeps the map of `partition` at `version`; drops this operator's entries too old to be asked for again. */
export function putCachedState(dir: string, partition: number, version: number, state: KeyMap<StateEntry>): void {
  for (const [key, entry] of cache) {
    if (key.endsWith(`\n${dir}`) && entry.version < version - 1) cache.delete(key);
  }
  cache.set(keyOf(dir, partition), { version, state });
  if (cache.size > CACHED_STATE_PARTITIONS_MAX) cache.delete(cache.keys().next().value!);
}
