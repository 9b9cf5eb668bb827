#!/usr/bin/env node
/**
 * An independent word count to check `out-of-core.js word-count` against: one thread, no kindling code, a line
 * reader and a `Map`. A word is a maximal run of non-whitespace characters (JavaScript `\s`), as in the example's
 * `countWords`, so both give the same counts on the same files. Prints the same JSON fields:
 *
 *   node dist/native-bench/out-of-core-reference-count.js <file>...
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const counts = new Map<string, number>();
const startedMs = performance.now();
for (const path of process.argv.slice(2)) {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    for (const token of line.split(/\s+/)) {
      if (token !== '') counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
}
let totalWords = 0;
for (const n of counts.values()) totalWords += n;
// The same order as `byFrequency`: count descending, then word ascending (code units, as compareValues).
const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 20);
const seconds = Number(((performance.now() - startedMs) / 1000).toFixed(1));
process.stdout.write(
  `${JSON.stringify({ mode: 'reference', seconds, distinctWords: counts.size, totalWords, top })}\n`,
);
