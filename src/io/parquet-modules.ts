/**
 * hyparquet and hyparquet-writer, loaded once per thread when first needed (issue 11), as apache-arrow is
 * (storage/arrow-module.ts): together they cost about 10 MiB per isolate, and most tasks never read or write
 * Parquet. The main thread loads the reader at once (the driver reads footers when it plans a Parquet scan,
 * synchronously); a worker thread loads the reader before a task that reads a Parquet split and the writer before a
 * task that writes Parquet (`loadParquetModules`, see executor/run-task.ts).
 */
import type * as Hyparquet from 'hyparquet';
import type * as HyparquetColumn from 'hyparquet/src/column.js';
import type * as HyparquetConvert from 'hyparquet/src/convert.js';
import type * as HyparquetSchema from 'hyparquet/src/schema.js';
import type * as HyparquetWriter from 'hyparquet-writer';
import { isMainThread } from 'node:worker_threads';
import { AssertionError } from '../common/errors.js';

/** The parts of hyparquet the reader uses (its synchronous decoder lives in its `src/` modules). */
export interface ParquetReaderModules {
  readonly hyparquet: typeof Hyparquet;
  readonly column: typeof HyparquetColumn;
  readonly convert: typeof HyparquetConvert;
  readonly schema: typeof HyparquetSchema;
}

async function importReader(): Promise<ParquetReaderModules> {
  const [hyparquet, column, convert, schema] = await Promise.all([
    import('hyparquet'),
    import('hyparquet/src/column.js'),
    import('hyparquet/src/convert.js'),
    import('hyparquet/src/schema.js'),
  ]);
  return { hyparquet, column, convert, schema };
}

let reader: ParquetReaderModules | null = isMainThread ? await importReader() : null;
let writer: typeof HyparquetWriter | null = null;

/**
 * Loads what a task needs on this thread (once each).
 *
 * @example
 * await loadParquetModules({ read: true, write: false }); // then parquetReader() may be called synchronously
 */
export async function loadParquetModules(needs: { readonly read: boolean; readonly write: boolean }): Promise<void> {
  if (needs.read) reader ??= await importReader();
  if (needs.write) writer ??= await import('hyparquet-writer');
}

/** hyparquet on this thread; throws when a worker reads Parquet without `loadParquetModules` first (a bug). */
export function parquetReader(): ParquetReaderModules {
  if (reader === null) throw notLoaded('hyparquet');
  return reader;
}

/** hyparquet-writer on this thread; throws when a task writes Parquet without `loadParquetModules` first (a bug). */
export function parquetWriter(): typeof HyparquetWriter {
  if (writer === null) throw notLoaded('hyparquet-writer');
  return writer;
}

function notLoaded(name: string): AssertionError {
  return new AssertionError(`${name} is used on this thread before loadParquetModules(): see executor/run-task.ts`);
}
