/**
 * A string column of a shuffle chunk sent dictionary-coded (`utf8-dict`) when its rows come from a dictionary-read
 * column (`batches/dictionary-column.ts`: a cached partition's low-cardinality strings, passed through a partial
 * aggregation): the chunk carries the strings its rows use, each once per source dictionary, and a code per row.
 * The reduce side then assigns each dictionary string a group once (`grouping/dictionary-groups.ts`), not each row's
 * bytes.
 *
 * Rows from a plain source (a table's decoded keys) each get an entry of their own: a dictionary may hold a string
 * more than once, which every reader allows (a string's codes all name the same bytes).
 */
import { dictionaryCodeBytes } from '../../../protocol/block.js';
import { bitmapBytes, type ColumnTarget, type PendingColumn } from '../../../storage/blocks/block-layout.js';
import type { DictionaryCodes } from '../../../storage/blocks/dictionary-codes.js';
import type { Utf8Column } from '../batches/batch.js';
import { dictionaryOf, sharedPrefixSize, type DictionaryView } from '../batches/dictionary-column.js';
import {
  codeDictionaryRun,
  codePlainRun,
  Entries,
  keepSpareMaps,
  mapFor,
  writeEntries,
} from './shuffle-dictionary-entries.js';

/**
 * Rows `rows[i]` of `columns[from[i]]` (of `columns[0]` when `from` is null) as a pending `utf8-dict` column, or
 * null when no source column is dictionary-read or every row is null (then write it plain). `columns` are at most
 * 256 (`from` is bytes).
 *
 * @example
 * const pending = dictionaryChunkColumn('id1', [passed.columns[0]], null, order.subarray(0, 100));
 */
export function dictionaryChunkColumn(
  name: string,
  columns: readonly Utf8Column[],
  from: Uint8Array | null,
  rows: Int32Array,
): PendingColumn | null {
  const views = columns.map((column) => dictionaryOf(column));
  if (views.every((view) => view === undefined)) return null;
  const count = rows.length;
  const whole = wholeDictionaries(columns, views, from, count);
  if (whole !== null) return wholeDictionariesColumn(name, columns, views, whole, from, rows);
  // One code map per dictionary: slices of one cached block share their dictionary (its offsets array).
  const maps = new Map<Int32Array, Int32Array>();
  const mapOf = views.map((view) => (view === undefined ? null : mapFor(maps, view)));
  const entries = new Entries();
  const codes = new Int32Array(count);
  const nullCount = sumOverSourceRuns(from, count, (s, start, end) => {
    const view = views[s];
    return view === undefined
      ? codePlainRun(columns[s]!, s, rows, start, end, codes, entries, 0)
      : codeDictionaryRun(columns[s]!, view, mapOf[s]!, s, rows, start, end, codes, entries);
  });
  // Back to -1 for the next chunk: only the entries this one set.
  for (let e = 0; e < entries.size; e++) {
    const map = mapOf[entries.source[e]!];
    if (map !== null && map !== undefined) map[entries.code[e]!] = -1;
  }
  keepSpareMaps(maps.values());
  if (nullCount === count) return null;
  const stored = narrow(codes, entries.size);
  return pendingOf(name, columns, from, rows, nullCount, entries.size, entries.dataBytes, stored, (offsets, data) =>
    writeEntries(entries, columns, offsets, data),
  );
}

/**
 * The sum of `run(source, start, end)` over the runs of rows of one source (`from[i]`, all of source 0 when `from`
 * is null). Rows come in such runs (a partition's grouped rows, then its passed rows): one loop per run.
 */
function sumOverSourceRuns(
  from: Uint8Array | null,
  count: number,
  run: (source: number, start: number, end: number) => number,
): number {
  let sum = 0;
  for (let i = 0; i < count;) {
    const s = from === null ? 0 : from[i]!;
    let end = i + 1;
    if (from === null) end = count;
    else while (end < count && from[end] === s) end++;
    sum += run(s, i, end);
    i = end;
  }
  return sum;
}

/**
 * The distinct dictionaries of `views` (slices of one cached block share theirs, and the cached partitions of a
 * dataset share prefixes of one: the longest of those stands for all) and each dictionary-read source's first code
 * in them laid one after the other, when the dictionaries together and the rows of plain sources (each an entry of
 * its own, after the dictionaries) are no more than the chunk's rows; else null. A map task that passed its rows
 * through sends its partitions' dictionary to each of a few reduce partitions this way, nearly every string of it
 * used, and with its shared codes as they are: a partition written plain (too few rows for its distinct strings)
 * among them adds its rows' strings after it, and does not turn the chunk into a dictionary of its own.
 */
function wholeDictionaries(
  columns: readonly Utf8Column[],
  views: readonly (DictionaryView | undefined)[],
  from: Uint8Array | null,
  rows: number,
): { dictionaries: { view: DictionaryView; source: number }[]; firstCodes: Int32Array; size: number } | null {
  const dictionaries: { view: DictionaryView; source: number }[] = [];
  const dictionaryOfSource = new Int32Array(views.length);
  for (let s = 0; s < views.length; s++) {
    const view = views[s];
    if (view === undefined) {
      dictionaryOfSource[s] = -1;
      continue;
    }
    if (view.size > rows) return null;
    let d = dictionaries.findIndex((known) => known.view.offsets === view.offsets);
    if (d < 0) {
      d = dictionaries.findIndex(({ view: known, source }) => {
        const shared = sharedPrefixSize(
          columns[source]!.bytes,
          known.offsets,
          known.size,
          columns[s]!.bytes,
          view.offsets,
          view.size,
        );
        return shared > 0 && shared === Math.min(known.size, view.size);
      });
      if (d < 0) dictionaries.push({ view, source: s });
      else if (view.size > dictionaries[d]!.view.size) dictionaries[d] = { view, source: s };
      if (d < 0) d = dictionaries.length - 1;
    }
    dictionaryOfSource[s] = d;
  }
  // The longest first: a cached partition's share of its dataset's dictionary, when it is one, begins every chunk's
  // dictionary, and the reduce side maps those strings once (`grouping/dictionary-groups.ts`).
  const order = dictionaries.map((_, d) => d).sort((a, b) => dictionaries[b]!.view.size - dictionaries[a]!.view.size);
  const firsts = new Int32Array(dictionaries.length);
  let size = 0;
  for (const d of order) {
    firsts[d] = size;
    size += dictionaries[d]!.view.size;
  }
  const plainRows = views.includes(undefined)
    ? sumOverSourceRuns(from, rows, (s, start, end) => (views[s] === undefined ? end - start : 0))
    : 0;
  if (size + plainRows > rows) return null;
  const laidOut = order.map((d) => dictionaries[d]!);
  return { dictionaries: laidOut, firstCodes: dictionaryOfSource.map((d) => (d < 0 ? -1 : firsts[d]!)), size };
}

/**
 * Rows `rows[i]` of `columns[from[i]]` as a `utf8-dict` column whose dictionary is the sources' dictionaries
 * (`wholeDictionaries`) one after the other, each copied as one run of bytes, then an entry per row of a plain
 * source; its codes are the rows' own codes moved past the dictionaries before theirs: a gather of codes, no lookup
 * per row of which strings the chunk uses. The reduce side looks up only the strings its rows name
 * (`grouping/dictionary-groups.ts`), and the strings of a dictionary it mapped for an earlier chunk not at all.
 */
function wholeDictionariesColumn(
  name: string,
  columns: readonly Utf8Column[],
  views: readonly (DictionaryView | undefined)[],
  whole: NonNullable<ReturnType<typeof wholeDictionaries>>,
  from: Uint8Array | null,
  rows: Int32Array,
): PendingColumn | null {
  const { dictionaries, firstCodes, size } = whole;
  const count = rows.length;
  const codes = new Int32Array(count);
  const plain = new Entries();
  const nullCount = sumOverSourceRuns(from, count, (s, start, end) => {
    const view = views[s];
    return view === undefined
      ? codePlainRun(columns[s]!, s, rows, start, end, codes, plain, size)
      : gatherCodesRun(columns[s]!.valid, view.codes, firstCodes[s]!, rows, start, end, codes);
  });
  if (nullCount === count) return null;
  let dataBytes = plain.dataBytes;
  for (const { view } of dictionaries) dataBytes += view.offsets[view.size]! - view.offsets[0]!;
  const total = size + plain.size;
  return pendingOf(name, columns, from, rows, nullCount, total, dataBytes, narrow(codes, total), (offsets, data) => {
    let at = 0;
    let code = 0;
    for (const { view, source } of dictionaries) {
      const first = view.offsets[0]!;
      for (let e = 0; e < view.size; e++) offsets[code++] = at + view.offsets[e]! - first;
      const last = view.offsets[view.size]!;
      data.set(columns[source]!.bytes.subarray(first, last), at);
      at += last - first;
    }
    writeEntries(plain, columns, offsets, data, size, at);
  });
}

/** `codes[i] = firstCode + sourceCodes[rows[i]]` for i in [start, end) (a null row: 0); returns the nulls. */
function gatherCodesRun(
  valid: Uint8Array | undefined,
  sourceCodes: DictionaryView['codes'],
  firstCode: number,
  rows: Int32Array,
  start: number,
  end: number,
  codes: Int32Array,
): number {
  let nulls = 0;
  if (valid === undefined) {
    for (let i = start; i < end; i++) codes[i] = firstCode + sourceCodes[rows[i]!]!;
    return 0;
  }
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    if (valid[row] === 0) nulls++;
    else codes[i] = firstCode + sourceCodes[row]!;
  }
  return nulls;
}

/** Sets the validity bit of each chunk row whose source row is valid (when the chunk has a bitmap). */
function fillValidity(
  target: ColumnTarget,
  columns: readonly Utf8Column[],
  from: Uint8Array | null,
  rows: Int32Array,
): void {
  const bits = target.validity;
  if (bits === null) return;
  for (let i = 0; i < rows.length; i++) {
    const valid = columns[from === null ? 0 : from[i]!]!.valid;
    if (valid === undefined || valid[rows[i]!] === 1) bits[i >>> 3] = bits[i >>> 3]! | (1 << (i & 7));
  }
}

/** The codes at their stored width (held until the output is filled: 1–2 bytes a row for most dictionaries). */
function narrow(codes: Int32Array, size: number): DictionaryCodes {
  const width = dictionaryCodeBytes(size);
  return width === 1 ? new Uint8Array(codes) : width === 2 ? new Uint16Array(codes) : codes;
}

/**
 * A pending `utf8-dict` column of rows `rows[i]` of `columns[from[i]]`: their validity, `codes` (stored width), and
 * a dictionary of `size` strings and `dataBytes` bytes that `writeDictionary` writes into the target's offsets and
 * data.
 */
function pendingOf(
  name: string,
  columns: readonly Utf8Column[],
  from: Uint8Array | null,
  rows: Int32Array,
  nullCount: number,
  size: number,
  dataBytes: number,
  codes: DictionaryCodes,
  writeDictionary: (offsets: Int32Array, data: Uint8Array) => void,
): PendingColumn {
  const count = rows.length;
  return {
    name,
    type: 'utf8-dict',
    nullCount,
    validityBytes: nullCount > 0 ? bitmapBytes(count) : 0,
    hasOffsets: true,
    dataBytes,
    dictionarySize: size,
    timeZone: null,
    fill: (target: ColumnTarget) => {
      fillValidity(target, columns, from, rows);
      writeDictionary(target.offsets!, target.data!);
      target.codes!.set(new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength));
    },
  };
}
