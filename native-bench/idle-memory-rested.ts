#!/usr/bin/env node
/**
 * What an idle Context costs once it has rested, as a process that sits idle shows it: no collection is forced, and
 * each heap gives back what it no longer needs when V8's memory reducer runs, ~8 s after the heap's last full
 * collection (a worker thread's too, since threads wait for tasks without blocking their event loop). Run by
 * idle-memory.ts in a process of its own, because the collections that script forces for its other figures kept the
 * main thread's memory reducer from shrinking its young generation.
 *
 *   node dist/native-bench/idle-memory-rested.js [--threads 2] [--index <path to a build's src/index.js>]
 *
 * Two states, threads alive in both (the Context's default idle timeout, 60 s, is longer than what this waits):
 * - `idleRestedMiB`: RSS `REST_MS` after the tiny job of idle-memory.ts ran twice;
 * - `idleAfterAllocatingJobRestedMiB`: RSS `REST_MS` after the allocating job then ran.
 * Prints them as one JSON line.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

import type { Context as ContextClass } from '../src/index.js';
import { mib, runAllocatingJob, tinyJobMs } from './idle-memory-jobs.js';

/**
 * How long each figure waits: the memory reducers ran within 10 s of the last job on a 2-core machine (round 24:
 * RSS 79.8 MiB at 6 s, 77.3 at 8 s, 69.3 from 10 s on, then flat to 20 s).
 */
const REST_MS = 15_000;

const { values } = parseArgs({
  options: { threads: { type: 'string', default: '2' }, index: { type: 'string' } },
});
const threads = Number(values.threads);
const partitions = Math.max(threads, 1);

/** RSS after `REST_MS` in which this process does nothing (the timer holds the event loop; the pool's do not). */
async function restedRss(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, REST_MS));
  return process.memoryUsage().rss;
}

const index = values.index === undefined ? '../src/index.js' : pathToFileURL(values.index).href;
const { Context } = (await import(index)) as { Context: typeof ContextClass };
const kc = new Context({ threads });
await tinyJobMs(kc, partitions);
await tinyJobMs(kc, partitions);
const idleRestedMiB = mib(await restedRss());
await runAllocatingJob(kc, partitions);
const idleAfterAllocatingJobRestedMiB = mib(await restedRss());
await kc.stop();
console.log(JSON.stringify({ idleRestedMiB, idleAfterAllocatingJobRestedMiB }));
