/**
 * The native baseline on several threads: what a careful hand-written program gets from a second core on this
 * machine, the yardstick for the engine's 2-thread scaling. Each worker thread counts its share of the files into
 * its own {@link WordTable} (the single-thread baseline's scan and table), exports it split by hash range into shared
 * memory, and then merges one hash range of every thread's table, so both phases run in parallel and no thread
 * merges everything. Plain `worker_threads`: no engine code.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

import { nextMessage } from './next-message.js';

import type { WordCountSummary } from './word-count-native.js';
import type { WordTablePart } from './word-table.js';

/** What a worker posts: its parts after counting, then its merged range's summary. */
export type NativeWorkerMessage =
  | { readonly kind: 'counted'; readonly parts: WordTablePart[] }
  | { readonly kind: 'merged'; readonly summary: WordCountSummary };

/**
 * Counts the words of the files on `threads` worker threads; the result equals {@link countWordsNative}'s.
 *
 * @example
 * await countWordsNativeThreads(['/tmp/corpus/part-1.txt', '/tmp/corpus/part-2.txt'], 2); // { distinct, total }
 */
export async function countWordsNativeThreads(paths: readonly string[], threads: number): Promise<WordCountSummary> {
  const shares = shareBySize(paths, threads);
  const workers = shares.map(
    (share) =>
      new Worker(new URL('./word-count-native-worker.js', import.meta.url), {
        workerData: { paths: share, parts: threads },
      }),
  );
  try {
    const counted = await Promise.all(
      workers.map((worker) => nextMessage<NativeWorkerMessage, 'counted'>(worker, 'counted')),
    );
    const merged = workers.map((worker) => nextMessage<NativeWorkerMessage, 'merged'>(worker, 'merged'));
    workers.forEach((worker, range) => worker.postMessage(counted.map((message) => message.parts[range]!)));
    const summaries = (await Promise.all(merged)).map((message) => message.summary);
    return {
      distinct: summaries.reduce((sum, s) => sum + s.distinct, 0),
      total: summaries.reduce((sum, s) => sum + s.total, 0),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** The files dealt to `threads` shares, largest first to the share with the fewest bytes so far. */
function shareBySize(paths: readonly string[], threads: number): string[][] {
  const sized = paths.map((path) => ({ path, bytes: statSync(path).size })).sort((a, b) => b.bytes - a.bytes);
  const shares = Array.from({ length: threads }, () => ({ paths: [] as string[], bytes: 0 }));
  for (const file of sized) {
    const lightest = shares.reduce((min, share) => (share.bytes < min.bytes ? share : min));
    lightest.paths.push(file.path);
    lightest.bytes += file.bytes;
  }
  return shares.map((share) => share.paths);
}
