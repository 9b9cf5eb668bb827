#!/usr/bin/env node
/**
 * One word count in a process of its own, so its peak RSS (worker threads and shared memory included) can be read:
 *
 *   node dist/native-bench/word-count-child.js <native|rdd|columnar|duckdb> <threads> <path>…
 *
 * Prints one JSON line: `{ distinct, wallMs, maxRssBytes }` (maxRssBytes from `process.resourceUsage()`).
 */
import { Context } from '../src/index.js';
import { runWordCount, type WordCountEngine } from './word-count-jobs.js';

async function main(): Promise<void> {
  const [engine, threadsText, ...paths] = process.argv.slice(2);
  if (engine !== 'native' && engine !== 'rdd' && engine !== 'columnar' && engine !== 'duckdb')
    throw new Error(`unknown engine '${engine}'`);
  const threads = Number(threadsText);
  if (!Number.isSafeInteger(threads) || threads < 1)
    throw new Error(`threads must be an integer >= 1, found '${threadsText}'`);
  const kc = engine === 'native' || engine === 'duckdb' ? null : new Context({ threads });
  const startedMs = performance.now();
  const distinct = await runWordCount(engine as WordCountEngine, kc, paths, threads);
  const wallMs = performance.now() - startedMs;
  await kc?.stop();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ distinct, wallMs, maxRssBytes })}\n`);
}

await main();
