/**
 * The build side of a hash join as an index from key tuples to dense group ids, and the probe of a batch's keys
 * through it, all in typed arrays. Keys match as the tuple encoding of grouping says (`kernels/tuple-key.ts`), so
 * every path below agrees with the generic one:
 * - one int32 (or date) key on both sides: the integers themselves, through a directory indexed by `key - low`
 *   when the keys span a small range (db-benchmark's id1/id2), else an open-addressing table of int32 keys;
 * - one string key on both sides: the UTF-8 bytes in place (no copy into a scratch tuple per row), or, for a
 *   dictionary-read probe column, each dictionary string once;
 * - anything else: the tuple bytes of each row, encoded one at a time.
 * A null key matches nothing, as in SQL: its group is -1.
 */
import type { Column, I32Column, Utf8Column } from '../batches/batch.js';
import { dictionaryOf, type DictionaryView } from '../batches/dictionary-column.js';
import { ByteKeyTable } from '../kernels/byte-key-table.js';
import { hashBytes, mix32 } from '../kernels/hash-bytes.js';
import { encodeTupleKey } from '../kernels/tuple-key.js';

/** Key tuples → group ids of the build side. */
export interface JoinKeyIndex {
  /** The path taken (see above): a directory of int keys, an int hash table, string bytes, or tuple bytes. */
  readonly kind: 'directory' | 'int-table' | 'utf8' | 'tuple';
  /** Distinct non-null keys of the build side. */
  readonly groups: number;
  /**
   * Keys the probes have looked up so far: every probe row's, except that a dictionary-read string column's rows
   * look up each distinct string once (how a test sees that path taken).
   */
  readonly lookups: number;
  /** Writes the group of each of the first `rows` rows of `keys` (a probe batch's key columns) to `out`, or -1. */
  probe(keys: readonly Column[], rows: number, out: Int32Array): void;
}

/** The directory may span at most this many keys (16 MiB of int32)… */
const DIRECT_SPAN_MAX = 1 << 22;
/** …and at most this many slots per build row, unless the span is this small anyway… */
const DIRECT_SPAN_PER_ROW = 8;
const DIRECT_SPAN_ALWAYS = 1 << 16;

/**
 * Whether keys spanning `span` values of `rows` build rows take the directory: within the limits above, or, past
 * them, when the directory takes no more memory than the open-addressing table would (its slots and its keys):
 * one random read per probe row instead of a hash, a slot and a key (db-benchmark's q5, 5 M unique keys of 1.1e7
 * per task: 44 MB against 84 MB).
 */
export function takesDirectory(span: number, rows: number): boolean {
  if (span <= 0) return false;
  if (span <= Math.min(DIRECT_SPAN_MAX, Math.max(DIRECT_SPAN_ALWAYS, rows * DIRECT_SPAN_PER_ROW))) return true;
  return span <= hashSlots(rows) + rows;
}

/** The open-addressing table's slot count for `rows` keys: a power of two, at least twice the rows. */
function hashSlots(rows: number): number {
  let size = 16;
  while (size < rows * 2) size *= 2;
  return size;
}

/**
 * Indexes the first `rows` rows of the build side's key columns; writes each row's group (or -1 for a null key) to
 * `groupOf`. `probeTypes` are the probe side's key column types, which choose the path (both sides must agree).
 *
 * @example
 * const index = buildJoinIndex(buildKeys, build.rows, probeKeys.map((c) => c.type), groupOf);
 */
export function buildJoinIndex(
  keys: readonly Column[],
  rows: number,
  probeTypes: readonly Column['type'][],
  groupOf: Int32Array,
): JoinKeyIndex {
  const only = keys.length === 1 ? keys[0]! : null;
  if (only !== null && (only.type === 'i32' || only.type === 'date') && probeTypes[0] === only.type) {
    return buildIntIndex(only as I32Column, rows, groupOf);
  }
  if (only !== null && only.type === 'utf8' && probeTypes[0] === 'utf8') return buildUtf8Index(only, rows, groupOf);
  return buildTupleIndex(keys, rows, groupOf);
}

function buildIntIndex(column: I32Column, rows: number, groupOf: Int32Array): JoinKeyIndex {
  const { values, valid } = column;
  let low = 0x7fffffff;
  let high = -0x80000000;
  for (let r = 0; r < rows; r++) {
    if (valid !== undefined && valid[r] === 0) continue;
    const v = values[r]!;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const span = high - low + 1;
  if (takesDirectory(span, rows)) {
    // directory[key - low] = group + 1 (0: absent).
    const directory = new Int32Array(span);
    let groups = 0;
    for (let r = 0; r < rows; r++) {
      if (valid !== undefined && valid[r] === 0) {
        groupOf[r] = -1;
        continue;
      }
      const at = values[r]! - low;
      let g = directory[at]!;
      if (g === 0) g = directory[at] = ++groups;
      groupOf[r] = g - 1;
    }
    const index = {
      kind: 'directory' as const,
      groups,
      lookups: 0,
      probe(keys: readonly Column[], count: number, out: Int32Array) {
        index.lookups += count;
        const probe = keys[0] as I32Column;
        const v = probe.values;
        const ok = probe.valid;
        for (let i = 0; i < count; i++) {
          const at = v[i]! - low;
          out[i] = at >= 0 && at < span && (ok === undefined || ok[i] === 1) ? directory[at]! - 1 : -1;
        }
      },
    };
    return index;
  }
  const size = hashSlots(rows);
  const mask = size - 1;
  // slots hold group + 1; groupKeys[g] is the group's key.
  const slots = new Int32Array(size);
  const groupKeys = new Int32Array(Math.max(1, rows));
  let groups = 0;
  for (let r = 0; r < rows; r++) {
    if (valid !== undefined && valid[r] === 0) {
      groupOf[r] = -1;
      continue;
    }
    const key = values[r]!;
    let slot = mix32(Math.imul(key, 0x9e3779b1)) & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === 0) {
        groupKeys[groups] = key;
        slots[slot] = ++groups;
        groupOf[r] = groups - 1;
        break;
      }
      if (groupKeys[entry - 1] === key) {
        groupOf[r] = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const index = {
    kind: 'int-table' as const,
    groups,
    lookups: 0,
    probe(keys: readonly Column[], count: number, out: Int32Array) {
      index.lookups += count;
      const probe = keys[0] as I32Column;
      const v = probe.values;
      const ok = probe.valid;
      for (let i = 0; i < count; i++) {
        let g = -1;
        if (ok === undefined || ok[i] === 1) {
          const key = v[i]!;
          let slot = mix32(Math.imul(key, 0x9e3779b1)) & mask;
          for (;;) {
            const entry = slots[slot]!;
            if (entry === 0) break;
            if (groupKeys[entry - 1] === key) {
              g = entry - 1;
              break;
            }
            slot = (slot + 1) & mask;
          }
        }
        out[i] = g;
      }
    },
  };
  return index;
}

function buildUtf8Index(column: Utf8Column, rows: number, groupOf: Int32Array): JoinKeyIndex {
  const table = new ByteKeyTable(Math.max(16, rows));
  utf8Groups(table, column, rows, groupOf, true);
  // Each probed dictionary's strings looked up once, by its offsets (every batch read from one cached block, or
  // gathered from it, shares them): the group of each code, -2 until looked up.
  const groupsOfCodes = new WeakMap<Int32Array, { bytes: Uint8Array; groupOfCode: Int32Array }>();
  const index = {
    kind: 'utf8' as const,
    groups: table.size,
    lookups: 0,
    probe(keys: readonly Column[], count: number, out: Int32Array) {
      const probe = keys[0] as Utf8Column;
      const coded = dictionaryOf(probe);
      const known = coded === undefined ? undefined : groupsOfCodes.get(coded.offsets);
      let groupOfCode = known?.bytes === probe.bytes ? known.groupOfCode : undefined;
      if (coded !== undefined && groupOfCode === undefined && coded.size <= count * CODES_PER_PROBE_ROW_MAX) {
        groupOfCode = new Int32Array(coded.size).fill(-2);
        groupsOfCodes.set(coded.offsets, { bytes: probe.bytes, groupOfCode });
      }
      if (coded === undefined || groupOfCode === undefined) {
        utf8Groups(table, probe, count, out, false);
        index.lookups += count;
      } else index.lookups += codedGroups(table, probe.bytes, coded, groupOfCode, probe.valid, count, out);
    },
  };
  return index;
}

/**
 * A probe batch's string keys are looked up per dictionary string rather than per row when its dictionary has at
 * most this many strings per probe row (a small part of a block with a large dictionary goes row by row).
 */
const CODES_PER_PROBE_ROW_MAX = 4;

/**
 * The group of each row of a dictionary-read string column (-1 for null or absent): each code's string hashed and
 * looked up on its first row only, so a probe of db-benchmark's q4 (1e7 rows, ~1e4 distinct id5 strings) reads
 * the codes and one small array instead of every row's bytes. Returns the strings looked up.
 */
function codedGroups(
  table: ByteKeyTable,
  bytes: Uint8Array,
  coded: DictionaryView,
  groupOfCode: Int32Array,
  valid: Uint8Array | undefined,
  rows: number,
  out: Int32Array,
): number {
  const { codes, offsets } = coded;
  let lookups = 0;
  for (let r = 0; r < rows; r++) {
    if (valid !== undefined && valid[r] === 0) {
      out[r] = -1;
      continue;
    }
    const code = codes[r]!;
    let g = groupOfCode[code]!;
    if (g === -2) {
      const s = offsets[code]!;
      const e = offsets[code + 1]!;
      g = groupOfCode[code] = table.find(bytes, s, e, hashBytes(bytes, s, e));
      lookups++;
    }
    out[r] = g;
  }
  return lookups;
}

/** The group of each string (-1 for null): found, or added when `insert` (else -1 when absent). */
function utf8Groups(table: ByteKeyTable, column: Utf8Column, rows: number, out: Int32Array, insert: boolean): void {
  const { bytes, starts, ends, valid } = column;
  for (let r = 0; r < rows; r++) {
    if (valid !== undefined && valid[r] === 0) {
      out[r] = -1;
      continue;
    }
    const s = starts[r]!;
    const e = ends[r]!;
    const hash = hashBytes(bytes, s, e);
    out[r] = insert ? table.findOrInsert(bytes, s, e, hash) : table.find(bytes, s, e, hash);
  }
}

/** Key tuples of rows, encoded one at a time into a growing scratch buffer. */
class KeyEncoder {
  scratch = new Uint8Array(256);
  /** The encoded length of `row`'s key, or -1 when one of its keys is null. */
  encode(columns: readonly Column[], row: number): number {
    for (const column of columns) if (column.valid !== undefined && column.valid[row] === 0) return -1;
    let length = encodeTupleKey(columns, row, this.scratch);
    while (length < 0) {
      this.scratch = new Uint8Array(this.scratch.length * 4);
      length = encodeTupleKey(columns, row, this.scratch);
    }
    return length;
  }
}

function buildTupleIndex(keys: readonly Column[], rows: number, groupOf: Int32Array): JoinKeyIndex {
  const table = new ByteKeyTable(Math.max(16, rows));
  const encoder = new KeyEncoder();
  for (let r = 0; r < rows; r++) {
    const length = encoder.encode(keys, r);
    groupOf[r] =
      length < 0 ? -1 : table.findOrInsert(encoder.scratch, 0, length, hashBytes(encoder.scratch, 0, length));
  }
  const index = {
    kind: 'tuple' as const,
    groups: table.size,
    lookups: 0,
    probe(probeKeys: readonly Column[], count: number, out: Int32Array) {
      index.lookups += count;
      for (let i = 0; i < count; i++) {
        const length = encoder.encode(probeKeys, i);
        out[i] = length < 0 ? -1 : table.find(encoder.scratch, 0, length, hashBytes(encoder.scratch, 0, length));
      }
    },
  };
  return index;
}
