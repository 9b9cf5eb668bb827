/**
 * DuckDB (`@duckdb/node-api`, a devDependency used only here) as a baseline next to kindling in the same run
 * (issue 11): the word count as `read_csv` of whole lines + `string_split` + `unnest` + `GROUP BY`, and the
 * group-by over a table appended from the same typed arrays. Both with `threads` DuckDB threads.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** A DuckDB in-memory database with its connection. */
export interface DuckDb {
  readonly connection: DuckDBConnection;
  close(): void;
}

/** Opens an in-memory DuckDB limited to `threads` threads. */
export async function openDuckDb(threads: number): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Distinct words of `paths` (whitespace-separated: space, tab, CR, VT, FF; lines by the CSV reader), as the
 * native baseline counts them.
 *
 * @example
 * await duckDbDistinctWords(db, ['/tmp/corpus/part-1.txt']); // 1152465
 */
export async function duckDbDistinctWords(db: DuckDb, paths: readonly string[]): Promise<number> {
  // Whole lines as one VARCHAR column: a delimiter that never occurs (0x01), no quoting, no type detection.
  const lines =
    `read_csv([${paths.map(sqlString).join(', ')}], columns = {'line': 'VARCHAR'}, header = false, ` +
    `delim = E'\\x01', quote = '', escape = '', auto_detect = false, strict_mode = false)`;
  const words = `unnest(string_split(translate(line, E'\\t\\r\\x0b\\x0c', '    '), ' '))`;
  const sql = `SELECT count(*) FROM (SELECT w FROM (SELECT ${words} AS w FROM ${lines}) WHERE w <> '' GROUP BY w)`;
  const reader = await db.connection.runAndReadAll(sql);
  return Number(reader.getRows()[0]![0]);
}

/**
 * Creates table `name (key INTEGER, value DOUBLE)` holding the columns, row by row through an appender (before
 * timing: loading is not what is measured).
 */
export async function duckDbLoadTable(
  db: DuckDb,
  name: string,
  key: Int32Array,
  value: Float64Array,
  rows: number,
): Promise<void> {
  await db.connection.run(`CREATE OR REPLACE TABLE ${name} (key INTEGER, value DOUBLE)`);
  const appender = await db.connection.createAppender(name);
  for (let i = 0; i < rows; i++) {
    appender.appendInteger(key[i]!);
    appender.appendDouble(value[i]!);
    appender.endRow();
  }
  appender.closeSync();
}

/** Groups of `SELECT key, sum(value), count(*), avg(value) FROM name GROUP BY key`, counted. */
export async function duckDbGroupBy(db: DuckDb, name: string): Promise<number> {
  const sql = `SELECT count(*) FROM (SELECT key, sum(value), count(*), avg(value) FROM ${name} GROUP BY key)`;
  const reader = await db.connection.runAndReadAll(sql);
  return Number(reader.getRows()[0]![0]);
}
