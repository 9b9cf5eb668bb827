/**
 * A cached partition's string column coded into its dataset's shared dictionary (`storage/shared-dictionary.ts`):
 * the partition is coded with a dictionary of its own first, as before (`dictionary-encode.ts`, or as read:
 * `read-time-dictionary.ts`), then that dictionary's strings are looked up in the shared one, once each, the
 * missing ones added, and the rows' codes mapped through. The block then stores the shared dictionary's strings up
 * to the last one it names, so the dictionaries of all the partitions of a column are prefixes of one another:
 * equal codes are equal strings across partitions, and a group-by maps each string to its group once per task,
 * not once per partition or shuffle chunk (`grouping/dictionary-groups.ts`). db-benchmark's q3 looked up 1e5 id3
 * strings per cached partition on its map side, q10 per chunk on its reduce side.
 *
 * Each thread keeps an index of a shared dictionary (its strings → codes, in a byte-key table whose ids are the
 * shared codes), brought up to date with the strings other threads published since: first without the lock (the
 * published strings never change), to find the partition's strings there, then, only when some are missing, under
 * the lock, to add them.
 */
import {
  SHARED_BYTES_MAX,
  SHARED_STRINGS_MAX,
  SharedDictionaries,
  type SharedColumnDictionary,
} from '../../../storage/shared-dictionary.js';
import { assert } from '../../../common/assert.js';
import { DigitKeyCache } from './digit-key-cache.js';
import { ByteKeyTable } from '../kernels/byte-key-table.js';
import { hashBytes } from '../kernels/hash-bytes.js';

/**
 * How long a thread waits for the lock before it codes its partition with a dictionary of its own. The lock is held
 * for a partition's lookups (~10 ms for 1e5 strings); a holder terminated mid-add keeps it until the driver learns
 * that its thread exited and frees it (`releaseLockOfThread`), which wakes the waiters.
 */
const LOCK_WAIT_MS = 2000;
/** Indexes of shared dictionaries a thread keeps (the columns of the datasets cached last). */
const INDEXES_MAX = 8;

/**
 * A thread's index of one shared dictionary: its strings in a byte-key table whose ids are the shared codes, and
 * those that are one prefix and then digits (the shape of its first string: db-benchmark's ids) also by their
 * number (`DigitKeyCache`), so a partition's 1e5 id3 strings are looked up in an array of 512 KB, not by a hash
 * and a probe of a 6 MB table (a cache miss a string, each of a worker's 8 partitions).
 */
class SharedIndex {
  readonly table = new ByteKeyTable(1024);
  /** Holds every string of the table that has its shape (`add`), so a string of that shape it lacks is not in. */
  private readonly digits = new DigitKeyCache();

  get size(): number {
    return this.table.size;
  }

  /** The code of `bytes[s, e)`, added as the next one when it is not in yet. */
  add(bytes: Uint8Array, s: number, e: number): number {
    const code = this.table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
    if (this.digits.width === 0) this.digits.start(bytes, s, e - s);
    if (e - s === this.digits.width) {
      const n = this.digits.numberOf(bytes, s);
      if (n >= 0) this.digits.remember(n, code);
    }
    return code;
  }

  /** The code of `bytes[s, e)`, or -1 when it is not in. */
  find(bytes: Uint8Array, s: number, e: number): number {
    if (e - s === this.digits.width) {
      const n = this.digits.numberOf(bytes, s);
      if (n >= 0) return this.digits.codeOf(n);
    }
    return this.table.find(bytes, s, e, hashBytes(bytes, s, e));
  }
}

/** Per thread, by dictionary set and column (`id/name`): an index whose ids are the shared codes. */
const indexes = new Map<string, SharedIndex>();

/** The shared dictionaries the partition being cached codes into (`codingIntoSharedDictionaries`), or null. */
let current: SharedDictionaries | null = null;

/** A dictionary: `size` strings, string c at `bytes[offsets[c], offsets[c + 1])`. */
export interface Dictionary {
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
}

/**
 * Runs `code` (which writes a cached partition's block) with its string columns coded into the dataset's shared
 * dictionaries `buffer` (none: each keeps its own). A flag rather than a parameter, as `codingStringsAsRead`: the
 * coding happens deep inside the block's writing, synchronously.
 *
 * @example
 * const block = codingIntoSharedDictionaries(node.sharedDictionaries, () => blockOfBatches(batches, true));
 */
export function codingIntoSharedDictionaries<T>(buffer: SharedArrayBuffer | undefined, code: () => T): T {
  const was = current;
  current = buffer === undefined ? null : new SharedDictionaries(buffer);
  try {
    return code();
  } finally {
    current = was;
  }
}

/**
 * Column `name`'s shared dictionary once `local`'s strings are in it, and per local code its shared code; null when
 * the partition is not coded into shared dictionaries, or the shared one would pass `limit` strings (the bound a
 * partition's own dictionary keeps) or its room, or the lock is not to be had (then the partition keeps `local`).
 *
 * @example
 * const shared = sharedCodesOf('id3', dictionary, rows >>> 2);
 * const narrow = shared === null ? codes : codes.map((c) => shared.codeOf[c]!);
 */
export function sharedCodesOf(
  name: string,
  local: Dictionary,
  limit: number,
): { dictionary: Dictionary; codeOf: Int32Array } | null {
  const shared = current;
  if (shared === null) return null;
  const stringsMax = Math.min(limit, SHARED_STRINGS_MAX);
  // The strings below a published count never change, so they are looked up without the lock: a partition whose
  // strings are all there already (every partition of a column after the first few) takes no lock at all, and one
  // that adds strings holds it only for those. Lookups under the lock kept a thread that came second waiting for
  // the whole of the first one's (db-benchmark's load: ~0.3 s, one worker).
  const codeOf = new Int32Array(local.size);
  const seen = shared.column(name, false);
  const seenSize = seen === null ? 0 : seen.size();
  if (seenSize > stringsMax) return null;
  const missing =
    seen === null ? local.size : findCodes(indexOf(`${shared.id}/${name}`, seen, seenSize), local, codeOf);
  if (missing === 0) return { dictionary: prefixOf(seen!, seenSize, seen!.offsets[seenSize]!), codeOf };
  if (!shared.lock(LOCK_WAIT_MS)) return null;
  try {
    const column = shared.column(name);
    if (column === null) return null;
    const size = column.size();
    const index = indexOf(`${shared.id}/${name}`, column, size);
    const { bytes, offsets } = local;
    const addedSince = seen === null || size > seenSize;
    let missingNow = 0;
    let missingBytes = 0;
    for (let c = 0; c < local.size; c++) {
      const s = offsets[c]!;
      const e = offsets[c + 1]!;
      // Strings found outside the lock keep their codes; the others may have been added since.
      if (seen !== null && codeOf[c]! >= 0) continue;
      const code = addedSince ? index.find(bytes, s, e) : -1;
      codeOf[c] = code;
      if (code < 0) {
        missingNow++;
        missingBytes += e - s;
      }
    }
    const end = column.offsets[size]!;
    if (size + missingNow > stringsMax || end + missingBytes > SHARED_BYTES_MAX) return null;
    let next = size;
    let at = end;
    for (let c = 0; c < local.size; c++) {
      if (codeOf[c]! >= 0) continue;
      const s = offsets[c]!;
      const e = offsets[c + 1]!;
      const code = index.add(bytes, s, e);
      codeOf[c] = code;
      // A string met twice in `local` (no dictionary of ours holds one twice, but nothing needs it not to) is added once.
      if (code < next) continue;
      // Byte by byte: a `subarray` view a string cost more than the copy of an id, while the other threads wait.
      const target = column.bytes;
      for (let k = s; k < e; k++) target[at++] = bytes[k]!;
      column.offsets[++next] = at;
    }
    shared.publish(column, next);
    return { dictionary: prefixOf(column, next, at), codeOf };
  } finally {
    shared.unlock();
  }
}

/** Looks each string of `local` up in `index`, its code (or -1) into `codeOf`; returns how many it did not find. */
function findCodes(index: SharedIndex, local: Dictionary, codeOf: Int32Array): number {
  const { bytes, offsets } = local;
  let missing = 0;
  for (let c = 0; c < local.size; c++) {
    const s = offsets[c]!;
    const e = offsets[c + 1]!;
    const code = index.find(bytes, s, e);
    codeOf[c] = code;
    if (code < 0) missing++;
  }
  return missing;
}

/** The first `size` strings of a shared dictionary (`bytesEnd` the end of the last). */
function prefixOf(column: SharedColumnDictionary, size: number, bytesEnd: number): Dictionary {
  return { size, bytes: column.bytes.subarray(0, bytesEnd), offsets: column.offsets.subarray(0, size + 1) };
}

/**
 * This thread's index of a shared dictionary of `size` strings, brought up to date (its ids are the shared codes:
 * it takes the strings in their shared order, each once).
 */
function indexOf(key: string, column: SharedColumnDictionary, size: number): SharedIndex {
  let index = indexes.get(key);
  if (index === undefined || index.size > size) {
    if (indexes.size >= INDEXES_MAX) indexes.delete(indexes.keys().next().value!);
    index = new SharedIndex();
    indexes.set(key, index);
  }
  const { bytes, offsets } = column;
  for (let code = index.size; code < size; code++) {
    const s = offsets[code]!;
    const e = offsets[code + 1]!;
    const id = index.add(bytes, s, e);
    assert(id === code, `shared dictionary string ${code} indexed as ${id}: the dictionary holds a string twice`);
  }
  return index;
}
