import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { join, parse, resolve, sep } from 'node:path';

import { InputError } from '../../common/errors.js';
import { compileSegment, expandBraces, hasGlobSyntax } from './glob-pattern.js';
import type { GlobSegment } from './glob-pattern.js';
import { errnoCode, inputErrorFromFs, whatBlocksPath } from './input-fs-error.js';

/**
 * Expands input paths the way Spark's `textFile` sees them through Hadoop's `FileInputFormat`, synchronously (it
 * runs on the driver when a dataset is defined). Each entry is, in order:
 *
 * - a **file**: taken as is, whatever its name;
 * - a **directory**: every regular file directly inside it, sorted; names starting with `.` or `_` are skipped
 *   (Hadoop's hidden-file filter: `_SUCCESS`, `.crc` files, staging directories), and so are subdirectories;
 * - a **glob** (`*`, `?`, `[…]`, `{a,b}`, `**`, `\` escapes): every match; a matched directory contributes its files
 *   as above. Wildcards do not match names starting with `.` or `_` unless the segment starts with that character.
 *   A glob that matches nothing but names an existing path literally (`data[1].txt`) is taken literally.
 *
 * Relative entries resolve against `process.cwd()`. The result holds absolute paths, sorted within each entry,
 * each path once (first occurrence wins), entries in the order given. An empty directory contributes nothing.
 *
 * Throws `InputError`: `ERR_INPUT_NOT_FOUND` when a path does not exist or a glob matches nothing;
 * `ERR_INPUT_NOT_A_FILE` when an explicit path is neither a regular file nor a directory (a socket, a FIFO);
 * `ERR_INPUT_UNREADABLE` when a file or directory cannot be read (permission denied).
 *
 * @example
 * expandInputPaths(['logs/*.txt', 'extra/']); // ['/abs/logs/a.txt', '/abs/logs/b.txt', '/abs/extra/x.csv']
 */
export function expandInputPaths(patterns: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const pattern of patterns) {
    for (const file of expandOne(pattern)) {
      if (seen.has(file)) continue;
      seen.add(file);
      result.push(file);
    }
  }
  return result;
}

function expandOne(pattern: string): string[] {
  if (pattern === '') {
    throw new InputError('ERR_INPUT_NOT_FOUND', 'Input path is an empty string: expected a file, directory or glob');
  }
  if (!hasGlobSyntax(pattern)) return filesOfExplicitPath(resolve(pattern), pattern);

  const matches: string[] = [];
  for (const alternative of expandBraces(pattern)) matchGlob(resolve(alternative), matches);
  if (matches.length === 0) {
    const literal = resolve(pattern);
    if (statOrNull(literal) !== null) return filesOfExplicitPath(literal, pattern);
    const under = literalPrefix(resolve(pattern));
    const found = whatBlocksPath(under, true);
    throw new InputError(
      'ERR_INPUT_NOT_FOUND',
      `Input pattern '${pattern}' matches no files: expected at least one match, found none under ${under}` +
        (found === null ? '' : ` (${found})`),
    );
  }
  const files = new Set<string>();
  for (const match of matches) for (const file of filesOfMatch(match)) files.add(file);
  return [...files].sort();
}

/** A path the caller named without wildcards: must exist, and be a file or a directory. */
function filesOfExplicitPath(path: string, pattern: string): string[] {
  const stats = statOrNull(path);
  if (stats === null) {
    const found = whatBlocksPath(path);
    throw new InputError(
      'ERR_INPUT_NOT_FOUND',
      `Input path '${pattern}' does not exist: ` +
        (found ?? `expected a file, a directory or a glob, found nothing at ${path}`),
    );
  }
  if (stats.isFile()) {
    checkReadable(path);
    return [path];
  }
  if (stats.isDirectory()) return filesInDirectory(path);
  throw new InputError(
    'ERR_INPUT_NOT_A_FILE',
    `Input path ${path} is a ${describeKind(stats)}: expected a regular file or a directory`,
  );
}

/** A path a glob matched: files count, directories contribute their files, anything else is skipped. */
function filesOfMatch(path: string): string[] {
  const stats = statOrNull(path); // null: a dangling symbolic link, or deleted since the walk
  if (stats === null) return [];
  if (stats.isFile()) {
    checkReadable(path);
    return [path];
  }
  return stats.isDirectory() ? filesInDirectory(path) : [];
}

/** Visible regular files (symbolic links to files included) directly inside `dir`, sorted. */
function filesInDirectory(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readDirectory(dir)) {
    if (isHidden(entry.name)) continue;
    const path = join(dir, entry.name);
    const isFile = entry.isFile() || (entry.isSymbolicLink() && statOrNull(path)?.isFile() === true);
    if (!isFile) continue;
    checkReadable(path);
    files.push(path);
  }
  return files.sort();
}

/** Appends to `out` every path (file or directory) under the file-system root that the absolute glob matches. */
function matchGlob(absolute: string, out: string[]): void {
  const { root } = parse(absolute);
  const segments = absolute
    .slice(root.length)
    .split(sep)
    .filter((s) => s !== '')
    .map(compileSegment);
  walk(root, segments, 0, out);
}

function walk(dir: string, segments: readonly GlobSegment[], index: number, out: string[]): void {
  const segment = segments[index];
  if (segment === undefined) {
    if (statOrNull(dir) !== null) out.push(dir);
    return;
  }
  switch (segment.kind) {
    case 'literal':
      walk(join(dir, segment.name), segments, index + 1, out);
      return;
    case 'globstar':
      walk(dir, segments, index + 1, out);
      // Real directories only: following symbolic links here could loop forever.
      for (const entry of readDirectory(dir)) {
        if (entry.isDirectory() && !isHidden(entry.name)) walk(join(dir, entry.name), segments, index, out);
      }
      return;
    case 'pattern':
      for (const entry of readDirectory(dir)) {
        if (isHidden(entry.name) && !segment.matchesHidden) continue;
        if (segment.regex.test(entry.name)) walk(join(dir, entry.name), segments, index + 1, out);
      }
      return;
  }
}

/** Entries of `dir`, or none if it does not exist or is not a directory; unreadable directories throw. */
function readDirectory(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw inputErrorFromFs(error, dir, 'listing the directory');
  }
}

/** `stat` following symbolic links; null when nothing is there. Permission and other errors throw `InputError`. */
function statOrNull(path: string): Stats | null {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch (error) {
    if (errnoCode(error) === 'ENOTDIR') return null;
    throw inputErrorFromFs(error, path, 'reading file metadata');
  }
}

/** Fails now, at definition time, rather than in a task later, when a file cannot be opened for reading. */
function checkReadable(path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw inputErrorFromFs(error, path, 'checking read permission');
  }
}

/** Hadoop's hidden-file filter: `_SUCCESS`, `_temporary`, `.part-0.crc`, staging directories. */
function isHidden(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

/** The directory part of a glob before its first wildcard segment, for error messages. */
function literalPrefix(absolute: string): string {
  const parts = absolute.split(sep);
  const firstWild = parts.findIndex(hasGlobSyntax);
  return firstWild < 0 ? absolute : parts.slice(0, firstWild).join(sep) || sep;
}

function describeKind(stats: Stats): string {
  if (stats.isSocket()) return 'socket';
  if (stats.isFIFO()) return 'FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  return 'special file';
}
