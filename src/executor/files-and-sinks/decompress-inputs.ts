/**
 * Gzip input (issue 12): the line readers are synchronous and Node has no public synchronous streaming inflate, so
 * before a task evaluates its pipeline, each gzip split it reads is decompressed with zlib's asynchronous stream
 * into a temporary file (memory stays at zlib's window and stream buffers, whatever the file's size), and the
 * readers read that file instead. The copy lives for the task attempt only.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { InputError } from '../../common/errors.js';
import { inputErrorFromFs } from '../../io/files/input-fs-error.js';
import { inputsOf } from '../../protocol/functions-of.js';
import type { PipelineNode, TextSplit } from '../../protocol/pipeline.js';
import type { TaskContext } from '../task-context.js';

/** The gzip splits a pipeline reads, with the directory each is to be decompressed in. */
function gzipSplitsOf(node: PipelineNode): { split: TextSplit; tmpDir: string }[] {
  if (node.kind === 'source') {
    const source = node.source;
    return (source.kind === 'text-split' || source.kind === 'json-values-split') && source.split.compression === 'gzip'
      ? [{ split: source.split, tmpDir: source.tmpDir }]
      : [];
  }
  return inputsOf(node).flatMap(gzipSplitsOf);
}

/**
 * Decompresses every gzip split of `pipeline` and registers the copies with `context` (see `TaskContext.textSplit`),
 * beating the heartbeat per decompressed chunk. Returns the function that removes the copies; on failure removes
 * them itself and throws `InputError` naming the gzip file (`ERR_INPUT_UNREADABLE` for a corrupt or truncated one).
 */
export async function decompressGzipInputs(pipeline: PipelineNode, context: TaskContext): Promise<() => void> {
  const copies: string[] = [];
  const removeCopies = (): void => {
    for (const copy of copies) rmSync(copy, { force: true });
  };
  try {
    for (const { split, tmpDir } of gzipSplitsOf(pipeline)) {
      if (context.decompressed.has(split.path)) continue;
      mkdirSync(tmpDir, { recursive: true });
      const copy = join(tmpDir, `kindling-gunzip-${process.pid}-${randomUUID().slice(0, 8)}.txt`);
      copies.push(copy);
      await gunzipFile(split.path, copy, context);
      context.decompressed.set(split.path, {
        path: copy,
        start: 0,
        length: statSync(copy).size,
        sourcePath: `${split.path} (decompressed)`,
      });
    }
  } catch (error) {
    removeCopies();
    throw error;
  }
  return removeCopies;
}

async function gunzipFile(path: string, copy: string, context: TaskContext): Promise<void> {
  const beat = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      context.bytesRead += chunk.length;
      context.beat();
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(path), createGunzip(), beat, createWriteStream(copy));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new InputError(
        'ERR_INPUT_UNREADABLE',
        `Input file ${path} is not valid gzip: expected a gzip stream (from its .gz extension), ` +
          `found ${(error as Error).message} (${code})`,
        { cause: error },
      );
    }
    throw inputErrorFromFs(error, path, 'decompressing it');
  }
}
