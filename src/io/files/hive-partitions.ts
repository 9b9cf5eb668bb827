/**
 * Hive-style partition folders (`year=2024/city=Oslo/part-00000.parquet`), as Spark, DuckDB and Polars write and
 * read them: on read, each `key=value` folder between the path the user named and a file becomes a column every
 * row of that file holds; on write, rows go to the folder of their values. Values are escaped as Hive does
 * (`%XX` for `/`, `=`, `:`, `%`, control characters …); null and the empty string are `__HIVE_DEFAULT_PARTITION__`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

import { InputError } from '../../common/errors.js';
import type { DataTypeName } from '../../protocol/columnar.js';
import type { PartitionColumn, PartitionValue } from '../../protocol/file-formats.js';
import { expandInputPaths } from './expand-paths.js';
import { hasGlobSyntax } from './glob-pattern.js';
import { inputErrorFromFs } from './input-fs-error.js';
import { formatDate, formatTimestamp, parseDate } from '../parsing/temporal-text.js';

/** The folder name of a null partition value (Hive's, which Spark and DuckDB use too). */
export const DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** A file to read, with the `key=value` folders above it (values unescaped; null for the default partition). */
export interface PartitionedFile {
  readonly path: string;
  readonly folders: readonly (readonly [string, string | null])[];
}

/**
 * The files `patterns` name (as `expandInputPaths`), except that a directory is read with its `key=value`
 * subfolders, recursively, and every file carries the `key=value` folders between the named path (or a glob's
 * last literal folder) and itself.
 *
 * @example
 * expandPartitionedPaths(['sales/']); // [{ path: '/abs/sales/year=2024/part-0.parquet', folders: [['year', '2024']] }]
 */
export function expandPartitionedPaths(patterns: readonly string[]): PartitionedFile[] {
  const out: PartitionedFile[] = [];
  const seen = new Set<string>();
  const add = (file: PartitionedFile) => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    out.push(file);
  };
  for (const pattern of patterns) {
    const absolute = resolve(pattern);
    if (!hasGlobSyntax(pattern) && isDirectory(absolute)) {
      for (const file of walkPartitions(absolute, [])) add(file);
      continue;
    }
    const parts = absolute.split(sep);
    const firstWild = parts.findIndex(hasGlobSyntax);
    const base = firstWild < 0 ? parts.length : firstWild;
    for (const path of expandInputPaths([pattern])) {
      const folders = path.split(sep).slice(base, -1).flatMap(folderPair);
      add({ path, folders });
    }
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // expandInputPaths names what is missing
  }
}

function walkPartitions(dir: string, folders: readonly (readonly [string, string | null])[]): PartitionedFile[] {
  const files = expandInputPaths([dir]).map((path) => ({ path, folders }));
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw inputErrorFromFs(error, dir, 'listing the directory');
  }
  const subfolders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
  for (const name of subfolders) {
    const pair = folderPair(name);
    if (pair.length === 0) continue; // not a partition folder: skipped, as Hadoop's listing skips subdirectories
    files.push(...walkPartitions(join(dir, name), [...folders, pair[0]!]));
  }
  return files;
}

function folderPair(name: string): [string, string | null][] {
  const eq = name.indexOf('=');
  if (eq <= 0) return [];
  const raw = name.slice(eq + 1);
  return [[unescapeValue(name.slice(0, eq)), raw === DEFAULT_PARTITION || raw === '' ? null : unescapeValue(raw)]];
}

function unescapeValue(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/**
 * The partition columns of each file, typed alike across files as Spark infers them: int32, int64, float64, date
 * (`YYYY-MM-DD`), else utf8. Throws `InputError` `ERR_INPUT_SCHEMA_MISMATCH` when two files sit under different
 * partition keys, naming both.
 *
 * @example
 * partitionColumnsOf(files); // [[{ name: 'year', type: 'int32', value: 2024 }], …]
 */
export function partitionColumnsOf(files: readonly PartitionedFile[]): PartitionColumn[][] {
  const first = files[0];
  if (first === undefined) return [];
  const keys = first.folders.map(([key]) => key);
  for (const file of files) {
    const found = file.folders.map(([key]) => key);
    if (found.join('/') !== keys.join('/')) {
      throw new InputError(
        'ERR_INPUT_SCHEMA_MISMATCH',
        `${file.path}: partition folders [${found.join(', ')}] differ from [${keys.join(', ')}] of ${first.path}: ` +
          'expected every file under the same key=value folders',
      );
    }
  }
  const types = keys.map((_, k) => inferType(files.map((f) => f.folders[k]![1])));
  return files.map((file) =>
    file.folders.map(([name, text], k): PartitionColumn => ({ name, type: types[k]!, value: typed(text, types[k]!) })),
  );
}

function inferType(values: readonly (string | null)[]): DataTypeName {
  let type: DataTypeName | null = null;
  for (const text of values) {
    if (text === null) continue;
    const own: DataTypeName = /^[+-]?\d{1,18}$/.test(text)
      ? (Number(text) | 0) === Number(text)
        ? 'int32'
        : 'int64'
      : text.trim() !== '' && Number.isFinite(Number(text)) && /^[+-]?[\d.eE+-]+$/.test(text)
        ? 'float64'
        : parseDate(text) !== null
          ? 'date'
          : 'utf8';
    type = type === null ? own : wider(type, own);
  }
  return type ?? 'utf8';
}

function wider(a: DataTypeName, b: DataTypeName): DataTypeName {
  if (a === b) return a;
  const numeric = ['int32', 'int64', 'float64'];
  if (numeric.includes(a) && numeric.includes(b)) {
    return a === 'float64' || b === 'float64' ? 'float64' : 'int64';
  }
  return 'utf8';
}

function typed(text: string | null, type: DataTypeName): PartitionValue {
  if (text === null) return null;
  switch (type) {
    case 'int32':
    case 'float64':
      return Number(text);
    case 'int64':
      return BigInt(text);
    case 'date':
      return parseDate(text);
    default:
      return text;
  }
}

/** Characters Hive escapes in a partition folder name. */
const ESCAPED = new Set('"#%\'*/:=?\\\u007f{[]^'.split(''));

/**
 * The folder name `key=value` of one partition value (`value` already as text, or null).
 *
 * @example
 * partitionFolder('day', '2024-01-02'); // 'day=2024-01-02'
 * partitionFolder('city', null);        // 'city=__HIVE_DEFAULT_PARTITION__'
 */
export function partitionFolder(key: string, value: string | null): string {
  return `${escapeName(key)}=${value === null || value === '' ? DEFAULT_PARTITION : escapeName(value)}`;
}

function escapeName(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || ESCAPED.has(ch) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

/**
 * A non-string value as partition folder text: numbers as JS prints them, dates `YYYY-MM-DD`, timestamps
 * `YYYY-MM-DD HH:MM:SS[.fff]` in UTC (Spark's form), booleans `true` / `false`.
 */
export function partitionText(
  value: number | bigint | boolean,
  type: 'int' | 'float' | 'bool' | 'date' | 'timestamp',
  unit: 'ms' | 'us' = 'ms',
): string {
  switch (type) {
    case 'date':
      return formatDate(value as number);
    case 'timestamp':
      return formatTimestamp(value as number, unit);
    case 'bool':
      return value === true || value === 1 ? 'true' : 'false';
    default:
      return String(value);
  }
}
