/**
 * Buffers that outlive the task reading them: an in-memory cached partition's block stays in the block store
 * until it is unpersisted or spilled, and a spilled one is never written again (it is dropped, not reused), so a
 * kernel that needs a column's values after its batch is gone may keep a view of them instead of a copy. A
 * block read back from a spill file is the task's own buffer (it would hold every column of the block) and is
 * not here, nor is any column a kernel computed.
 */

const retained = new WeakSet<ArrayBufferLike>();

/**
 * Notes that `buffer` (an in-memory cached block's) outlives the tasks reading it.
 * WARNING: only for memory that is never written again while a task may read it: a kernel that kept a view of a
 * buffer reused for other bytes would read them as its own values.
 *
 * @example
 * markRetained(block.buffer);
 */
export function markRetained(buffer: ArrayBufferLike): void {
  retained.add(buffer);
}

/**
 * True when a view of `buffer` may be kept past its batch at no cost in memory (see `markRetained`).
 *
 * @example
 * const values = isRetained(column.values.buffer) ? column.values : column.values.slice(from, to);
 */
export function isRetained(buffer: ArrayBufferLike): boolean {
  return retained.has(buffer);
}
