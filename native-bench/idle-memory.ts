#!/usr/bin/env node
/**
 * What a Context costs at rest (issue 11's "idle 2-thread Context" target): RSS of this process before kindling is
 * imported, after the import, and after `new Context({ threads })` has run one tiny job (so its worker threads are
 * started and have run a task) and the heaps have been collected. Each figure is taken after three full GCs 200 ms
 * apart, so garbage of the start-up does not count.
 *
 *   node --expose-gc dist/native-bench/idle-memory.js [--threads 2] [--index <path to a build's src/index.js>]
 *     [--worker-idle-timeout-ms N]
 *
 * `--index` measures another build (e.g. an older commit's dist) with the same script; `--threads -1` stops after
 * the import; `--worker-idle-timeout-ms N` sets that Context option and measures after the threads have ended
 * (N ms plus a second). Prints one JSON line: threads, baseMiB, importMiB, idleMiB.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { Context as ContextClass } from '../src/index.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    index: { type: 'string' },
    'worker-idle-timeout-ms': { type: 'string' },
  },
});
const threads = Number(values.threads);
const idleTimeoutMs =
  values['worker-idle-timeout-ms'] === undefined ? undefined : Number(values['worker-idle-timeout-ms']);
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

const MiB = 2 ** 20;
await settle();
const base = process.memoryUsage().rss;
const index = values.index === undefined ? '../src/index.js' : pathToFileURL(values.index).href;
const { Context } = (await import(index)) as { Context: typeof ContextClass };
await settle();
const imported = process.memoryUsage().rss;
let idle = imported;
if (threads >= 0) {
  const kc = new Context(idleTimeoutMs === undefined ? { threads } : { threads, workerIdleTimeoutMs: idleTimeoutMs });
  const partitions = Math.max(threads, 1);
  await kc.range(0, partitions, 1, partitions).count();
  if (idleTimeoutMs !== undefined) await new Promise((resolve) => setTimeout(resolve, idleTimeoutMs + 1000));
  await settle();
  idle = process.memoryUsage().rss;
  await kc.stop();
}
const mib = (bytes: number): number => Number((bytes / MiB).toFixed(1));
console.log(
  JSON.stringify({ threads, idleTimeoutMs, baseMiB: mib(base), importMiB: mib(imported), idleMiB: mib(idle) }),
);
