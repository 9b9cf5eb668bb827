#!/usr/bin/env node
/**
 * What a Context costs at rest (issue 11's "idle 2-thread Context" target), in two states:
 * - threads alive: RSS after `new Context({ threads, workerIdleTimeoutMs })` has run one tiny job (its worker threads
 *   started and ran a task) and the heaps have been collected, well within the idle timeout;
 * - after the idle timeout: RSS once every worker thread has ended for idleness (waited on the pool's thread events,
 *   not on a guessed delay) and the heaps have been collected.
 * - after an allocating job: RSS once the same Context has then (last, threads alive) run an RDD job that allocates
 *   a JavaScript pair per record over a million keys, as a word count on the RDD path does: what the workers' heaps
 *   keep after such a job (measured before the idle timeout).
 * - rested: `idleRestedMiB` and `idleAfterAllocatingJobRestedMiB`, from idle-memory-rested.ts run in a process of
 *   its own after this one's figures: the first and last states with threads alive, after 15 s more of rest with no
 *   collection forced, once V8's memory reducers have run (as in a process that sits idle).
 * Also the wall time of the same tiny job with threads alive and right after they ended (the cost of idle threads
 * ending: the next job starts threads again). Each RSS figure is taken after three full GCs 200 ms apart, so garbage
 * of the start-up does not count.
 *
 *   node --expose-gc dist/native-bench/idle-memory.js [--threads 2] [--worker-idle-timeout-ms 5000]
 *     [--index <path to a build's src/index.js>]
 *
 * `--index` measures another build (e.g. an older commit's dist) with the same script (a build that publishes no
 * thread events is waited for the timeout plus a second); `--threads -1` stops after the import. Prints one JSON
 * line: threads, idleTimeoutMs, baseMiB, importMiB, idleMiB (threads alive), idleAfterAllocatingJobMiB,
 * idleAfterTimeoutMiB, warmJobMs, jobAfterIdleMs, idleRestedMiB, idleAfterAllocatingJobRestedMiB.
 */
import { spawnSync } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context as ContextClass } from '../src/index.js';
import { mib, runAllocatingJob, tinyJobMs as timeTinyJob } from './idle-memory-jobs.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    index: { type: 'string' },
    'worker-idle-timeout-ms': { type: 'string', default: '5000' },
  },
});
const threads = Number(values.threads);
const idleTimeoutMs = Number(values['worker-idle-timeout-ms']);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('idle-memory: run with node --expose-gc, so the figures do not count uncollected garbage');
  process.exit(2);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Live worker threads, from the pool's diagnostics channel (WORKER_THREADS_CHANNEL in backend/piscina-backend.ts). */
const alive = new Set<number>();
let threadEventsSeen = false;
let onEnded = (): void => {};
subscribe('kindling:worker-threads', (message: unknown) => {
  const { threadId, event } = message as { threadId: number; event: string };
  threadEventsSeen = true;
  if (event === 'started') alive.add(threadId);
  if (event === 'ended') alive.delete(threadId);
  if (event === 'ended' && alive.size === 0) onEnded();
});

await settle();
const base = process.memoryUsage().rss;
const index = values.index === undefined ? '../src/index.js' : pathToFileURL(values.index).href;
const { Context } = (await import(index)) as { Context: typeof ContextClass };
await settle();
const imported = process.memoryUsage().rss;
const figures: Record<string, number | null> = {
  idleMiB: null,
  idleAfterAllocatingJobMiB: null,
  idleAfterTimeoutMiB: null,
};
if (threads >= 0) {
  const kc = new Context({ threads, workerIdleTimeoutMs: idleTimeoutMs });
  const partitions = Math.max(threads, 1);
  const tinyJobMs = (): Promise<number> => timeTinyJob(kc, partitions);
  const allEnded = new Promise<void>((resolve) => (onEnded = resolve));
  await tinyJobMs();
  figures['warmJobMs'] = await tinyJobMs();
  await settle();
  figures['idleMiB'] = mib(process.memoryUsage().rss);
  if (threads > 0 && threadEventsSeen && alive.size < threads) {
    console.error(`idle-memory: only ${alive.size} of ${threads} threads were alive: raise --worker-idle-timeout-ms`);
  }
  if (threads > 0) {
    // Hold the event loop: the pool's idle timers and threads do not (by design).
    const keepAlive = setInterval(() => {}, 60_000);
    if (threadEventsSeen) await allEnded;
    else await new Promise((resolve) => setTimeout(resolve, idleTimeoutMs + 1000));
    clearInterval(keepAlive);
    await settle();
    figures['idleAfterTimeoutMiB'] = mib(process.memoryUsage().rss);
    figures['jobAfterIdleMs'] = await tinyJobMs();
  }
  // Last, so the figures above stay comparable with earlier runs (its map outputs stay with the driver).
  await runAllocatingJob(kc, partitions);
  await settle();
  figures['idleAfterAllocatingJobMiB'] = mib(process.memoryUsage().rss);
  await kc.stop();
}
if (threads > 0) Object.assign(figures, restedFigures());
console.log(JSON.stringify({ threads, idleTimeoutMs, baseMiB: mib(base), importMiB: mib(imported), ...figures }));

/** The rested figures, measured by idle-memory-rested.js in a process of its own (see there why). */
function restedFigures(): Record<string, number> {
  const script = fileURLToPath(new URL('./idle-memory-rested.js', import.meta.url));
  const args = [script, '--threads', String(threads), ...(values.index === undefined ? [] : ['--index', values.index])];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`idle-memory-rested failed (${child.status}): ${child.stderr.trim()}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}
