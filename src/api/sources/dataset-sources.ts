/**
 * Datasets made from values the driver holds: an Arrow table (`fromArrow`) or columns of arrays and typed arrays
 * (`fromColumns`), one block per partition in shared memory. Arrow IPC files (`readArrow`) become blocks the same
 * way, in arrow-files-source.ts.
 */
import type { Table } from 'apache-arrow';
import type { Block } from '../../protocol/block.js';
import type { SourceSpec } from '../../protocol/pipeline.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import type { PlanNode } from '../../plan/plan-node.js';
import { recordBatchToBlock } from '../../storage/arrow/arrow-to-block.js';
import {
  assembleBlock,
  bitmapBytes,
  type ColumnTarget,
  type PendingColumn,
} from '../../storage/blocks/block-layout.js';
import { sealCachedBlock } from '../../storage/blocks/cached-block-verify.js';
import { stageUtf8 } from '../../storage/blocks/column-encoder.js';
import { ScratchBytes } from '../../storage/blocks/scratch-bytes.js';
import type { ContextInternals } from '../context/context-internals.js';

/**
 * Columns of `fromColumns`: typed arrays (numbers; `BigInt64Array` for int64), arrays of strings, numbers, bigints or
 * booleans, or JS `Date`s (a timestamp column in milliseconds, UTC) — one kind per column, `null` allowed anywhere —
 * all of one length.
 */
export type ColumnArrays = Readonly<
  Record<
    string,
    | Int32Array
    | Float64Array
    | Float32Array
    | Uint32Array
    | Int16Array
    | Uint16Array
    | Int8Array
    | Uint8Array
    | BigInt64Array
    | readonly (string | number | boolean | bigint | Date | null)[]
  >
>;

/** Options of `fromColumns` and `fromArrow`. */
export interface ColumnSourceOptions {
  /**
   * Partitions to cut the rows into (contiguous slices).
   * @default the context's defaultParallelism
   */
  numPartitions?: number;
}

const COLUMN_SOURCE_OPTIONS = optionNames<ColumnSourceOptions>({ numPartitions: true });

/** The source node of `kc.fromArrow(table)`: one partition per record batch. */
export function arrowTableSource(context: ContextInternals, table: Table): PlanNode {
  if (table === null || typeof table !== 'object' || !Array.isArray((table as Table).batches)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `fromArrow(): expected an apache-arrow Table, found ${describeValue(table)}`,
    );
  }
  return blocksSource(
    context,
    'fromArrow',
    `Arrow table of ${table.numRows} rows`,
    table.batches.map((b) => recordBatchToBlock(b)),
  );
}

/** The source node of `kc.fromColumns(columns)`: contiguous row slices, one block per partition. */
export function columnsSource(
  context: ContextInternals,
  columns: ColumnArrays,
  options: ColumnSourceOptions,
): PlanNode {
  refuseUnknownOptions('fromColumns()', options, COLUMN_SOURCE_OPTIONS);
  const names = Object.keys(columns);
  if (names.length === 0)
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'fromColumns(): expected at least one column');
  const rows = columns[names[0]!]!.length;
  for (const name of names) {
    const values = columns[name];
    if (!ArrayBuffer.isView(values) && !Array.isArray(values)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `fromColumns(): column '${name}' must be a typed array or an array, found ${describeValue(values)}`,
      );
    }
    if (values.length !== rows) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `fromColumns(): column '${name}' has ${values.length} rows, expected ${rows} like '${names[0]}'`,
      );
    }
  }
  const kinds = new Map<string, string | null>();
  for (const name of names) {
    const values = columns[name]!;
    if (Array.isArray(values)) kinds.set(name, arrayColumnKind(name, values));
  }
  const n = checkPartitionCount(options.numPartitions ?? context.options.defaultParallelism, 'fromColumns()');
  const blocks = Array.from({ length: n }, (_, p) => {
    const from = Math.floor((p * rows) / n);
    const to = Math.floor(((p + 1) * rows) / n);
    return assembleBlock(
      { kind: 'object', fields: names },
      to - from,
      names.map((name) => pendingSlice(name, columns[name]!, kinds, from, to)),
    );
  });
  return blocksSource(context, 'fromColumns', `${names.length} columns × ${rows} rows`, blocks);
}

/** A source node of one partition per block (one of no blocks: an empty partition), the blocks sealed. */
export function blocksSource(
  context: ContextInternals,
  label: string,
  description: string,
  blocks: readonly Block[],
): PlanNode {
  // Sealed like cached partitions: these blocks live in shared memory and are never written after this, so each
  // thread hashes one the first time it reads it, not on every query (DESIGN.md §5).
  const partitions: SourceSpec[] =
    blocks.length === 0
      ? [{ kind: 'empty' }]
      : blocks.map((block) => ({ kind: 'blocks', blocks: [sealCachedBlock(block)] }));
  return context.plan.source(label, description, partitions);
}

/**
 * The one kind of value a plain array column holds, checked over all its rows before it is cut into partitions (a
 * check per slice let `['a', 1]` be a string column in one partition and a number column in the next), or null when
 * every value is null.
 */
function arrayColumnKind(name: string, array: readonly unknown[]): string | null {
  let kind: string | null = null;
  for (let i = 0; i < array.length; i++) {
    const value = array[i];
    if (value === null) continue;
    const valueKind = value instanceof Date ? 'Date' : typeof value;
    kind ??= valueKind;
    if (valueKind !== kind || !COLUMN_VALUE_KINDS.includes(kind)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `fromColumns(): column '${name}' must hold only strings, only numbers, only bigints, only booleans or only Dates (and nulls); row ${i} is ${describeValue(value)}`,
      );
    }
    if (value instanceof Date && Number.isNaN(value.getTime())) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `fromColumns(): column '${name}' row ${i} is an invalid Date; expected a valid Date or null`,
      );
    }
  }
  return kind;
}

/** What a plain array column of `fromColumns` may hold (besides nulls), one kind per column. */
const COLUMN_VALUE_KINDS: readonly string[] = ['string', 'number', 'boolean', 'bigint', 'Date'];

function pendingSlice(
  name: string,
  values: ColumnArrays[string],
  kinds: ReadonlyMap<string, string | null>,
  from: number,
  to: number,
): PendingColumn {
  const rows = to - from;
  const base = { name, nullCount: 0, validityBytes: 0 };
  if (values instanceof Int32Array || values instanceof Float64Array) {
    const slice = values.subarray(from, to);
    return {
      ...base,
      type: values instanceof Int32Array ? 'i32' : 'f64',
      hasOffsets: false,
      dataBytes: slice.byteLength,
      fill: (t) => t.data!.set(new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength)),
    };
  }
  if (values instanceof BigInt64Array) {
    const slice = values.subarray(from, to);
    return {
      ...base,
      type: 'i64',
      hasOffsets: false,
      dataBytes: slice.byteLength,
      fill: (t) => t.data!.set(new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength)),
    };
  }
  if (ArrayBuffer.isView(values)) {
    // Other typed arrays: their values as float64 (exact for every 8-, 16- and 32-bit integer and float32).
    const slice = (values as Float32Array).subarray(from, to);
    return {
      ...base,
      type: 'f64',
      hasOffsets: false,
      dataBytes: rows * 8,
      fill: (t) => new Float64Array(t.data!.buffer, t.data!.byteOffset, rows).set(slice),
    };
  }
  const array = values as readonly unknown[];
  const kind = kinds.get(name) ?? null;
  let nullCount = 0;
  for (let i = from; i < to; i++) if (array[i] === null) nullCount++;
  if (kind === null)
    return { ...base, type: 'null', nullCount: rows, hasOffsets: false, dataBytes: -1, fill: () => {} };
  const withNulls = {
    ...base,
    nullCount,
    validityBytes: nullCount > 0 ? bitmapBytes(rows) : 0,
  };
  const fillValidity = (t: ColumnTarget) => {
    if (t.validity === null) return;
    for (let i = 0; i < rows; i++)
      if (array[from + i] !== null) t.validity[i >>> 3] = t.validity[i >>> 3]! | (1 << (i & 7));
  };
  if (kind === 'number' || kind === 'bigint') {
    return {
      ...withNulls,
      type: kind === 'number' ? 'f64' : 'i64',
      hasOffsets: false,
      dataBytes: rows * 8,
      fill: (t) => {
        fillValidity(t);
        const target =
          kind === 'number'
            ? new Float64Array(t.data!.buffer, t.data!.byteOffset, rows)
            : new BigInt64Array(t.data!.buffer, t.data!.byteOffset, rows);
        for (let i = 0; i < rows; i++) {
          const value = array[from + i];
          if (value !== null) (target as Float64Array)[i] = value as number;
        }
      },
    };
  }
  if (kind === 'Date') {
    // JS Dates are milliseconds since the epoch: a timestamp column in milliseconds, without a time zone (UTC).
    return {
      ...withNulls,
      type: 'timestamp-ms',
      timeZone: null,
      hasOffsets: false,
      dataBytes: rows * 8,
      fill: (t) => {
        fillValidity(t);
        const target = new BigInt64Array(t.data!.buffer, t.data!.byteOffset, rows);
        for (let i = 0; i < rows; i++) {
          const value = array[from + i];
          if (value !== null) target[i] = BigInt((value as Date).getTime());
        }
      },
    };
  }
  if (kind === 'boolean') {
    return {
      ...withNulls,
      type: 'bool',
      hasOffsets: false,
      dataBytes: bitmapBytes(rows),
      fill: (t) => {
        fillValidity(t);
        for (let i = 0; i < rows; i++)
          if (array[from + i] === true) t.data![i >>> 3] = t.data![i >>> 3]! | (1 << (i & 7));
      },
    };
  }
  // One scratch buffer of UTF-8 for the slice, not a Buffer per string: 2 M short strings took ~1.5 s, mostly in
  // allocation and collection of those Buffers.
  const scratch = new ScratchBytes();
  const offsets = stageUtf8(array.slice(from, to), scratch, name);
  return {
    ...withNulls,
    type: 'utf8',
    hasOffsets: true,
    dataBytes: scratch.used,
    fill: (t) => {
      fillValidity(t);
      t.offsets!.set(offsets);
      t.data!.set(scratch.bytes.subarray(0, scratch.used));
    },
  };
}
