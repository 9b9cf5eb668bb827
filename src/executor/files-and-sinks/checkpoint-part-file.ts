/**
 * The worker side of checkpoints (DESIGN.md §7): writing one partition as an Arrow IPC file, and reading one back
 * after checking its size and CRC-32 against the manifest. The driver side (directories, manifest, commit) lives in
 * src/checkpoint/.
 */
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { arrow } from '../../storage/arrow/arrow-module.js';
import type { CheckpointPartSpec } from '../../protocol/pipeline.js';
import { reportCheckpointPart, temporaryPartName } from '../../protocol/checkpoint-report.js';
import { CheckpointCorruptError } from '../../common/errors.js';
import { closeQuietly, fsStep, removeQuietly, writeFully } from '../../io/files/output-fs.js';
import { recordBatchToBlock } from '../../storage/arrow/arrow-to-block.js';
import { blockToRecordBatch } from '../../storage/arrow/block-to-arrow.js';
import { decodeBlock } from '../../storage/blocks/block-reader.js';
import { encodeBlock } from '../../storage/blocks/block-writer.js';
import { crc32 } from '../../storage/blocks/crc32.js';
import type { TaskContext } from '../task-context.js';

/** Rows per record batch in a part file: readers decode one batch at a time, so this bounds their memory. */
export const CHECKPOINT_BATCH_ROWS = 65_536;

/** `zlib.crc32(bytes, previous)` (Node >= 20.15) continues a CRC over the chunks as they are written. */
const crc32Continue = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** apache-arrow's writer queues its output chunks here; draining them after each batch streams the file. */
interface ChunkQueue {
  _sink?: { _values?: Uint8Array[] };
}

/**
 * Writes `records` (one whole partition) as an Arrow IPC file under a temporary name in `dir`, fsyncs it, and
 * reports it in `report` for the driver to rename into place. The partition is encoded as one block (so the file has
 * one schema) and written in slices of {@link CHECKPOINT_BATCH_ROWS} rows, each drained to the file before the next
 * (pitfall 6: no whole-file buffer).
 *
 * @example
 * writeCheckpointPart('/ckpt/rdd-3-ab12', 0, [[1, 'a']], report, context);
 */
export function writeCheckpointPart(
  dir: string,
  partition: number,
  records: readonly unknown[],
  report: SharedArrayBuffer,
  context: TaskContext,
): void {
  const { RecordBatchFileWriter } = arrow();
  const batch = blockToRecordBatch(encodeBlock(records));
  const token = randomInt(1, 2 ** 47);
  const path = join(dir, temporaryPartName(partition, token));
  const fd = fsStep(path, 'creating a checkpoint part', () => openSync(path, 'wx'));
  let bytes = 0;
  let checksum = 0;
  const writer = new RecordBatchFileWriter();
  const queue = (writer as unknown as ChunkQueue)._sink?._values;
  const drain = (): void => {
    const chunks = queue === undefined ? [] : queue.splice(0, queue.length);
    for (const chunk of chunks) {
      writeFully(fd, path, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      bytes += chunk.byteLength;
      if (crc32Continue !== undefined) checksum = crc32Continue(chunk, checksum) >>> 0;
    }
  };
  try {
    if (batch.numRows === 0) writer.write(batch);
    for (let start = 0; start < batch.numRows; start += CHECKPOINT_BATCH_ROWS) {
      writer.write(batch.slice(start, Math.min(batch.numRows, start + CHECKPOINT_BATCH_ROWS)));
      drain();
      context.beat();
    }
    writer.finish();
    if (queue === undefined) {
      // An apache-arrow without the internal queue: fall back to the joined buffer (correct, not streamed).
      const all = writer.toUint8Array(true);
      writeFully(fd, path, Buffer.from(all.buffer, all.byteOffset, all.byteLength));
      bytes = all.byteLength;
    } else drain();
    fsStep(path, 'flushing a checkpoint part to disk (fsync)', () => fsyncSync(fd));
  } catch (error: unknown) {
    closeQuietly(fd);
    removeQuietly(path);
    throw error;
  }
  fsStep(path, 'closing a checkpoint part', () => closeSync(fd));
  if (crc32Continue === undefined || queue === undefined) checksum = crc32(readFileSync(path));
  context.bytesWritten += bytes;
  reportCheckpointPart(report, partition, { rows: records.length, bytes, checksum, token });
}

/**
 * The records of a checkpoint part file, after checking that it exists, has the size and CRC-32 its manifest
 * recorded, and holds that many rows; any mismatch is a `CheckpointCorruptError` naming the file.
 *
 * @example
 * for (const record of readCheckpointPart(spec, context)) console.log(record);
 */
export function* readCheckpointPart(spec: CheckpointPartSpec, context: TaskContext): Generator<unknown> {
  const bytes = readPartBytes(spec);
  context.bytesRead += bytes.byteLength;
  context.beat();
  let rows = 0;
  try {
    for (const batch of arrow().RecordBatchFileReader.from(bytes)) {
      const records = decodeBlock(recordBatchToBlock(batch), spec.path);
      rows += records.length;
      context.beat();
      yield* records;
    }
  } catch (error: unknown) {
    if (error instanceof CheckpointCorruptError) throw error;
    throw new CheckpointCorruptError(spec.path, 'an Arrow IPC file of kindling records', String(error), {
      cause: error,
    });
  }
  if (rows !== spec.rows) throw new CheckpointCorruptError(spec.path, `${spec.rows} rows`, `${rows} rows`);
}

/** The file's bytes, checked against the manifest's size and CRC-32. */
function readPartBytes(spec: CheckpointPartSpec): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(spec.path);
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    throw new CheckpointCorruptError(spec.path, `a part file of ${spec.bytes} bytes`, String(code ?? error), {
      cause: error,
    });
  }
  if (bytes.byteLength !== spec.bytes) {
    throw new CheckpointCorruptError(spec.path, `${spec.bytes} bytes`, `${bytes.byteLength} bytes`);
  }
  const found = crc32(bytes);
  if (found !== spec.checksum) {
    throw new CheckpointCorruptError(spec.path, `CRC-32 ${hex(spec.checksum)}`, `CRC-32 ${hex(found)}`);
  }
  return bytes;
}

function hex(checksum: number): string {
  return `0x${(checksum >>> 0).toString(16).padStart(8, '0')}`;
}
