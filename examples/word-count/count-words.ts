import type { Context, Dataset, RDD, TextFileOptions } from '../../src/index.js';
import { col, count, length, lower, splitToRows } from '../../src/index.js';

/** Options of {@link countWords}. */
export interface CountWordsOptions {
  /** Lower-case each word with `toLowerCase()` before counting. */
  readonly lower: boolean;
  /** Keep words of at least this many Unicode code points (after lower-casing); 0 and 1 keep every word. */
  readonly minLength: number;
  /** `textFile`'s `minPartitions`; undefined leaves the engine's default. */
  readonly minPartitions?: number | undefined;
}

/**
 * The dataset of `[word, count]` for every distinct word of the files, in no particular order. A word is a maximal
 * run of non-whitespace characters (JavaScript `\s`); lines never hold a line break, so splitting each line is the
 * same as splitting the whole file. Lazy: nothing runs until an action.
 *
 * @example
 * const counts = countWords(kc, ['books/'], { lower: true, minLength: 1 });
 * await counts.takeOrdered(10, byFrequency);
 */
export function countWords(kc: Context, paths: readonly string[], options: CountWordsOptions): RDD<[string, number]> {
  const lines = linesOf(kc, options, (textOptions) => kc.textFile(paths, textOptions));
  // Named locals, passed as captures below: the function reaches the worker threads as source text plus these.
  const { lower, minLength } = options;
  const longLineChars = LONG_LINE_CHARS;
  // One flatMap does split, lower-case and length filter: a fused step per word costs more than the branches.
  return lines
    .flatMap(
      (line: string): Iterable<string> => {
        // The word a token counts as, or null for none (the '' before leading and after trailing whitespace).
        const wordOf = (token: string): string | null => {
          if (token === '') return null;
          const word = lower ? token.toLowerCase() : token;
          // Code points lie between length / 2 (all surrogate pairs) and length: count only in between.
          if (word.length < minLength) return null;
          if (word.length < 2 * minLength) {
            let codePoints = 0;
            for (const _ of word) codePoints++;
            if (codePoints < minLength) return null;
          }
          return word;
        };
        if (line.length > longLineChars) {
          // A long line's words go on one at a time: as one array, a 100 MB line's ~19 M words were all held at
          // once (~0.5 GB of strings and their array), on top of the line itself.
          return (function* () {
            const tokens = /\S+/g;
            for (let found = tokens.exec(line); found !== null; found = tokens.exec(line)) {
              const word = wordOf(found[0]);
              if (word !== null) yield word;
            }
          })();
        }
        // A short line's words as the array split gives, kept in place (no second array): a generator per line
        // would cost more than the words.
        const words = line.split(/\s+/);
        let kept = 0;
        for (let i = 0; i < words.length; i++) {
          const word = wordOf(words[i]!);
          if (word !== null) words[kept++] = word;
        }
        words.length = kept;
        return words;
      },
      { lower, minLength, longLineChars },
    )
    .map((word: string): [string, number] => [word, 1])
    .reduceByKey((a: number, b: number) => a + b, reducePartitionsFor(kc, lines.getNumPartitions()));
}

/**
 * Characters of a line from which `countWords` hands its words on one at a time instead of as one array: far above
 * any line of prose or logs (the benchmark corpora's are under 200), so only lines whose words' array would weigh
 * MiBs take the generator's per-word cost.
 */
const LONG_LINE_CHARS = 1 << 20;

/**
 * The same counts as {@link countWords}, on the columnar path: a dataset with columns `word` and `count`, computed
 * by vectorized kernels over the lines' UTF-8 bytes (split on `\s`, `lower`, code-point `length`) and a typed-array
 * hash aggregation. Same words, same counts, same partitions of the counts.
 *
 * @example
 * await countWordsColumnar(kc, ['books/'], { lower: false, minLength: 1 }).orderBy(col('count').desc(), 'word').collect();
 */
export function countWordsColumnar(kc: Context, paths: readonly string[], options: CountWordsOptions): Dataset {
  const lines = linesOf(kc, options, (textOptions) => kc.readText(paths, textOptions));
  let words = lines.select(splitToRows(col('value')).as('word'));
  if (options.lower) words = words.select(lower(col('word')).as('word'));
  if (options.minLength > 1) words = words.filter(length(col('word'), { unit: 'code-points' }).ge(options.minLength));
  return words.groupBy('word', { numPartitions: reducePartitionsFor(kc, lines.getNumPartitions()) }).agg(count());
}

/**
 * Map tasks per thread below which the counts cut their input finer than the engine's 32 MiB splits. The map tasks
 * of a stage are about equal, so the stage ends with one thread running the last of them while the others have
 * nothing left: with 8 tasks of 32 MiB on 2 threads (a 256 MiB input) that wait is up to a whole task, ~0.7 s of a
 * ~4 s job. From 8 tasks a thread on (a 1 GiB input on 2 threads) it is a small share and the default stays.
 */
const TASKS_PER_THREAD_MIN = 8;

/**
 * The split size when the default gives too few tasks: half the default, so the tail halves. The cost: 40 % more
 * partial count rows for the reduce side to merge (~6 % of the tokens); in CPU time +4 % on 1 thread and -4 % on 2
 * (medians of 10 noisy pairs, native-bench/SCALING.md), with a peak RSS ~10 MiB lower (smaller tables). A cap, not
 * a partition count, so a small input is never cut into crumbs.
 */
const SPLIT_BYTES_MAX = 16 * 1024 * 1024;

/**
 * The lines of either count, planned by `read` (`textFile` or `readText`): the engine's splits (or `minPartitions`
 * when the caller gave it), cut at `SPLIT_BYTES_MAX` when they make fewer than `TASKS_PER_THREAD_MIN` tasks per
 * thread. Both engines plan alike, so their counts have the same partitions (`reducePartitionsFor`).
 */
function linesOf<T extends { getNumPartitions(): number }>(
  kc: Context,
  options: CountWordsOptions,
  read: (textOptions: TextFileOptions) => T,
): T {
  const { minPartitions } = options;
  const textOptions: TextFileOptions = minPartitions === undefined ? {} : { minPartitions };
  const lines = read(textOptions);
  if (lines.getNumPartitions() >= TASKS_PER_THREAD_MIN * kc.options.defaultParallelism) return lines;
  return read({ ...textOptions, splitBytesMax: SPLIT_BYTES_MAX });
}

/**
 * Partitions of the counts. Not the input's (the engine's default): distinct words grow far slower than lines, and
 * a shuffle writes a block per map partition per reduce partition, so 1,000 input splits would make a million blocks
 * of a few words each. A few partitions per thread keep every thread busy and the blocks few.
 */
function reducePartitionsFor(kc: Context, inputPartitions: number): number {
  return Math.max(1, Math.min(inputPartitions, 4 * kc.options.defaultParallelism));
}

/**
 * The sort key of the output order: count descending, then word ascending by UTF-16 code units (JavaScript's
 * default string order; arrays compare element-wise with `compareValues`). For `sortBy` and `takeOrdered`.
 *
 * @example
 * counts.sortBy(byFrequency); // [['the', 9], ['a', 4], ['b', 4], …]
 */
export function byFrequency(pair: readonly [string, number]): [number, string] {
  return [-pair[1], pair[0]];
}

/**
 * A count as one line of the text output: `word<TAB>count`. Safe because a word never holds whitespace.
 *
 * @example
 * toTsvLine(['the', 9]); // 'the\t9'
 */
export function toTsvLine(pair: readonly [string, number]): string {
  return `${pair[0]}\t${pair[1]}`;
}
