/**
 * Spilling blocks to disk and reading them back (DESIGN.md §6). A spilled block is one Arrow IPC file holding the
 * block as one record batch, so any Arrow tool can read it. Writing streams the batch's buffers (views of the
 * block's SharedArrayBuffer) straight to the file: no whole-file buffer (pitfall 6). Reading maps the file into a
 * fresh SharedArrayBuffer and points the block's column descriptors at the batch's buffers inside it: one copy of
 * the data, from disk into shared memory. No fsync: a spilled block is recomputable from lineage; the rename makes
 * a torn file impossible to find under its final name, and the CRC-32 catches anything else.
 */
import { threadId } from 'node:worker_threads';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import zlib from 'node:zlib';
import type { Data, Field } from 'apache-arrow';
import { arrow } from './arrow-module.js';
import {
  isSpilled,
  type Block,
  type BlockRef,
  type BufferRange,
  type ColumnDescriptor,
  type SpilledBlock,
} from '../../protocol/block.js';
import { blockColumnTypeOf, recordBatchToBlock } from './arrow-to-block.js';
import { blockToRecordBatch } from './block-to-arrow.js';
import { BlockCorruptError } from '../blocks/block-corrupt-error.js';
import { checkBlockStructure } from '../blocks/block-structure.js';
import { crc32 } from '../blocks/crc32.js';

/** `zlib.crc32(bytes, previous)` (Node >= 20.15) continues a CRC over the chunks as they are written. */
const crc32Continue = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** apache-arrow's writer queues its output chunks here; draining them after each write streams the file. */
interface ChunkQueue {
  _sink?: { _values?: Uint8Array[] };
}

/**
 * Writes `block` as an Arrow IPC file at `path` (creating its directory): first under `path.tmp-<random>`, then
 * renamed, so `path` either holds the whole file or nothing. Returns the reference that `openBlock` reads.
 *
 * @example
 * const ref = spillBlock(block, '/tmp/kindling-spill-1a2b/shuffle-3-map-0-reduce-7-5.arrow');
 * openBlock(ref, 'shuffle 3'); // an equal block in a fresh SharedArrayBuffer
 */
let nextTemporaryId = 0;

export function spillBlock(block: Block, path: string, options: { durable?: boolean } = {}): SpilledBlock {
  mkdirSync(dirname(path), { recursive: true });
  // Unique per thread and process without randomness: concurrent attempts writing the same block name never share
  // a temporary file, and runs replay.
  const temporary = `${path}.tmp-${process.pid}-${threadId}-${nextTemporaryId++}`;
  const fd = openSync(temporary, 'wx');
  let byteLength = 0;
  let checksum = 0;
  try {
    const writer = new (arrow().RecordBatchFileWriter)();
    const queue = (writer as unknown as ChunkQueue)._sink?._values;
    const drain = (): void => {
      const chunks = queue === undefined ? [] : queue.splice(0, queue.length);
      for (const chunk of chunks) {
        writeAll(fd, chunk);
        byteLength += chunk.byteLength;
        if (crc32Continue !== undefined) checksum = crc32Continue(chunk, checksum) >>> 0;
      }
    };
    writer.write(blockToRecordBatch(block));
    drain();
    writer.finish();
    if (queue === undefined) {
      // An apache-arrow without the internal queue: the joined buffer (correct, not streamed).
      const all = writer.toUint8Array(true);
      writeAll(fd, all);
      byteLength = all.byteLength;
      checksum = crc32(all);
    } else drain();
    if (crc32Continue === undefined && queue !== undefined) checksum = crc32(readWhole(fd, byteLength));
    // Durable files (streaming state) must survive a power cut once the driver records them: data, then the name.
    if (options.durable === true) fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
    if (options.durable === true) fsyncDirectoryOf(path);
  } catch (error: unknown) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: the failure came from the rename.
    }
    rmSync(temporary, { force: true });
    throw error;
  }
  return { kind: 'spilled', path, byteLength, checksum, rows: block.rows, shape: block.shape };
}

/**
 * The block behind a reference: an in-memory block as is (the caller verifies it, as before), a spilled one read
 * into a fresh SharedArrayBuffer after checking the file's size and CRC-32 and the block's structure. A missing,
 * short or corrupt file throws `BlockCorruptError` naming `where` and the file: readers of shuffle input turn it
 * into a `FetchFailedError`, so the scheduler recomputes that map output (see src/executor/shuffle/read-blocks.ts).
 * NOTE for every reader of map outputs or cached partitions (the RDD shuffle reader, the columnar Dataset
 * reader): call this once per block, just before using it, and drop the block when done, so a reduce task holds
 * one spilled block at a time.
 *
 * @example
 * for (const ref of refs) consume(openBlock(ref, 'shuffle 3 input'));
 */
export function openBlock(ref: BlockRef, where: string): Block {
  if (!isSpilled(ref)) return ref;
  const { RecordBatchFileReader } = arrow();
  const at = `${where} (spill file ${ref.path})`;
  const bytes = readSpillFile(ref, at);
  const found = crc32(bytes);
  if (found !== ref.checksum >>> 0) {
    throw new BlockCorruptError(at, `checksum mismatch: expected ${hex(ref.checksum)}, found ${hex(found)}`);
  }
  let block: Block;
  try {
    const batches = [...RecordBatchFileReader.from(bytes)];
    const batch = batches[0];
    if (batches.length !== 1 || batch === undefined)
      throw new Error(`expected 1 record batch, found ${batches.length}`);
    if (batch.numRows !== ref.rows) throw new Error(`expected ${ref.rows} rows, found ${batch.numRows}`);
    const columns = viewColumns(batch.schema.fields, batch.data.children, bytes);
    block =
      columns === null
        ? recordBatchToBlock(batch)
        : {
            rows: ref.rows,
            shape: ref.shape,
            columns,
            buffer: bytes.buffer as SharedArrayBuffer,
            byteLength: ref.byteLength,
            checksum: ref.checksum,
          };
  } catch (error: unknown) {
    if (error instanceof BlockCorruptError) throw error;
    throw new BlockCorruptError(at, `not a readable Arrow IPC file: ${String(error)}`, { cause: error });
  }
  checkBlockStructure(block, at);
  return block;
}

/** The whole file in a fresh SharedArrayBuffer, or `BlockCorruptError` when it is missing or of another size. */
function readSpillFile(ref: SpilledBlock, at: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(ref.path, 'r');
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    throw new BlockCorruptError(at, `expected a file of ${ref.byteLength} bytes, found ${String(code ?? error)}`, {
      cause: error,
    });
  }
  try {
    const size = fstatSync(fd).size;
    if (size !== ref.byteLength) throw new BlockCorruptError(at, `expected ${ref.byteLength} bytes, found ${size}`);
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let done = 0; done < size;) {
      const read = readSync(fd, bytes, done, size - done, done);
      if (read === 0) throw new BlockCorruptError(at, `expected ${size} bytes, the file ended at ${done}`);
      done += read;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/**
 * Column descriptors pointing at the batch's buffers inside `bytes`, or null when any buffer is not a view of it
 * (then the caller copies with `recordBatchToBlock`, which is correct, only slower).
 */
function viewColumns(
  fields: readonly Field[],
  children: readonly Data[],
  bytes: Uint8Array,
): ColumnDescriptor[] | null {
  const columns: ColumnDescriptor[] = [];
  for (let c = 0; c < fields.length; c++) {
    const field = fields[c]!;
    const data = children[c];
    const type = blockColumnTypeOf(field);
    if (data === undefined || type === null || data.offset !== 0) return null;
    const nullCount = type === 'null' ? data.length : data.nullCount;
    const validity = type === 'null' || nullCount === 0 ? null : rangeIn(data.nullBitmap, bytes);
    const offsets = type === 'utf8' || type === 'binary-v8' ? rangeIn(data.valueOffsets, bytes) : null;
    const values = type === 'null' ? null : rangeIn(data.values as ArrayBufferView | undefined, bytes);
    if (validity === undefined || offsets === undefined || values === undefined) return null;
    if (type !== 'null' && values === null) return null;
    if ((type === 'utf8' || type === 'binary-v8') && (offsets === null || data.valueOffsets[0] !== 0)) return null;
    if (type !== 'null' && validity === null && nullCount > 0) return null;
    columns.push({ name: field.name, type, nullCount, validity, offsets, data: values });
  }
  return columns;
}

/** Where `view` lies in `bytes`: a range, null for no buffer, undefined when it is not a view of `bytes`. */
function rangeIn(view: ArrayBufferView | undefined | null, bytes: Uint8Array): BufferRange | null | undefined {
  if (view === undefined || view === null || view.byteLength === 0) return null;
  if (view.buffer !== bytes.buffer) return undefined;
  return { offset: view.byteOffset - bytes.byteOffset, length: view.byteLength };
}

function writeAll(fd: number, chunk: Uint8Array): void {
  for (let done = 0; done < chunk.byteLength;) done += writeSync(fd, chunk, done, chunk.byteLength - done);
}

function readWhole(fd: number, byteLength: number): Uint8Array {
  const bytes = new Uint8Array(byteLength);
  for (let done = 0; done < byteLength;) done += readSync(fd, bytes, done, byteLength - done, done);
  return bytes;
}

function hex(checksum: number): string {
  return `0x${(checksum >>> 0).toString(16).padStart(8, '0')}`;
}

/** fsync of the directory holding `path`, so a rename into it is durable (a no-op where directories cannot be opened). */
function fsyncDirectoryOf(path: string): void {
  let fd: number;
  try {
    fd = openSync(dirname(path), 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory: the rename is then as durable as they make it.
  } finally {
    closeSync(fd);
  }
}
