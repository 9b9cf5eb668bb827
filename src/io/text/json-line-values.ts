/**
 * The JSON values of a split of a JSON-lines file, as records (`readStream.jsonlFiles`): the line reader's lines,
 * each `JSON.parse`d where it is read. Parsing here, not in a `map` after `textFile`, is what lets a bad line be
 * named by its file and line number (the line reader knows each line's byte offset; the number is counted only
 * when a line fails) and fail its job at the first attempt (an `InputError` from kindling's own code is not
 * retried: every attempt would read the same bytes).
 */
import { exactJsonValue } from '../parsing/json-exact-values.js';
import { InputError } from '../../common/errors.js';
import type { TextSplit } from '../../protocol/pipeline.js';
import { forEachLine, readLines, type LineAt, type ReadLinesOptions } from './line-reader.js';
import { lineNumberAt } from './line-number.js';

/** Characters of a bad line quoted in its error (the rest is cut, with `…`). */
const SHOWN_LINE_CHARS_MAX = 80;

/**
 * Calls `sink` with the value of each non-blank line of the split, in order: any JSON value (an object, an array,
 * a number, a string, `true`, `false` or `null`) as `JSON.parse` returns it. A line of only whitespace is skipped.
 * Lines, splits, a BOM at the file's start and terminators are the line reader's (`forEachLine`).
 *
 * Throws `InputError` `ERR_INPUT_INVALID_RECORD` for a line that is not JSON, naming `file:line` and quoting the
 * line; and the line reader's `InputError`s.
 *
 * @example
 * forEachJsonValue({ path: 'events.jsonl', start: 0, length: 1024 }, {}, (event) => events.push(event));
 */
export function forEachJsonValue(split: TextSplit, options: ReadLinesOptions, sink: (value: unknown) => void): void {
  const at: LineAt = options.at ?? { lineOffset: 0 };
  forEachLine(split, { ...options, at }, (line) => {
    if (line.length === 0) return;
    const value = parseLine(line, split, at);
    if (value !== BLANK) sink(value);
  });
}

/**
 * `forEachJsonValue` pulled instead of pushed (for consumers that may stop early, as `take`): same values, same
 * errors. The file closes when the generator finishes, throws or is `return()`ed.
 */
export function* readJsonValues(split: TextSplit, options: ReadLinesOptions): Generator<unknown, void, undefined> {
  const at: LineAt = options.at ?? { lineOffset: 0 };
  for (const line of readLines(split, { ...options, at })) {
    if (line.length === 0) continue;
    const value = parseLine(line, split, at);
    if (value !== BLANK) yield value;
  }
}

/** What `parseLine` returns for a line of only whitespace. */
const BLANK: unique symbol = Symbol('blank line');

function parseLine(line: string, split: TextSplit, at: LineAt): unknown {
  try {
    return exactJsonValue(line, JSON.parse(line) as unknown);
  } catch (error: unknown) {
    // Checked only when the parse fails: a line of JSON pays no trim.
    if (line.trim().length === 0) return BLANK;
    throw notJson(line, split, at.lineOffset, error);
  }
}

function notJson(line: string, split: TextSplit, lineOffset: number, error: unknown): InputError {
  // `path` is what was read (a gzip file's decompressed copy), `sourcePath` what the user named.
  const lineNumber = lineNumberAt(split.path, lineOffset);
  const where = `${split.sourcePath ?? split.path}:${lineNumber ?? `byte ${lineOffset}`}`;
  const shown = line.length > SHOWN_LINE_CHARS_MAX ? `${line.slice(0, SHOWN_LINE_CHARS_MAX)}…` : line;
  return new InputError(
    'ERR_INPUT_INVALID_RECORD',
    `${where}: expected one JSON value per line, found ${JSON.stringify(shown)} (${String(error)})`,
    { cause: error },
  );
}
