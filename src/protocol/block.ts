/**
 * A block: an immutable Arrow record batch whose buffers live in one SharedArrayBuffer, described by plain data so
 * it crosses threads by sharing, not copying (DESIGN.md §3, pitfall 4). Shuffle outputs, cached partitions and
 * results are blocks. `storage/` builds and reads them; nobody writes into a committed block.
 */

/**
 * Column encodings. Each maps to one Arrow type:
 * `null` → Null, `bool` → Bool, `i32` → Int32, `f64` → Float64, `i64` → Int64 (bigints), `utf8` → Utf8,
 * `binary-v8` → Binary holding one `v8.serialize` payload per value (the fallback for anything else),
 * `date32` → Date32 (days since the epoch), `timestamp-ms` / `timestamp-us` → Timestamp (int64 milli- or
 * microseconds since the epoch, with the descriptor's `timeZone`). Records never infer the last three: only columnar
 * datasets write them, and they decode to JS `Date`s. `utf8-dict` → Utf8 too, stored dictionary-coded (a cached
 * partition's low-cardinality string column): `offsets` and `data` hold the dictionary's `dictionarySize` strings
 * and `codes` one code per row, 1, 2 or 4 bytes wide (`dictionaryCodeBytes`); exported to Arrow as plain Utf8.
 */
export type ColumnType =
  | 'null'
  | 'bool'
  | 'i32'
  | 'f64'
  | 'i64'
  | 'utf8'
  | 'utf8-dict'
  | 'binary-v8'
  | 'date32'
  | 'timestamp-ms'
  | 'timestamp-us';

/** A byte range inside the block's buffer. Offsets are 8-byte aligned, as Arrow requires. */
export interface BufferRange {
  readonly offset: number;
  readonly length: number;
}

/** One column: its Arrow type and where its buffers are. */
export interface ColumnDescriptor {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullCount: number;
  /** Arrow validity bitmap (bit set = present), or null when no value is null. */
  readonly validity: BufferRange | null;
  /**
   * Int32 offsets (rows + 1 of them) for `utf8` and `binary-v8`, (`dictionarySize` + 1) of the dictionary's strings
   * for `utf8-dict`; null otherwise.
   */
  readonly offsets: BufferRange | null;
  /** Values: bits for `bool`, fixed-width numbers, or the bytes of `utf8`/`binary-v8`; null for `null`. */
  readonly data: BufferRange | null;
  /** Codes of a `utf8-dict` column: per row an unsigned index into the dictionary (0 for a null row). */
  readonly codes?: BufferRange | null;
  /** Strings in the dictionary of a `utf8-dict` column (at least 1 when a row holds a value). */
  readonly dictionarySize?: number;
  /** Time zone of a `timestamp-*` column (an IANA name or an offset such as `+01:00`), or null/absent for none. */
  readonly timeZone?: string | null;
}

/**
 * How a row maps back to a JS value:
 * - `scalar`: one column `value`, the record itself;
 * - `pair`: columns `key` and `value`, the record `[key, value]`;
 * - `nested-pair`: a pair whose key, value or both are themselves pairs of scalars (`[[-n, word], [word, n]]` of a
 *   `sortBy` with a tuple key, `[k, [v, w]]` of a join): such a side is two columns `key.0`/`key.1` (or
 *   `value.0`/`value.1`), the other one column, so those records get native columns instead of one v8 payload;
 * - `object`: one column per field, the record a plain object with exactly those fields in that order.
 */
export type RecordShape =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'pair' }
  | { readonly kind: 'nested-pair'; readonly keyPair: boolean; readonly valuePair: boolean }
  | { readonly kind: 'object'; readonly fields: readonly string[] };

/**
 * The column names a shape stores, in block order.
 *
 * @example
 * shapeColumnNames({ kind: 'nested-pair', keyPair: true, valuePair: false }); // ['key.0', 'key.1', 'value']
 */
export function shapeColumnNames(shape: RecordShape): string[] {
  switch (shape.kind) {
    case 'scalar':
      return ['value'];
    case 'pair':
      return ['key', 'value'];
    case 'nested-pair':
      return [
        ...(shape.keyPair ? ['key.0', 'key.1'] : ['key']),
        ...(shape.valuePair ? ['value.0', 'value.1'] : ['value']),
      ];
    case 'object':
      return [...shape.fields];
  }
}

/** A committed block. */
export interface Block {
  readonly rows: number;
  readonly shape: RecordShape;
  readonly columns: readonly ColumnDescriptor[];
  /** Holds every column buffer; shared between threads, never transferred. */
  readonly buffer: SharedArrayBuffer;
  /** Bytes of `buffer` in use (the buffer may be a little larger). */
  readonly byteLength: number;
  /** CRC-32 of `buffer[0, byteLength)`, computed when written and checked when read. */
  readonly checksum: number;
  /**
   * Set by the driver's block cache on a cached partition kept in memory (and on an in-memory source's blocks): one
   * Int32 of shared memory of its own, 0 until a thread has checked the block's checksum, then 1. Every thread
   * trusts it after that (nobody writes into a committed block), instead of hashing it on every read; see
   * src/storage/blocks/cached-block-verify.ts. Shared, not copied, when a task descriptor carries the block to a thread.
   */
  readonly seal?: Int32Array;
}

/**
 * A block spilled to disk (DESIGN.md §6): one Arrow IPC file in the Context's spill dir, written under a temporary
 * name and renamed, so a torn file is never found under `path`. Read it only through `openBlock` (src/storage/arrow/
 * storage/arrow/spill-file.ts), which checks `byteLength` and `checksum` (CRC-32 of the whole file) first.
 */
export interface SpilledBlock {
  readonly kind: 'spilled';
  readonly path: string;
  /** Bytes of the file. */
  readonly byteLength: number;
  /** CRC-32 of the whole file. */
  readonly checksum: number;
  readonly rows: number;
  readonly shape: RecordShape;
}

/** A block in shared memory or spilled to a file: what map outputs and cached partitions hold. */
export type BlockRef = Block | SpilledBlock;

/**
 * True when `ref` is a spilled block (a file), false when it is a block in shared memory. Here rather than beside
 * `openBlock`: a worker tests it for every task (executor/loading/needs-arrow.ts) and should not load the spill file module,
 * with apache-arrow's IPC code behind it, for that.
 */
export function isSpilled(ref: BlockRef): ref is SpilledBlock {
  return (ref as { kind?: unknown }).kind === 'spilled';
}

/**
 * Bytes per code of a `utf8-dict` column whose dictionary holds `size` strings: 1 up to 256 strings, 2 up to 65,536,
 * else 4 (read as Uint8Array, Uint16Array or Int32Array).
 */
export function dictionaryCodeBytes(size: number): 1 | 2 | 4 {
  return size <= 256 ? 1 : size <= 65_536 ? 2 : 4;
}
