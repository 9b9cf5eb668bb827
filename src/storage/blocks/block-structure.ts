/**
 * Structural checks on a block's descriptor: every range inside the buffer and aligned, sizes that fit the row
 * count, offsets monotonic and inside the data. A block that passes can be read without any out-of-bounds access
 * or runaway loop, whatever its bytes contain; the checksum (`verifyBlock`) is what says the bytes are the ones
 * that were written.
 */
import {
  dictionaryCodeBytes,
  shapeColumnNames,
  type Block,
  type BufferRange,
  type ColumnDescriptor,
  type ColumnType,
  type RecordShape,
} from '../../protocol/block.js';
import { bitmapBytes } from './block-layout.js';
import { BlockCorruptError } from './block-corrupt-error.js';

const columnTypes: ReadonlySet<string> = new Set<ColumnType>([
  'null',
  'bool',
  'i32',
  'f64',
  'i64',
  'utf8',
  'utf8-dict',
  'binary-v8',
  'date32',
  'timestamp-ms',
  'timestamp-us',
]);

/** Bytes per row of fixed-width data; variable-length types are checked through their offsets. */
const fixedWidthBytes: Partial<Record<ColumnType, number>> = {
  i32: 4,
  f64: 8,
  i64: 8,
  date32: 4,
  'timestamp-ms': 8,
  'timestamp-us': 8,
};

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Column names the shape requires, in order. */
function expectedNames(block: Block, where: string): readonly string[] {
  // Typed as trusted, but a descriptor that crossed a thread or came from disk may hold anything.
  const shape = block.shape as { kind?: unknown; fields?: unknown; keyPair?: unknown; valuePair?: unknown } | undefined;
  switch (shape?.kind) {
    case 'scalar':
      return ['value'];
    case 'pair':
      return ['key', 'value'];
    case 'nested-pair':
      if (typeof shape.keyPair !== 'boolean' || typeof shape.valuePair !== 'boolean')
        throw new BlockCorruptError(where, `nested-pair shape without its keyPair and valuePair flags`);
      return shapeColumnNames(shape as RecordShape);
    case 'object':
      if (!Array.isArray(shape.fields)) throw new BlockCorruptError(where, `object shape without a field list`);
      return shape.fields as readonly string[];
    default:
      throw new BlockCorruptError(
        where,
        `expected shape scalar, pair, nested-pair or object, found ${String(shape?.kind)}`,
      );
  }
}

/**
 * Throws `BlockCorruptError` naming `where` unless the descriptor is internally consistent and inside its buffer.
 * O(columns + rows of variable-length columns); decodeBlock runs it on every read. Without `scanRows`, only the
 * descriptor is checked (O(columns)): no bitmap or offsets are read (their bytes are checked by a checksum).
 *
 * @example
 * checkBlockStructure(block, 'result of job 3, partition 0');
 */
export function checkBlockStructure(block: Block, where: string, scanRows = true): void {
  const { rows, byteLength, buffer } = block;
  if (!isCount(rows)) throw new BlockCorruptError(where, `expected a row count, found ${String(rows)}`);
  if (!isCount(byteLength) || buffer === null || typeof buffer !== 'object' || byteLength > buffer.byteLength) {
    throw new BlockCorruptError(
      where,
      `expected byteLength within the buffer (${String(buffer?.byteLength)} bytes), found ${String(byteLength)}`,
    );
  }
  const names = expectedNames(block, where);
  const columns = block.columns;
  if (!Array.isArray(columns) || columns.length !== names.length) {
    throw new BlockCorruptError(where, `expected ${names.length} column(s), found ${String(columns?.length)}`);
  }
  for (let c = 0; c < names.length; c++) {
    const column = columns[c] as ColumnDescriptor | null;
    if (typeof column !== 'object' || column === null) {
      throw new BlockCorruptError(where, `expected a descriptor for column ${c}, found ${String(column)}`);
    }
    if (column.name !== names[c]) {
      throw new BlockCorruptError(where, `expected column ${c} named '${names[c]}', found '${String(column.name)}'`);
    }
    checkColumn(block, column, where, scanRows);
  }
}

function checkRange(
  range: BufferRange | null,
  bytesMin: number,
  block: Block,
  what: string,
  fail: (problem: string) => never,
): void {
  if (typeof range !== 'object' || range === null) fail(`expected a ${what} buffer, found none`);
  const { offset, length } = range;
  if (!isCount(offset) || !isCount(length) || offset % 8 !== 0 || offset + length > block.byteLength) {
    fail(
      `expected the ${what} buffer 8-byte aligned inside [0, ${block.byteLength}), found offset ${String(offset)} ` +
        `length ${String(length)}`,
    );
  }
  if (length < bytesMin) {
    fail(`expected at least ${bytesMin} bytes of ${what}, found ${length}`);
  }
}

function checkColumn(block: Block, column: ColumnDescriptor, where: string, scanRows: boolean): void {
  const fail = (problem: string): never => {
    throw new BlockCorruptError(where, `column '${column.name}': ${problem}`);
  };
  const { rows } = block;
  const type = column.type;
  if (!columnTypes.has(type)) fail(`unknown column type ${String(type)}`);
  const { nullCount } = column;
  if (!isCount(nullCount) || nullCount > rows || (type === 'null' && nullCount !== rows)) {
    fail(`expected nullCount in [0, ${rows}], found ${String(nullCount)}`);
  }
  if (type === 'null') return;
  if (column.validity !== null) {
    checkRange(column.validity, bitmapBytes(rows), block, 'validity', fail);
    const found = !scanRows
      ? nullCount
      : countNulls(new Uint8Array(block.buffer, column.validity.offset, bitmapBytes(rows)), rows);
    if (found !== nullCount) {
      fail(`expected ${nullCount} null(s) as recorded, found ${found} in the bitmap`);
    }
  } else if (nullCount > 0) {
    fail(`expected a validity bitmap for ${nullCount} null(s), found none`);
  }
  if (type === 'utf8-dict') {
    checkDictionary(block, column, fail, scanRows);
    return;
  }
  checkData(block, column, fail);
  if (scanRows && (type === 'utf8' || type === 'binary-v8')) checkOffsets(block, column, fail, block.rows);
}

/**
 * A `utf8-dict` column: its dictionary's offsets and bytes as a Utf8 column of `dictionarySize` rows, and (with
 * `scanRows`) every code inside the dictionary.
 */
function checkDictionary(block: Block, column: ColumnDescriptor, fail: (problem: string) => never, scanRows: boolean) {
  const size = column.dictionarySize;
  if (!isCount(size) || (size === 0 && block.rows > column.nullCount)) {
    fail(`expected a dictionary size ≥ 1, found ${String(size)}`);
  }
  const width = dictionaryCodeBytes(size);
  checkRange(column.offsets, (size + 1) * 4, block, 'dictionary offsets', fail);
  checkRange(column.data, 0, block, 'dictionary data', fail);
  checkRange(column.codes ?? null, block.rows * width, block, 'codes', fail);
  if (!scanRows) return;
  checkOffsets(block, column, fail, size);
  const { offset } = column.codes!;
  const codes =
    width === 1
      ? new Uint8Array(block.buffer, offset, block.rows)
      : width === 2
        ? new Uint16Array(block.buffer, offset, block.rows)
        : new Int32Array(block.buffer, offset, block.rows);
  // Null rows hold code 0; with no string in the dictionary (every row null) that is the only code allowed.
  const limit = Math.max(size, 1);
  // One loop per array type: one loop met by the three ran 1.2–1.5× the CPU time (625 k rows; the first read of a
  // cached block scans its codes, 1e7 of each string column of the db-benchmark table). Codes of 1 or 2 bytes
  // cannot reach a limit of 2^8 or 2^16.
  const bad =
    codes instanceof Uint8Array
      ? limit >= 1 << 8
        ? -1
        : firstAtOrAbove8(codes, limit)
      : codes instanceof Uint16Array
        ? limit >= 1 << 16
          ? -1
          : firstAtOrAbove16(codes, limit)
        : firstOutside32(codes, limit);
  if (bad >= 0) fail(`expected codes in [0, ${size}), found ${codes[bad]} at row ${bad}`);
}

/** The first row whose code is `limit` or more, or -1. */
function firstAtOrAbove8(codes: Uint8Array, limit: number): number {
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= limit) return i;
  return -1;
}

function firstAtOrAbove16(codes: Uint16Array, limit: number): number {
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= limit) return i;
  return -1;
}

/** The first row whose code is negative or `limit` or more, or -1. */
function firstOutside32(codes: Int32Array, limit: number): number {
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code < 0 || code >= limit) return i;
  }
  return -1;
}

function checkData(block: Block, column: ColumnDescriptor, fail: (problem: string) => never): void {
  const type = column.type;
  if (type === 'utf8' || type === 'binary-v8') {
    checkRange(column.offsets, (block.rows + 1) * 4, block, 'offsets', fail);
    checkRange(column.data, 0, block, 'data', fail);
    return;
  }
  const width = fixedWidthBytes[type];
  checkRange(column.data, width === undefined ? bitmapBytes(block.rows) : block.rows * width, block, 'data', fail);
}

/** Zero bits among the first `rows` bits of a validity bitmap. */
function countNulls(bitmap: Uint8Array, rows: number): number {
  let valid = 0;
  for (let i = 0; i < rows; i++) valid += (bitmap[i >>> 3]! >>> (i & 7)) & 1;
  return rows - valid;
}

/** The `count` + 1 offsets of a Utf8 or Binary column (or a dictionary), non-decreasing and inside its data. */
function checkOffsets(block: Block, column: ColumnDescriptor, fail: (problem: string) => never, count: number): void {
  const offsets = new Int32Array(block.buffer, column.offsets!.offset, count + 1);
  const dataBytes = column.data!.length;
  let previous = offsets[0]!;
  if (previous < 0) fail(`expected offset 0 ≥ 0, found ${previous}`);
  for (let i = 1; i <= count; i++) {
    const current = offsets[i]!;
    if (current < previous) {
      fail(`expected offsets non-decreasing, found ${previous} then ${current} at ${i}`);
    }
    previous = current;
  }
  if (previous > dataBytes) {
    fail(`expected offsets within ${dataBytes} data bytes, found ${previous}`);
  }
}
