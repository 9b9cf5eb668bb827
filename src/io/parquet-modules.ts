/**
 * hyparquet and hyparquet-writer, loaded once per thread when first needed (issue 11), as apache-arrow is
 * (storage/arrow/arrow-module.ts): together they cost a few MiB per isolate, and most programs and tasks never read or
 * write Parquet. On a Node that can `require()` an ES module (common/require-esm.ts), `parquetReader()` and
 * `parquetWriter()` load them synchronously at the first call: the driver reads footers when it plans a Parquet scan.
 * On an older Node kindling's entry loads the reader at once (src/index.ts), and a worker thread loads the reader
 * before a task that reads a Parquet split and the writer before a task that writes Parquet (`loadParquetModules`,
 * see executor/run-task.ts).
 */
import type * as Hyparquet from 'hyparquet';
import type * as HyparquetColumn from 'hyparquet/src/column.js';
import type * as HyparquetConvert from 'hyparquet/src/convert.js';
import type * as HyparquetSchema from 'hyparquet/src/schema.js';
import type * as HyparquetWriter from 'hyparquet-writer';
import { AssertionError } from '../common/errors.js';
import { requireEsm } from '../common/require-esm.js';

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

/** The same four modules, loaded synchronously (null on a Node that cannot). */
function requireReader(): ParquetReaderModules | null {
  const hyparquet = requireEsm<typeof Hyparquet>(import.meta.resolve('hyparquet'));
  if (hyparquet === null) return null;
  return {
    hyparquet,
    column: requireEsm<typeof HyparquetColumn>(import.meta.resolve('hyparquet/src/column.js'))!,
    convert: requireEsm<typeof HyparquetConvert>(import.meta.resolve('hyparquet/src/convert.js'))!,
    schema: requireEsm<typeof HyparquetSchema>(import.meta.resolve('hyparquet/src/schema.js'))!,
  };
}

// No top-level `await` here (an older Node's fallback): kindling's entry loads the public surface with require(esm),
// which refuses a graph that has one; on an older Node the entry awaits `loadParquetModules` instead (src/index.ts).
let reader: ParquetReaderModules | null = null;
let writer: typeof HyparquetWriter | null = null;

/**
 * Loads what a task needs on this thread (once each).
 *
 * @example
 * await loadParquetModules({ read: true, write: false }); // then parquetReader() may be called synchronously
 */
export async function loadParquetModules(needs: { readonly read: boolean; readonly write: boolean }): Promise<void> {
  if (needs.read) reader ??= requireReader() ?? (await importReader());
  if (needs.write) writer ??= requireWriter() ?? (await import('hyparquet-writer'));
}

/**
 * hyparquet on this thread, loaded now where Node can; throws when a worker on an older Node reads Parquet without
 * `loadParquetModules` first (a bug).
 */
export function parquetReader(): ParquetReaderModules {
  reader ??= requireReader();
  if (reader === null) throw notLoaded('hyparquet');
  return reader;
}

/**
 * hyparquet-writer on this thread, loaded now where Node can; throws when a task on an older Node writes Parquet
 * without `loadParquetModules` first (a bug).
 */
export function parquetWriter(): typeof HyparquetWriter {
  writer ??= requireWriter();
  if (writer === null) throw notLoaded('hyparquet-writer');
  return writer;
}

/** Whether this thread has loaded hyparquet / hyparquet-writer (tests check that a plain program never does). */
export function parquetModulesLoaded(): { readonly read: boolean; readonly write: boolean } {
  return { read: reader !== null, write: writer !== null };
}

function requireWriter(): typeof HyparquetWriter | null {
  return requireEsm<typeof HyparquetWriter>(import.meta.resolve('hyparquet-writer'));
}

function notLoaded(name: string): AssertionError {
  return new AssertionError(`${name} is used on this thread before loadParquetModules(): see executor/run-task.ts`);
}
