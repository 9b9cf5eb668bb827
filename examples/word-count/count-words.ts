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
  const lines = kc.textFile(paths, splitOptions(options));
  // Named locals, passed as captures below: the function reaches the worker threads as source text plus these.
  const { lower, minLength } = options;
  // One flatMap does split, lower-case and length filter: a fused step per word costs more than the branches.
  return lines
    .flatMap(
      (line: string) => {
        const words: string[] = [];
        for (const token of line.split(/\s+/)) {
          if (token === '') continue; // before leading and after trailing whitespace
          const word = lower ? token.toLowerCase() : token;
          // Code points lie between length / 2 (all surrogate pairs) and length: count only in between.
          if (word.length < minLength) continue;
          if (word.length < 2 * minLength) {
            let codePoints = 0;
            for (const _ of word) codePoints++;
            if (codePoints < minLength) continue;
          }
          words.push(word);
        }
        return words;
      },
      { lower, minLength },
    )
    .map((word: string): [string, number] => [word, 1])
    .reduceByKey((a: number, b: number) => a + b, reducePartitionsFor(kc, lines.getNumPartitions()));
}

/**
 * The same counts as {@link countWords}, on the columnar path: a dataset with columns `word` and `count`, computed
 * by vectorized kernels over the lines' UTF-8 bytes (split on `\s`, `lower`, code-point `length`) and a typed-array
 * hash aggregation. Same words, same counts, same partitions of the counts.
 *
 * @example
 * await countWordsColumnar(kc, ['books/'], { lower: false, minLength: 1 }).orderBy(col('count').desc(), 'word').collect();
 */
export function countWordsColumnar(kc: Context, paths: readonly string[], options: CountWordsOptions): Dataset {
  const lines = kc.readText(paths, splitOptions(options));
  let words = lines.select(splitToRows(col('value')).as('word'));
  if (options.lower) words = words.select(lower(col('word')).as('word'));
  if (options.minLength > 1) words = words.filter(length(col('word'), { unit: 'code-points' }).ge(options.minLength));
  return words.groupBy('word', { numPartitions: reducePartitionsFor(kc, lines.getNumPartitions()) }).agg(count());
}

/**
 * The largest input split of either count: half the engine's 32 MiB default. The map tasks of a stage are about
 * equal, so the stage ends with one thread running the last of them while the other has nothing left: with 8 tasks
 * of 32 MiB on 2 threads (a 256 MiB input) that wait is up to a whole task, ~0.7 s of a ~4 s job; 16 MiB splits
 * halve it. The cost: 40 % more partial count rows for the reduce side to merge (~6 % of the tokens), in CPU time
 * +4 % on 1 thread and -4 % on 2 (medians of 10 noisy pairs, native-bench/SCALING.md); the CLI's peak RSS fell by
 * ~10–15 MiB (smaller tables). Both engines cut the input alike, so their counts have the same partitions
 * (`reducePartitionsFor`).
 */
const SPLIT_BYTES_MAX = 16 * 1024 * 1024;

/** `textFile`'s options for the counts: the split cap, and `minPartitions` when the caller gave one. */
function splitOptions(options: CountWordsOptions): TextFileOptions {
  const { minPartitions } = options;
  return minPartitions === undefined
    ? { splitBytesMax: SPLIT_BYTES_MAX }
    : { splitBytesMax: SPLIT_BYTES_MAX, minPartitions };
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
