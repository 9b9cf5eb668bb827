/**
 * The word count's per-thread scratch: one byte-key counter and the arrays its entries are written to, kept
 * between tasks. Both sides of the word count use the same one: the map side counts a split's words in it, the
 * reduce side merges partial counts in it (`final-word-count.ts`). A thread that ran the map stage thus holds one
 * counter grown to size, not a map-side counter plus a reduce-side table (issue 11: the 1 GiB word count's peak RSS
 * came in the reduce stage, where each thread held both). Scratch in the sense of DESIGN.md §6: cleared before it
 * serves another task, never referred to by a committed block.
 */
import { ByteKeyCounter } from '../kernels/byte-key-counter.js';

/** Slots the first counter on a thread starts with room for (growing from tiny rehashes the hot early keys). */
const COUNTER_KEYS_INITIAL = 1 << 15;

/** A counter's entries in some order: a key's start and end in the counter's arena, and its count. */
export interface OrderArrays {
  starts: Int32Array;
  ends: Int32Array;
  counts: Int32Array;
}

/** A counter with the arrays that its entries are written to (grown by `orderArraysFor`). */
export interface HeldCounter {
  readonly counter: ByteKeyCounter;
  order: OrderArrays;
}

/** This thread's counter between tasks (null while a task holds it). */
let spare: HeldCounter | null = null;

/**
 * This thread's counter, empty, for the caller alone until it gives it back with `returnWordCounter` (a fresh one
 * when another holder has it: two aggregations of one pipeline may be open at once).
 *
 * @example
 * const held = takeWordCounter();
 * try { held.counter.add(bytes, 0, 3, hashBytes(bytes, 0, 3)); } finally { returnWordCounter(held); }
 */
export function takeWordCounter(): HeldCounter {
  const held = spare ?? { counter: new ByteKeyCounter(COUNTER_KEYS_INITIAL), order: orderArrays(0) };
  spare = null;
  return held;
}

/** Clears `held` and keeps it for the thread's next task. WARNING: views of its arena or arrays are invalid after. */
export function returnWordCounter(held: HeldCounter): void {
  held.counter.clear();
  spare = held;
}

/** `held`'s order arrays, grown (with a quarter to spare) when shorter than `rows`. */
export function orderArraysFor(held: HeldCounter, rows: number): OrderArrays {
  if (held.order.counts.length < rows) held.order = orderArrays(Math.ceil(rows * 1.25));
  return held.order;
}

function orderArrays(rows: number): OrderArrays {
  return { starts: new Int32Array(rows), ends: new Int32Array(rows), counts: new Int32Array(rows) };
}
