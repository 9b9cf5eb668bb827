/**
 * One thread of {@link countWordsNativeThreads}: counts its files with the single-thread baseline, posts its table
 * split by hash range, then merges the range it is given from every thread and posts that range's summary.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { countWordsNativeTable } from './word-count-native.js';
import type { NativeWorkerMessage } from './word-count-native-threads.js';
import { WordTable, type WordTablePart } from './word-table.js';

const port = parentPort!;
const { paths, parts } = workerData as { paths: string[]; parts: number };
const counted = countWordsNativeTable(paths);
port.once('message', (range: WordTablePart[]) => {
  const merged = new WordTable();
  for (const { meta, keys } of range) {
    let at = 0;
    for (let w = 0; w < meta.length; w += 3) {
      const length = meta[w + 1]!;
      merged.addCount(keys, at, at + length, meta[w]!, meta[w + 2]!);
      at += length;
    }
  }
  const message: NativeWorkerMessage = { kind: 'merged', summary: { distinct: merged.size, total: merged.total } };
  port.postMessage(message);
});
const message: NativeWorkerMessage = { kind: 'counted', parts: counted.exportParts(parts) };
port.postMessage(message);
