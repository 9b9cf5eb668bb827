/**
 * The word-count job of the macro benchmark in its three forms: the native single-thread baseline, the engine's RDD
 * path and its columnar path. Each returns the number of distinct words, so the runs can be checked against each
 * other.
 */
import { countWordsNative } from './baselines/word-count-native.js';
import { countWordsNativeThreads } from './baselines/word-count-native-threads.js';
import { col, count, splitToRows, type Context } from '../src/index.js';

/** Which implementation runs the word count. */
export type WordCountEngine = 'native' | 'rdd' | 'columnar' | 'duckdb';

/**
 * Counts the words of `paths` with `engine` and returns the distinct words. `kc` is unused by `native` and
 * `duckdb`, which run on `threads` threads (native 1 and DuckDB 2 when not given).
 *
 * @example
 * await runWordCount('columnar', kc, paths); // 1234567
 */
export async function runWordCount(
  engine: WordCountEngine,
  kc: Context | null,
  paths: readonly string[],
  threads?: number,
): Promise<number> {
  if (engine === 'native') {
    // One thread unless asked: the single-thread baseline every ratio is quoted against.
    const nativeThreads = threads ?? 1;
    return nativeThreads === 1
      ? countWordsNative(paths).distinct
      : (await countWordsNativeThreads(paths, nativeThreads)).distinct;
  }
  if (engine === 'duckdb') {
    // Loaded here only: DuckDB's native library costs every other engine's process ~0.35 s and ~23 MiB of RSS.
    const { duckDbDistinctWords, openDuckDb } = await import('./baselines/duckdb.js');
    const db = await openDuckDb(threads ?? 2);
    try {
      return await duckDbDistinctWords(db, paths);
    } finally {
      db.close();
    }
  }
  if (kc === null) throw new Error(`runWordCount('${engine}') needs a Context`);
  if (engine === 'rdd') {
    return kc
      .textFile(paths)
      .flatMap((line: string) => line.split(/\s+/).filter((w) => w !== ''))
      .map((w: string): [string, number] => [w, 1])
      .reduceByKey((a: number, b: number) => a + b)
      .count();
  }
  return kc
    .readText(paths)
    .select(splitToRows(col('value')).as('word'))
    .groupBy('word')
    .agg(count())
    .count();
}
