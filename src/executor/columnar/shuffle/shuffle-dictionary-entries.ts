/**
 * The dictionary of a `utf8-dict` shuffle chunk built entry by entry (`shuffle-dictionary-chunk.ts`): for rows of
 * dictionary-read sources whose dictionaries are too large to send whole, each string the chunk's rows use once per
 * source dictionary (a code map per dictionary, kept per thread between chunks); for rows of a plain source, an
 * entry per row.
 */
import type { Utf8Column } from '../batches/batch.js';
import type { DictionaryView } from '../batches/dictionary-column.js';

/** Per thread: code maps (source code → chunk code, -1 for none yet) kept at -1 between chunks, for reuse. */
const spareMaps: Int32Array[] = [];

/** Gives the code maps of a chunk (each back at -1 for every code) to the next chunk on this thread. */
export function keepSpareMaps(maps: Iterable<Int32Array>): void {
  for (const map of maps) spareMaps.push(map);
}

/** The dictionary entries of one chunk column being built: per entry its source, bytes and source code. */
export class Entries {
  size = 0;
  dataBytes = 0;
  source = new Uint8Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  /** The entry's code in its source's dictionary, or -1 for a plain source's row. */
  code = new Int32Array(256);

  add(source: number, start: number, end: number, code: number): number {
    if (this.size === this.start.length) this.grow();
    const e = this.size++;
    this.source[e] = source;
    this.start[e] = start;
    this.end[e] = end;
    this.code[e] = code;
    this.dataBytes += end - start;
    return e;
  }

  private grow(): void {
    const n = this.size * 2;
    const source = new Uint8Array(n);
    source.set(this.source);
    this.source = source;
    for (const key of ['start', 'end', 'code'] as const) {
      const to = new Int32Array(n);
      to.set(this[key]);
      this[key] = to;
    }
  }
}

/** Codes rows [start, end) of a dictionary-read source: each dictionary string once; returns the nulls. */
export function codeDictionaryRun(
  column: Utf8Column,
  view: DictionaryView,
  map: Int32Array,
  source: number,
  rows: Int32Array,
  start: number,
  end: number,
  codes: Int32Array,
  entries: Entries,
): number {
  const valid = column.valid;
  const { codes: sourceCodes, offsets } = view;
  let nulls = 0;
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    if (valid !== undefined && valid[row] === 0) {
      nulls++;
      continue;
    }
    const code = sourceCodes[row]!;
    let k = map[code]!;
    if (k < 0) k = map[code] = entries.add(source, offsets[code]!, offsets[code + 1]!, code);
    codes[i] = k;
  }
  return nulls;
}

/** Codes rows [start, end) of a plain source: an entry per row, coded `firstCode` + its entry; returns the nulls. */
export function codePlainRun(
  column: Utf8Column,
  source: number,
  rows: Int32Array,
  start: number,
  end: number,
  codes: Int32Array,
  entries: Entries,
  firstCode: number,
): number {
  const { valid, starts, ends } = column;
  let nulls = 0;
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    if (valid !== undefined && valid[row] === 0) nulls++;
    else codes[i] = firstCode + entries.add(source, starts[row]!, ends[row]!, -1);
  }
  return nulls;
}

/** A code map of at least `view.size` entries, all -1, shared by the sources of one dictionary. */
export function mapFor(maps: Map<Int32Array, Int32Array>, view: DictionaryView): Int32Array {
  let map = maps.get(view.offsets);
  if (map !== undefined) return map;
  const spare = spareMaps.findIndex((m) => m.length >= view.size);
  map = spare >= 0 ? spareMaps.splice(spare, 1)[0]! : new Int32Array(view.size).fill(-1);
  maps.set(view.offsets, map);
  return map;
}

/**
 * Writes the strings of `entries` (one after the other) and their offsets, as codes from `firstCode` on and bytes
 * from `firstByte` on (after the dictionaries laid out before them).
 */
export function writeEntries(
  entries: Entries,
  columns: readonly Utf8Column[],
  offsets: Int32Array,
  data: Uint8Array,
  firstCode = 0,
  firstByte = 0,
): void {
  let at = firstByte;
  for (let e = 0; e < entries.size; e++) {
    const bytes = columns[entries.source[e]!]!.bytes;
    const s = entries.start[e]!;
    const n = entries.end[e]! - s;
    offsets[firstCode + e] = at;
    if (n > 64) data.set(bytes.subarray(s, s + n), at);
    else for (let k = 0; k < n; k++) data[at + k] = bytes[s + k]!;
    at += n;
  }
  offsets[firstCode + entries.size] = at;
}
