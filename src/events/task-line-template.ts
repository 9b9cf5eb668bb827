import { addToDigits, plainNumberOfWidth, plainNumberWidth, putBytes, type Fragment } from './json-bytes.js';

/** Templates kept per shape, found by their numbers' widths (a start and an end of partitions 99 and 100, say). */
const SLOTS = 4;
/** Room for a template's text: its fixed text is under 300 bytes and none of its numbers passes 16 characters. */
const TEXT_BYTES_MAX = 512;

/** The last text written with one set of number widths: its bytes, and each number's value, width and offset. */
interface Slot {
  readonly bytes: Uint8Array;
  /** The text: `bytes` up to its length (a view made when the text is built, reused while its widths stay). */
  text: Uint8Array;
  readonly values: Float64Array;
  readonly widths: Int32Array;
  readonly offsets: Int32Array;
  /** The whole numbers of each field's width are those from `lowest` up to `highest`. */
  readonly lowest: Float64Array;
  readonly highest: Float64Array;
}

/**
 * Writes a stretch of a plain task line (first attempts, successes without optional counters: nearly every line of
 * a job of many tiny tasks) by copying the last one of the same number widths, after rewriting in it only the
 * numbers that changed: one native copy and 2–3 numbers instead of ~6 pieces and ~6 numbers. A number is
 * rewritten in place only when its new text has the width of the old, so every other byte stays right; a width
 * not seen builds the text in full, and a number that is not a plain whole number (which `String` may print
 * otherwise) is refused.
 *
 * The text is `pieces[0]`, the number in column `fields[0]` of a task fact (task-facts.ts), `pieces[1]`, … and
 * the last piece. Times stay out of templates: their decimals change width from one line to the next.
 *
 * Why: formatting the log's two lines per task was the largest part of the observers' cost on the driver on a job
 * of 10,000 empty tasks (native-bench/OBSERVABILITY.md, round 9).
 *
 * @example
 * const starts = new TaskLineTemplates([PREFIX_SEQ, TIME_MS, …, PLAIN_START_END], [FACT_SEQ, FACT_TIME_MS, …]);
 * const end = starts.write(buffer, used, facts.cells, row * FACT_COLUMNS); // -1: left to the general writer
 */
export class TaskLineTemplates {
  readonly #pieces: readonly Fragment[];
  readonly #fields: Int32Array;
  readonly #slots: Slot[];
  #last: Slot;
  /** The widths of the row being written, while its slot is looked up. */
  readonly #widths: Int32Array;

  constructor(pieces: readonly Fragment[], fields: readonly number[]) {
    if (pieces.length !== fields.length + 1) throw new Error('a template has one piece more than numbers');
    const n = fields.length;
    this.#pieces = pieces;
    this.#fields = Int32Array.from(fields);
    this.#widths = new Int32Array(n);
    this.#slots = Array.from({ length: SLOTS }, () => {
      const bytes = new Uint8Array(TEXT_BYTES_MAX);
      return {
        bytes,
        text: bytes.subarray(0, 0),
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
   * Writes the text for the task fact at offset `row` of `cells` into `b` at `at` and returns where it ends, or
   * returns -1, writing nothing, when one of its numbers is not a plain whole number.
   */
  write(b: Uint8Array, at: number, cells: Float64Array, row: number): number {
    let slot = this.#last;
    if (!this.#update(slot, cells, row)) {
      const widths = this.#widths;
      let hash = 0;
      for (let k = 0; k < widths.length; k++) {
        const width = plainNumberWidth(cells[row + this.#fields[k]!]!);
        if (width < 0) return -1;
        widths[k] = width;
        hash = (hash * 31 + width) | 0;
      }
      slot = this.#slots[hash & (SLOTS - 1)]!;
      if (!sameWidths(slot.widths, widths) || !this.#update(slot, cells, row)) this.#build(slot, cells, row);
      this.#last = slot;
    }
    b.set(slot.text, at);
    return at + slot.text.length;
  }

  /**
   * Rewrites in `slot` the numbers of the row that differ from its own; false when one's width differs or it is
   * not plain (the slot stays whole: every number rewritten so far had its old width).
   */
  #update(slot: Slot, cells: Float64Array, row: number): boolean {
    const fields = this.#fields;
    const values = slot.values;
    for (let k = 0; k < fields.length; k++) {
      const value = cells[row + fields[k]!]!;
      if (value === values[k]) continue;
      if (!(value >= slot.lowest[k]! && value <= slot.highest[k]! && Math.floor(value) === value)) return false;
      // Both are plain whole numbers of one width: a small step forward changes the last digits only.
      const step = value - values[k]!;
      if (step > 0 && step < 10) addToDigits(slot.bytes, slot.offsets[k]! + slot.widths[k]!, step);
      else plainNumberOfWidth(slot.bytes, slot.offsets[k]!, value, slot.widths[k]!);
      values[k] = value;
    }
    return true;
  }

  /** Writes the row's whole text into `slot`, noting where each number is; its numbers are plain. */
  #build(slot: Slot, cells: Float64Array, row: number): void {
    const bytes = slot.bytes;
    let at = 0;
    for (let k = 0; k < this.#fields.length; k++) {
      at = putBytes(bytes, at, this.#pieces[k]!);
      const value = cells[row + this.#fields[k]!]!;
      const width = plainNumberWidth(value);
      plainNumberOfWidth(bytes, at, value, width);
      slot.offsets[k] = at;
      slot.widths[k] = width;
      slot.values[k] = value;
      slot.lowest[k] = width === 1 ? 0 : 10 ** (width - 1);
      slot.highest[k] = Math.min(10 ** width - 1, Number.MAX_SAFE_INTEGER);
      at += width;
    }
    at = putBytes(bytes, at, this.#pieces[this.#fields.length]!);
    if (at !== slot.text.length) slot.text = bytes.subarray(0, at);
  }
}

function sameWidths(a: Int32Array, b: Int32Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
