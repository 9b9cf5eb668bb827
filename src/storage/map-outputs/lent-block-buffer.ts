/**
 * This thread's buffer for the blocks read from spilled map outputs, lent to one reader at a time and reused only
 * once that reader gave it back (issue 11). A reduce task reads a private block per spilled map output; each was a
 * new buffer, dead as soon as its rows were counted, but V8 frees a dead buffer only at a collection, which its
 * external-memory trigger starts ~64 MiB of buffers later: the 1 GiB word count's reduce stage carried tens of MiB
 * of them per thread. A reader that copies every row it reads (the word count's final count) gives each block's
 * buffer back with `releaseBlockBuffer`, and the next read fills the same memory.
 * Safe by construction for every other reader: a buffer is reused only after an explicit release, so one whose
 * reader keeps it (a median keeps its task's input blocks to the end) is never written again; the next read then
 * takes a new buffer, as before. And a release empties every view of the buffer at once (the memory moves to a
 * new ArrayBuffer object, the old one is detached), so a view kept by mistake reads as empty, never as the bytes
 * of a later block.
 */

/** Bytes a buffer may have and still be kept for the next read: a bigger block gets a buffer of its own. */
export const LENT_BUFFER_BYTES_MAX = 16 * 1024 * 1024;

/** Free memory kept for the next read (null when lent out or not yet allocated). */
let spare: ArrayBuffer | null = null;
/** The buffer lent out last, until it comes back; a buffer lent before it and never released is forgotten. */
let lent: ArrayBuffer | null = null;
/** Rows of the block in `lent`: only a reader that copied all of them may give it back. */
let lentRows = 0;
/** Buffers allocated here (each read that could not reuse one), for tests. */
let allocations = 0;

/**
 * A zeroed buffer of at least `bytes` bytes for a block of `rows` rows being read: this thread's spare once the
 * last one lent was released, else a new one (lent in turn when at most `LENT_BUFFER_BYTES_MAX`, with a quarter to
 * spare so slightly bigger blocks fit later).
 *
 * @example
 * const buffer = takeBlockBuffer(byteLength, rows); // fill a block in it, hand it to a reader
 */
export function takeBlockBuffer(bytes: number, rows: number): ArrayBuffer {
  if (bytes === 0) return new ArrayBuffer(0);
  let buffer: ArrayBuffer;
  if (spare !== null && spare.byteLength >= bytes) {
    buffer = spare;
    new Uint8Array(buffer, 0, bytes).fill(0);
  } else {
    allocations++;
    const kept = bytes <= LENT_BUFFER_BYTES_MAX;
    buffer = new ArrayBuffer(kept ? Math.min(LENT_BUFFER_BYTES_MAX, Math.ceil(bytes * 1.25)) : bytes);
    if (!kept) return buffer;
  }
  spare = null;
  lent = buffer;
  lentRows = rows;
  return buffer;
}

/**
 * Gives a buffer from `takeBlockBuffer` back for the next read, when it is the one lent last and `rows` are all its
 * block's rows (anything else, such as a map output's shared memory or a slice of a block, is left alone). Every
 * view of `buffer` is empty afterwards (it is detached). Returns whether it was taken back.
 * WARNING: only for a reader that copied the `rows` rows it read: no view of the block may be used afterwards.
 *
 * @example
 * counter.addAll(batch); releaseBlockBuffer(keyColumn.bytes.buffer, batch.rows);
 */
export function releaseBlockBuffer(buffer: ArrayBufferLike, rows: number): boolean {
  const released = lent;
  if (released === null || buffer !== released || rows !== lentRows) return false;
  lent = null;
  // Transferring moves the memory to a new ArrayBuffer object without copying it and detaches the old one.
  spare = structuredClone(released, { transfer: [released] });
  return true;
}

/** Buffers `takeBlockBuffer` allocated on this thread so far (tests check the reuse with it). */
export function blockBuffersAllocated(): number {
  return allocations;
}
