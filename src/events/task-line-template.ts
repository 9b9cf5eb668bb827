import {
  ms,
  number,
  plainMsWidth,
  plainNumberOfWidth,
  plainNumberWidth,
  putBytes,
  type Fragment,
} from './json-bytes.js';

/**
 * A task line's shape: fixed pieces of text with a number between each two, `fields[i]` (a column of a task fact,
 * task-facts.ts) after `pieces[i]`; the fields in `msFields` are times written by `ms`, the others by `number`.
 */
export interface TaskLineShape {
  readonly pieces: readonly Fragment[];
  readonly fields: readonly number[];
  readonly msFields: readonly number[];
}

/** Templates kept per shape, found by their numbers' widths (a time's decimals take 0–3 characters: a few shapes). */
const SLOTS = 8;
/** Room for a template line: its fixed text is under 300 bytes and none of its numbers passes 16 characters. */
const LINE_BYTES_MAX = 1024;

/** The last line written with one set of number widths: its bytes, and each number's value, width and offset. */
interface Slot {
  readonly bytes: Uint8Array;
  /** The line: `bytes` up to its length (a view made when the line is built, reused while its widths stay). */
  line: Uint8Array;
  readonly values: Float64Array;
  readonly widths: Int32Array;
  readonly offsets: Int32Array;
  /** For a field written by `number`: the whole numbers of its width are those from `lowest` up to `highest`. */
  readonly lowest: Float64Array;
  readonly highest: Float64Array;
}

/**
 * Writes plain task lines (first attempts, successes without optional counters: nearly every line of a job of many
 * tiny tasks) by copying the last line of the same shape and number widths, after rewriting in it only the numbers
 * that changed: one native copy and 3–5 numbers a line instead of ~11 pieces and ~10 numbers. The copy is the
 * line: a number is rewritten in place only when its new text has the width of the old, so every other byte stays
 * right; any other line (a width not seen, a number `String` prints otherwise) is built in full or refused.
 *
 * Why: formatting the log's two lines per task was the largest part of the observers' cost on the driver on a job
 * of 10,000 empty tasks (native-bench/OBSERVABILITY.md, round 9).
 *
 * @example
 * const starts = new TaskLineTemplates(START_SHAPE);
 * const end = starts.write(buffer, used, facts.cells, row * FACT_COLUMNS); // -1: left to the general writer
 */
export class TaskLineTemplates {
  readonly #pieces: readonly Fragment[];
  readonly #fields: Int32Array;
  /** 1 where the field is a time written by `ms`. */
  readonly #isMs: Uint8Array;
  readonly #slots: Slot[];
  #last: Slot;
  /** The widths of the row being written, while its slot is looked up. */
  readonly #widths: Int32Array;

  constructor(shape: TaskLineShape) {
    if (shape.pieces.length !== shape.fields.length + 1) throw new Error('a shape has one piece more than fields');
    const n = shape.fields.length;
    this.#pieces = shape.pieces;
    this.#fields = Int32Array.from(shape.fields);
    this.#isMs = Uint8Array.from(shape.fields, (f) => (shape.msFields.includes(f) ? 1 : 0));
    this.#widths = new Int32Array(n);
    this.#slots = Array.from({ length: SLOTS }, () => {
      const bytes = new Uint8Array(LINE_BYTES_MAX);
      return {
        bytes,
        line: bytes.subarray(0, 0),
        values: new Float64Array(n).fill(Number.NaN),
        widths: new Int32Array(n).fill(-1),
        offsets: new Int32Array(n),
        lowest: new Float64Array(n),
        highest: new Float64Array(n).fill(-1),
      };
    });
    this.#last = this.#slots[0]!;
  }

  /**
   * Writes the line of the task fact at offset `row` of `cells` into `b` at `at` and returns where it ends, or
   * returns -1, writing nothing, when one of its numbers is not a plain whole number (or time in whole µs).
   */
  write(b: Uint8Array, at: number, cells: Float64Array, row: number): number {
    let slot = this.#last;
    if (!this.#update(slot, cells, row)) {
      const widths = this.#widths;
      let hash = 0;
      for (let k = 0; k < widths.length; k++) {
        const width = this.#widthOf(k, cells[row + this.#fields[k]!]!);
        if (width < 0) return -1;
        widths[k] = width;
        hash = (hash * 31 + width) | 0;
      }
      slot = this.#slots[hash & (SLOTS - 1)]!;
      if (!sameWidths(slot.widths, widths) || !this.#update(slot, cells, row)) this.#build(slot, cells, row);
      this.#last = slot;
    }
    b.set(slot.line, at);
    return at + slot.line.length;
  }

  /**
   * Rewrites in `slot` the numbers of the row that differ from its own; false when one's width differs (the slot
   * stays a whole line: every number rewritten so far had its old width).
   */
  #update(slot: Slot, cells: Float64Array, row: number): boolean {
    const fields = this.#fields;
    const values = slot.values;
    for (let k = 0; k < fields.length; k++) {
      const value = cells[row + fields[k]!]!;
      if (value === values[k]) continue;
      if (this.#isMs[k] === 1) {
        const width = plainMsWidth(value);
        if (width < 0 || width !== slot.widths[k]) return false;
        ms(slot.bytes, slot.offsets[k]!, value);
      } else {
        if (!(value >= slot.lowest[k]! && value <= slot.highest[k]! && Math.floor(value) === value)) return false;
        plainNumberOfWidth(slot.bytes, slot.offsets[k]!, value, slot.widths[k]!);
      }
      values[k] = value;
    }
    return true;
  }

  /** Writes the row's whole line into `slot`, noting where each number is. */
  #build(slot: Slot, cells: Float64Array, row: number): void {
    const bytes = slot.bytes;
    let at = 0;
    for (let k = 0; k < this.#fields.length; k++) {
      at = putBytes(bytes, at, this.#pieces[k]!);
      const value = cells[row + this.#fields[k]!]!;
      slot.offsets[k] = at;
      const end = this.#isMs[k] === 1 ? ms(bytes, at, value) : number(bytes, at, value);
      const width = end - at;
      slot.widths[k] = width;
      slot.lowest[k] = width === 1 ? 0 : 10 ** (width - 1);
      slot.highest[k] = Math.min(10 ** width - 1, Number.MAX_SAFE_INTEGER);
      slot.values[k] = value;
      at = end;
    }
    at = putBytes(bytes, at, this.#pieces[this.#fields.length]!);
    if (at !== slot.line.length) slot.line = bytes.subarray(0, at);
  }

  #widthOf(k: number, value: number): number {
    return this.#isMs[k] === 1 ? plainMsWidth(value) : plainNumberWidth(value);
  }
}

function sameWidths(a: Int32Array, b: Int32Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
