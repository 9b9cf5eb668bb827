/**
 * The streaming file sink (DESIGN.md §8), written as an ordinary two-phase-commit sink module: workers import this
 * file to `prepare`, the driver calls `commit` and `abort`. Layout under the sink path:
 *
 *   batch=<N>/part-<PPPPP>.<ext>           one folder per committed batch with rows, published by one rename
 *   _kindling_sink/metadata                the query that owns the path
 *   _kindling_sink/log/<N>                 the files of each committed batch, none for an empty one (a log readers may use)
 *   _kindling_sink/pending/batch=<N>/      prepared part files, one per task attempt, invisible to readers
 *
 * Readers that glob `batch=*` (DuckDB, Polars: Hive-style partitions) see a batch whole or not at all.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SinkCommitContext, SinkPrepareContext, TwoPhaseCommitSink } from '../../protocol/sink.js';
import { StreamingQueryError } from '../../common/errors.js';
import { writeFileDurably } from '../../io/files/durable-file.js';
import { fsyncDirectory } from '../../io/files/output-fs.js';
import { encodeBlock } from '../../storage/blocks/block-writer.js';
import { spillBlock } from '../../storage/arrow/spill-file.js';
import { readLog, writeLog } from '../checkpoint-log.js';
import { makeQueryFolder } from '../query-folder.js';
import { formatRecords, type FileSinkFormat } from './record-formats.js';

/** A prepared part file: where it waits, and what it holds. */
export interface FileSinkHandle {
  readonly partition: number;
  /** The file's name in `_kindling_sink/pending/batch=<N>/`. */
  readonly pending: string;
  readonly rows: number;
}

/** The file sink's options, as `writeStream` passes them. */
interface FileSinkOptions {
  readonly path: string;
  readonly format: FileSinkFormat;
}

function optionsOf(context: SinkCommitContext | SinkPrepareContext): FileSinkOptions {
  return context.options as unknown as FileSinkOptions;
}

const metaDir = (path: string): string => join(path, '_kindling_sink');
const pendingDir = (path: string, batchId: number): string => join(metaDir(path), 'pending', `batch=${batchId}`);
const batchDir = (path: string, batchId: number): string => join(path, `batch=${batchId}`);
const partName = (partition: number, format: FileSinkFormat): string =>
  `part-${String(partition).padStart(5, '0')}.${format}`;

/** Temporary files of a metadata write that never renamed into place (`writeFileDurably`'s `<path>.tmp-…`). */
function metadataTemporaries(path: string): string[] {
  if (!existsSync(metaDir(path))) return [];
  return readdirSync(metaDir(path)).filter((name) => name.startsWith('metadata.tmp-'));
}

/**
 * Whether a sink path without metadata holds no output: it is empty, or holds only what an `open` killed before
 * its metadata landed leaves (`_kindling_sink/` with at most temporary metadata files). Anything else is another
 * writer's output, and the query must not mix its own with it.
 */
function isUnclaimed(path: string): boolean {
  const entries = readdirSync(path);
  if (entries.length === 0) return true;
  if (entries.length !== 1 || entries[0] !== '_kindling_sink') return false;
  return readdirSync(metaDir(path)).length === metadataTemporaries(path).length;
}

export const fileSink: TwoPhaseCommitSink<FileSinkHandle | null> = {
  open(context) {
    const { path } = optionsOf(context);
    makeQueryFolder(path, (found, cause) => {
      const message = `the sink path must be a folder (or a path where one can be made), found ${found}`;
      return new StreamingQueryError('ERR_STREAM_SINK', message, { cause });
    });
    const metadata = join(metaDir(path), 'metadata');
    const owner = readLog(metadata) as { queryId?: unknown } | undefined;
    if (owner !== undefined) {
      if (owner.queryId !== context.queryId) {
        throw new StreamingQueryError(
          'ERR_STREAM_SINK',
          `the sink path ${path} belongs to streaming query ${String(owner.queryId)}, not to this query (${context.queryId}): use another path, or this query's own checkpointLocation`,
        );
      }
      return;
    }
    if (existsSync(path) && !isUnclaimed(path)) {
      throw new StreamingQueryError(
        'ERR_STREAM_SINK',
        `the sink path ${path} exists and is not empty, and no streaming query wrote it (no _kindling_sink/metadata): refusing to mix outputs`,
      );
    }
    // A killed open may have left its temporary metadata files: they hold nothing of any query's output.
    for (const name of metadataTemporaries(path)) rmSync(join(metaDir(path), name), { force: true });
    writeLog(metadata, { queryId: context.queryId });
  },

  prepare(batchId, partition, rows, context) {
    if (rows.length === 0) return null;
    const { path, format } = optionsOf(context);
    const pending = `part-${String(partition).padStart(5, '0')}-attempt-${context.attempt}.${format}`;
    const target = join(pendingDir(path, batchId), pending);
    if (format === 'arrow') spillBlock(encodeBlock(rows), target, { durable: true });
    else writeFileDurably(target, Buffer.from(formatRecords(format, rows), 'utf8'));
    return { partition, pending, rows: rows.length };
  },

  commit(batchId, handles, context) {
    const { path, format } = optionsOf(context);
    const published = batchDir(path, batchId);
    const files = handles.flatMap((handle) => (handle === null ? [] : [partName(handle.partition, format)]));
    // A batch without rows publishes no folder (Spark's file sink writes no file for an empty batch): its log
    // entry below, with no files, and the checkpoint's commit record are what say it committed.
    if (files.length > 0 && !existsSync(published)) {
      const staging = `${pendingDir(path, batchId)}.commit`;
      mkdirSync(staging, { recursive: true });
      for (const handle of handles) {
        if (handle === null) continue;
        const from = join(pendingDir(path, batchId), handle.pending);
        const to = join(staging, partName(handle.partition, format));
        // Idempotent: a commit that crashed half way has moved some files already.
        if (existsSync(from)) renameSync(from, to);
        else if (!existsSync(to)) {
          throw new StreamingQueryError(
            'ERR_STREAM_SINK',
            `cannot commit batch ${batchId} to ${path}: its prepared file ${from} is gone (was the sink folder changed by hand?)`,
            { batchId },
          );
        }
      }
      fsyncDirectory(staging);
      renameSync(staging, published);
      fsyncDirectory(path);
    }
    writeLog(join(metaDir(path), 'log', String(batchId)), { batchId, files });
    rmSync(pendingDir(path, batchId), { recursive: true, force: true });
  },

  abort(batchId, _handles, context) {
    const { path } = optionsOf(context);
    // Everything prepared for the batch is in its pending folder: every attempt's files, recorded or not.
    rmSync(pendingDir(path, batchId), { recursive: true, force: true });
    rmSync(`${pendingDir(path, batchId)}.commit`, { recursive: true, force: true });
  },
};
