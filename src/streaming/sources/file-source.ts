import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from '../../api/context/context.js';
import type { RDD } from '../../api/rdd/rdd.js';
import { InputError, StreamingQueryError } from '../../common/errors.js';
import type { StreamSource } from './stream-source.js';
import { packTextSplits, rddOfJsonLines, rddOfTextFiles } from '../../api/context/stream-support.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { integerSourceOption, invalidSourceOption } from './source-options.js';

/** Options of `readStream.textFiles` and `readStream.jsonlFiles`. */
export interface FileSourceOptions {
  /**
   * At most this many new files per batch (oldest first).
   * @default no limit
   */
  maxFilesPerTrigger?: number;
  /**
   * At most about this many bytes of new files per batch (at least one file is always taken).
   * @default no limit
   */
  maxBytesPerTrigger?: number;
}

const FILE_SOURCE_OPTIONS = optionNames<FileSourceOptions>({ maxFilesPerTrigger: true, maxBytesPerTrigger: true });

/** A file as a batch's offsets record it (name relative to the source folder). */
interface FileEntry {
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The offsets of one batch of a file source: exactly the files it takes. */
interface FileOffsets {
  readonly files: readonly FileEntry[];
}

/**
 * Files that appear in a folder (Spark's file source): each file is taken once and whole, oldest modification time
 * first, ties by name. Producers should write elsewhere and rename files in (a file still being written may be read
 * half). Names starting with `.` or `_` are ignored (temporary and metadata files).
 */
export class FileSource implements StreamSource {
  readonly description: string;
  readonly #dir: string;
  readonly #format: 'text' | 'jsonl';
  readonly #maxFiles: number;
  readonly #maxBytes: number;
  readonly #options: FileSourceOptions;
  readonly #taken = new Set<string>();
  #frozen: Set<string> | null = null;

  constructor(dir: string, format: 'text' | 'jsonl', options: FileSourceOptions) {
    const what = `readStream.${format === 'text' ? 'textFiles' : 'jsonlFiles'}()`;
    refuseUnknownOptions(what, options, FILE_SOURCE_OPTIONS);
    if (typeof dir !== 'string' || dir === '') throw invalidSourceOption(what, 'the folder', 'a path', dir);
    this.#dir = resolve(dir);
    this.#format = format;
    this.#options = options;
    const { maxFilesPerTrigger, maxBytesPerTrigger } = options;
    this.#maxFiles = integerSourceOption(what, 'maxFilesPerTrigger', maxFilesPerTrigger) ?? Number.POSITIVE_INFINITY;
    this.#maxBytes = integerSourceOption(what, 'maxBytesPerTrigger', maxBytesPerTrigger) ?? Number.POSITIVE_INFINITY;
    this.description = `${format === 'text' ? 'textFiles' : 'jsonlFiles'}(${this.#dir})`;
  }

  forQuery(): FileSource {
    return new FileSource(this.#dir, this.#format, this.#options);
  }

  restore(offsets: readonly unknown[]): void {
    for (const offset of offsets) this.commitOffsets(offset);
  }

  freeze(): void {
    this.#frozen = new Set(this.#list().map((file) => file.name));
  }

  nextOffsets(unlimited: boolean): FileOffsets | null {
    const files: FileEntry[] = [];
    let bytes = 0;
    for (const file of this.#list()) {
      if (this.#taken.has(file.name) || (this.#frozen !== null && !this.#frozen.has(file.name))) continue;
      if (!unlimited && (files.length >= this.#maxFiles || (files.length > 0 && bytes + file.size > this.#maxBytes)))
        break;
      files.push(file);
      bytes += file.size;
    }
    return files.length === 0 ? null : { files };
  }

  commitOffsets(offsets: unknown): void {
    for (const file of (offsets as FileOffsets).files) this.#taken.add(file.name);
  }

  read(kc: Context, offsets: unknown, batchId: number): RDD<any> {
    const files = (offsets as FileOffsets).files;
    const paths = files.map((file) => join(this.#dir, file.name));
    if (paths.length === 0) return kc.emptyRDD();
    files.forEach((file, i) => this.#checkUnchanged(file, paths[i]!, batchId));
    // The batch reads exactly the files its offsets name: a name is never taken as a glob (`data[1].txt`).
    const description = `${this.description}, batch ${batchId}`;
    if (this.#format === 'text') return packTextSplits(rddOfTextFiles(kc.emptyRDD(), paths, description));
    // Parsed by the reader, which knows where each line starts: a line that is not JSON is an InputError naming
    // its file and line, which fails the batch at the first attempt (a user `map` would be retried).
    return packTextSplits(rddOfJsonLines(kc.emptyRDD(), paths, description));
  }

  /**
   * A batch reads its files as its offsets recorded them: a file that is gone, or whose size or modification time
   * changed since it was listed (appended to, rewritten), would make a rerun after a crash read other data than the
   * run it replaces, so it fails the batch, naming the file and what changed, instead of reading it.
   */
  #checkUnchanged(file: FileEntry, path: string, batchId: number): void {
    let found: { size: number; mtimeMs: number };
    try {
      found = statSync(path);
    } catch (error: unknown) {
      throw new StreamingQueryError(
        'ERR_STREAM_SOURCE',
        `${this.description}: batch ${batchId} takes ${path}, which can no longer be read (${(error as { code?: string }).code ?? String(error)}); a file must stay in the source folder until the batches that took it are committed`,
        { cause: error, batchId },
      );
    }
    if (found.size === file.size && found.mtimeMs === file.mtimeMs) return;
    const describe = (entry: { size: number; mtimeMs: number }): string =>
      `${entry.size} bytes modified at ${new Date(entry.mtimeMs).toISOString()}`;
    throw new StreamingQueryError(
      'ERR_STREAM_SOURCE',
      `${this.description}: batch ${batchId} takes ${path} as it was listed, ${describe(file)}, but found ${describe(found)}; a file must not change once it is in the source folder (write it elsewhere, then move it in): put it back as it was for the batch to run`,
      { batchId },
    );
  }

  /** A reader's `InputError` on a batch whose files are no longer as listed: the same error as before the batch. */
  explainFailure(error: unknown, offsets: unknown, batchId: number): Error | null {
    if (!(error instanceof InputError)) return null;
    try {
      for (const file of (offsets as FileOffsets).files)
        this.#checkUnchanged(file, join(this.#dir, file.name), batchId);
    } catch (changed: unknown) {
      return changed as Error;
    }
    return null;
  }

  countOf(): null {
    return null;
  }

  /** The folder's files, oldest first (ties by name). */
  #list(): FileEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch (error: unknown) {
      const code = (error as { code?: string }).code;
      throw new StreamingQueryError(
        'ERR_STREAM_SOURCE',
        `${this.description}: the source folder ${code === 'ENOENT' ? 'does not exist (or was removed)' : `cannot be read (${code ?? String(error)})`}`,
        { cause: error },
      );
    }
    const files: FileEntry[] = [];
    for (const name of names) {
      if (name.startsWith('.') || name.startsWith('_')) continue;
      try {
        const stat = statSync(join(this.#dir, name));
        if (stat.isFile()) files.push({ name, size: stat.size, mtimeMs: stat.mtimeMs });
      } catch {
        // Renamed away between listing and stat: not there.
      }
    }
    return files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
