import { parseArgs } from 'node:util';

import { closestName } from '../../src/common/check-options.js';

/** Formats of `--out`. */
export type OutputFormat = 'tsv' | 'json';

/** Engines of `--engine`: the columnar `Dataset` path (vectorized kernels) or the RDD closure path. */
export type Engine = 'columnar' | 'rdd';

/** The path that means standard input, as for `cat` and `sort`. */
export const STDIN_PATH = '-';

/** The command line of `kindling-wordcount`, checked and with defaults filled in. */
export interface WordCountArguments {
  /** Files, directories or globs, and at most once `-` (standard input); empty means the shipped sample corpus. */
  readonly paths: readonly string[];
  /** How many of the most frequent words to print; null prints none (the default with `--out`). */
  readonly top: number | null;
  /**
   * `--truncate N`: characters of a word the printed table shows (0: whole words), or null when not given (then
   * `wordCharsShown` decides by whether stdout is a terminal).
   */
  readonly truncate: number | null;
  /** Directory to write all counts to, or null. */
  readonly out: string | null;
  readonly format: OutputFormat;
  readonly overwrite: boolean;
  /** Worker threads; 0 runs every task on the main thread. */
  readonly threads: number;
  /** `textFile`'s `minPartitions`, or undefined for the engine's default. */
  readonly partitions: number | undefined;
  readonly lower: boolean;
  /** Minimum word length in Unicode code points (1 keeps every word). */
  readonly minLength: number;
  /** Which API counts: the same output either way. */
  readonly engine: Engine;
  readonly quiet: boolean;
  readonly help: boolean;
}

/** A command line that does not make sense: the CLI prints the message and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Printed by `--help`; `threads` is the default the machine gives. */
export function usageText(threads: number): string {
  return `Usage: kindling-wordcount [options] [<file|dir|glob|->...]

Counts the words of UTF-8 text files with kindling and prints the most frequent.
With no paths, counts the sample corpus that ships with kindling. A path '-' counts
standard input (cat f | kindling-wordcount -): it is first copied to a temporary file
(as much disk as the input, not memory), removed when the run ends.

A word is a maximal run of characters that are not whitespace (JavaScript \\s, which
includes Unicode spaces). A directory means the files directly in it (names starting
with '.' or '_' are skipped); globs may use * ? [...] {a,b} and ** (quote them).

Options:
  --top N          print the N most frequent words as "word<TAB>count", by count
                   descending, then word ascending (UTF-16 code unit order)
                   (default: 20, or none when --out is given)
  --truncate N     in that table, cut a word longer than N characters (Unicode code
                   points) to its first N, followed by "… (L characters)" with its whole
                   length L; 0 prints words whole (default: 40 when stdout is a terminal,
                   0 when it is a pipe or a file, so scripts read whole words). --out files
                   always hold whole words
  --out DIR        write every count, in the same order, to DIR (which must not exist);
                   DIR appears complete or not at all
  --format FORMAT  format of --out: tsv (default: DIR/part-NNNNN files of
                   "word<TAB>count" lines, plus DIR/_SUCCESS) or json (DIR/counts.json,
                   one array of [word, count] pairs)
  --overwrite      replace DIR if it exists (the old one stays until the new is complete)
  --lower          lower-case words (String.prototype.toLowerCase, Unicode-aware)
  --min-length N   keep words of at least N characters, counted in Unicode code points
                   (after --lower) (default: 1)
  --threads N      worker threads (default: os.availableParallelism(), here ${threads});
                   0 runs everything on the main thread
  --partitions N   split the input into at least N partitions (default: the engine's
                   32 MiB splits, or 16 MiB when that gives under 8 tasks a thread)
  --engine ENGINE  columnar (default: vectorized kernels over Arrow buffers) or rdd
                   (per-record JavaScript closures); the output is the same
  --quiet          no progress line and no notes on stderr (errors are still printed)
  -h, --help       print this help

Exit status: 0 on success, 1 when the job fails (missing input, existing output,
unreadable file ...), 2 on a bad command line, 130 / 143 when stopped by SIGINT
(Ctrl-C) / SIGTERM, after removing the job's temporary files. KINDLING_DEBUG=1
prints stack traces.

Examples:
  kindling-wordcount                               # the shipped sample, top 20
  kindling-wordcount --top 50 --lower 'logs/*.txt'
  kindling-wordcount books/ --out counts --format json --min-length 4
`;
}

/**
 * Parses `argv` (without `node` and the script). Throws {@link UsageError} with a one-line message for an unknown
 * option, a missing or malformed value, or an option that only makes sense with another one.
 *
 * @example
 * parseWordCountArguments(['--top', '5', 'a.txt'], { threads: 4 }).top; // 5
 */
export function parseWordCountArguments(argv: readonly string[], defaults: { threads: number }): WordCountArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: attachNegativeNumbers(argv),
      allowPositionals: true,
      strict: true,
      options: FLAGS,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const { values, positionals } = parsed;
  const out = values.out ?? null;
  if (out === '') throw new UsageError('--out expects a directory path, found an empty string');
  if (out === null) {
    // Accepting these silently would let a user believe the counts were written somewhere.
    if (values.format !== undefined) throw new UsageError('--format applies to --out DIR, which was not given');
    if (values.overwrite === true) throw new UsageError('--overwrite applies to --out DIR, which was not given');
  }
  const format = values.format ?? 'tsv';
  if (format !== 'tsv' && format !== 'json') {
    throw new UsageError(`--format expects tsv or json, found '${format}'`);
  }
  if (positionals.some((p) => p === '')) throw new UsageError('an input path is an empty string');
  if (positionals.filter((p) => p === STDIN_PATH).length > 1) {
    throw new UsageError(`'${STDIN_PATH}' (standard input) is given more than once: it can be read only once`);
  }
  const engine = values.engine ?? 'columnar';
  if (engine !== 'columnar' && engine !== 'rdd') {
    throw new UsageError(`--engine expects columnar or rdd, found '${engine}'`);
  }
  const top = integerOption('top', values.top, 0) ?? (out === null ? 20 : null);
  const truncate = integerOption('truncate', values.truncate, 0) ?? null;
  if (truncate !== null && top === null) {
    throw new UsageError('--truncate applies to the table --top N prints, which --out DIR without --top does not');
  }
  return {
    paths: positionals,
    top,
    truncate,
    out,
    format,
    overwrite: values.overwrite === true,
    threads: integerOption('threads', values.threads, 0) ?? defaults.threads,
    partitions: integerOption('partitions', values.partitions, 1),
    lower: values.lower === true,
    minLength: integerOption('min-length', values['min-length'], 0) ?? 1,
    engine,
    quiet: values.quiet === true,
    help: values.help === true,
  };
}

/** The flags of the command line, for `parseArgs`. */
const FLAGS = {
  top: { type: 'string' },
  truncate: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  overwrite: { type: 'boolean' },
  threads: { type: 'string' },
  partitions: { type: 'string' },
  lower: { type: 'boolean' },
  'min-length': { type: 'string' },
  engine: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Largest value accepted for any numeric option: beyond it, counts and thread pools stop making sense. */
const INTEGER_MAX = 1_000_000_000;

function integerOption(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > INTEGER_MAX) {
    const range = min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
    throw new UsageError(`--${name} expects ${range}, found '${text}'`);
  }
  return value;
}

/**
 * `--top -3` as `--top=-3`: `parseArgs` reads a value that starts with '-' as another option ("argument is
 * ambiguous"), while the user plainly gave a (negative) number, which the option's own check then refuses with what
 * it expects and what it found.
 */
function attachNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    const takesValue = name !== null && (FLAGS as Record<string, { type: string }>)[name]?.type === 'string';
    if (takesValue && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** `parseArgs` messages can span lines and suggest `--` tricks; one short line per mistake is what a CLI prints. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]*)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      // A typo'd flag names the flag it most likely meant, as the library's options do (compared without the
      // dashes, which would make every short name look close).
      const closest = option === undefined ? null : closestName(option.replace(/^-+/, ''), Object.keys(FLAGS));
      const hint = closest === null ? '' : `: did you mean '--${closest}'?`;
      return `unknown option '${option ?? message}'${hint} (see --help)`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option !== undefined && message.includes('argument missing')) return `${option} expects a value (see --help)`;
      if (option !== undefined && message.includes('does not take an argument')) return `${option} takes no value`;
      return firstSentence(message);
    default:
      return firstSentence(message);
  }
}

function firstSentence(message: string): string {
  return /^[^\n]*?\.(?=\s|$)/.exec(message)?.[0] ?? message.split('\n')[0]!;
}
