/**
 * The string dictionaries of one cached dataset, in shared memory: per string column, its distinct strings in the
 * order threads added them, append-only. Every task that caches a partition of the dataset codes that partition's
 * strings into it (`executor/columnar/caching/shared-dictionary-codes.ts`), so all the partitions of a column share one
 * dictionary: a block stores the strings `0 … n - 1` of it (n: the count when the block was coded), and equal codes
 * are equal strings in every partition. A partition recomputed from lineage finds its strings already there and
 * gets their codes again.
 *
 * The driver allocates the buffer (one per cached dataset) and hands it to every task that caches a partition;
 * threads add strings under a lock (an Int32 of the buffer, `Atomics.wait`), and publish a column's count last, so
 * the strings below a count read without the lock never change. The lock word names its holder (`holderWord`): a
 * thread terminated holding it (a crash, an OOM, a cancelled hang) cannot release it, so the driver does when the
 * pool reports the thread gone (`releaseLockOfThread`). What the dead holder half wrote is beyond the published
 * count (a string) or beyond a zero name length (a column slot), so the next holder writes over it. A thread that
 * cannot take the lock in time codes its partition with a dictionary of its own, as before: slower to group by,
 * never wrong.
 *
 * Layout (Int32 words, then bytes): a header (lock, id, columns claimed), then per column slot its name's length
 * and bytes, its string count, `STRINGS_MAX + 1` offsets and `BYTES_MAX` bytes of strings. The memory is reserved,
 * not touched: only the pages strings are written to become resident (for db-benchmark's 1e5 ids of 12 bytes,
 * 1.6 MB).
 */

import { threadId } from 'node:worker_threads';
import { systemClock } from '../common/clock.js';

/** Columns of a dataset that can share a dictionary; later ones keep one per partition. */
export const SHARED_COLUMNS_MAX = 8;
/** Strings per shared dictionary (a column past it keeps one dictionary per partition). */
export const SHARED_STRINGS_MAX = 1 << 20;
/** Bytes of strings per shared dictionary. */
export const SHARED_BYTES_MAX = 1 << 24;
/** Bytes of a column's name (longer names are not shared). */
const NAME_BYTES_MAX = 128;

const LOCK = 0;
const ID = 1;
const HEADER_WORDS = 4;
/** Per slot: name length, string count, then the name's bytes as words. */
const SLOT_NAME_LENGTH = 0;
const SLOT_SIZE = 1;
const SLOT_WORDS = 2 + NAME_BYTES_MAX / 4 + SHARED_STRINGS_MAX + 1;
const SLOT_BYTES = SLOT_WORDS * 4 + SHARED_BYTES_MAX;
const HEADER_BYTES = HEADER_WORDS * 4;

const encoder = new TextEncoder();

/**
 * The lock word while thread `threadId` (`node:worker_threads`) holds the lock: 0 is free, and the main thread's id
 * is 0 (the inline backend codes partitions there), hence the + 1.
 */
export function holderWord(thread: number): number {
  return thread + 1;
}

/** This thread's lock word. */
const ours = holderWord(threadId);

/**
 * Frees the lock of the dictionaries `buffer` if thread `thread` holds it: the driver's, once that thread has
 * exited (it can no longer release it itself). A no-op when another thread holds the lock, or none.
 *
 * @example
 * for (const buffer of buffers) releaseLockOfThread(buffer, exitedThreadId);
 */
export function releaseLockOfThread(buffer: SharedArrayBuffer, thread: number): void {
  const header = new Int32Array(buffer, 0, HEADER_WORDS);
  const held = holderWord(thread);
  if (Atomics.compareExchange(header, LOCK, held, 0) === held) Atomics.notify(header, LOCK);
}

/**
 * A fresh, empty set of shared dictionaries (the driver's, one per cached dataset), `id` naming it to the threads
 * that keep an index of it (unique in the process).
 *
 * @example
 * const buffer = allocateSharedDictionaries(nextId++);
 */
export function allocateSharedDictionaries(id: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + SHARED_COLUMNS_MAX * SLOT_BYTES);
  new Int32Array(buffer, 0, HEADER_WORDS)[ID] = id;
  return buffer;
}

/** One column's shared dictionary: string c at `bytes[offsets[c], offsets[c + 1])`, `size()` strings so far. */
export interface SharedColumnDictionary {
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
  /** Strings published so far (those below it never change). */
  size(): number;
}

/**
 * A thread's view of a dataset's shared dictionaries (a buffer from `allocateSharedDictionaries`).
 *
 * @example
 * const shared = new SharedDictionaries(buffer);
 * if (shared.lock(1000)) try { const column = shared.column('id3'); … } finally { shared.unlock(); }
 */
export class SharedDictionaries {
  private readonly header: Int32Array;
  private readonly buffer: SharedArrayBuffer;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, HEADER_WORDS);
  }

  /** The set's id (`allocateSharedDictionaries`). */
  get id(): number {
    return this.header[ID]!;
  }

  /** Takes the lock, waiting at most `timeoutMs`; false when it could not. */
  lock(timeoutMs: number): boolean {
    const deadline = systemClock.nowMs() + timeoutMs;
    for (;;) {
      const holder = Atomics.compareExchange(this.header, LOCK, 0, ours);
      if (holder === 0) return true;
      const left = deadline - systemClock.nowMs();
      if (left <= 0) return false;
      Atomics.wait(this.header, LOCK, holder, left);
    }
  }

  unlock(): void {
    Atomics.store(this.header, LOCK, 0);
    Atomics.notify(this.header, LOCK, 1);
  }

  /**
   * The dictionary of column `name` (its slot claimed on first use; call it holding the lock, unless not `claim`),
   * or null when the slots are all taken or the name is too long. Without `claim` (no lock needed: a slot's name is
   * written before its length is published), null also when no slot is claimed for `name` yet.
   */
  column(name: string, claim = true): SharedColumnDictionary | null {
    const nameBytes = encoder.encode(name);
    if (nameBytes.length > NAME_BYTES_MAX) return null;
    for (let slot = 0; slot < SHARED_COLUMNS_MAX; slot++) {
      const base = HEADER_BYTES + slot * SLOT_BYTES;
      const words = new Int32Array(this.buffer, base, SLOT_WORDS);
      const name = new Uint8Array(this.buffer, base + 8, NAME_BYTES_MAX);
      // A slot's name length is 1 + its bytes once claimed (an empty name is a name too).
      const length = Atomics.load(words, SLOT_NAME_LENGTH);
      if (length === 0) {
        if (!claim) return null;
        name.set(nameBytes);
        Atomics.store(words, SLOT_NAME_LENGTH, nameBytes.length + 1);
      } else if (length !== nameBytes.length + 1 || !sameBytes(name, nameBytes)) continue;
      const offsets = new Int32Array(this.buffer, base + 8 + NAME_BYTES_MAX, SHARED_STRINGS_MAX + 1);
      const bytes = new Uint8Array(this.buffer, base + SLOT_WORDS * 4, SHARED_BYTES_MAX);
      return { offsets, bytes, size: () => Atomics.load(words, SLOT_SIZE) };
    }
    return null;
  }

  /**
   * Publishes `size` strings of `column` (written at its offsets and bytes beyond the old count, holding the lock):
   * from now on every thread reads them.
   */
  publish(column: SharedColumnDictionary, size: number): void {
    const base = column.offsets.byteOffset - 8 - NAME_BYTES_MAX;
    Atomics.store(new Int32Array(this.buffer, base, 2), SLOT_SIZE, size);
  }
}

function sameBytes(stored: Uint8Array, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (stored[i] !== bytes[i]) return false;
  return true;
}
