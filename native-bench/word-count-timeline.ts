#!/usr/bin/env node
/**
 * Where a columnar word count's threads wait: runs the job once with an event listener and prints, per stage, each
 * thread's busy time (the executor time of its tasks), its idle time within the stage (the stage's wall time minus
 * that), and the stage's tail (from the first thread to finish its last task to the stage's end, when only one
 * thread still works). Issue 11 asks what keeps 2 threads from 1.9× one.
 *
 *   node dist/native-bench/word-count-timeline.js <threads> <path>…
 *
 * The job is the word-count CLI's (`examples/word-count/cli.js <path>…`): its shuffle budget, its top 20.
 * First it prints the process's phases (ms since the process started, and the CPU of all its threads by then):
 * imports loaded, Context made, the first task's start, each stage's end, the job's end, the Context stopped. What
 * lies outside the stages is serial whatever the threads (issue 11's S); the time from here to the process's exit
 * is the outer wall time (`/usr/bin/time`) minus the last phase.
 */
import { col, Context } from '../src/index.js';
import { countWordsColumnar } from '../examples/word-count/count-words.js';

interface TaskSpan {
  readonly stageId: number;
  readonly partition: number;
  readonly threadId: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly executorMs: number;
  readonly spillBytes: number;
  readonly gcMs: number;
}

/** ms since the process started, and the CPU (user + system) of all its threads so far. */
function phase(name: string): string {
  const cpu = process.cpuUsage();
  return `${name} ${performance.now().toFixed(0)} (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)})`;
}

async function main(): Promise<void> {
  const phases = [phase('imported')];
  const [threadsText, ...paths] = process.argv.slice(2);
  const threads = Number(threadsText);
  if (!Number.isSafeInteger(threads) || threads < 1) throw new Error(`threads must be >= 1, found '${threadsText}'`);
  // The CLI's job: its shuffle budget (cli.ts) and its top 20 by the columnar sort.
  const kc = new Context({ threads, shuffleMemoryBytesMax: 16 * 1024 * 1024 });
  phases.push(phase('context'));
  const spans: TaskSpan[] = [];
  let firstTaskStartMs = Infinity;
  const stages = new Map<number, { startMs: number; endMs: number; label: string }>();
  kc.onEvent((e) => {
    if (e.kind === 'stage-submitted') stages.set(e.stageId, { startMs: e.timeMs, endMs: NaN, label: e.label });
    if (e.kind === 'stage-completed') {
      stages.get(e.stageId)!.endMs = e.timeMs;
      phases.push(phase(`stage ${e.stageId} end`));
    }
    if (e.kind === 'task-end' && e.metrics !== null) {
      firstTaskStartMs = Math.min(firstTaskStartMs, e.timeMs - e.metrics.executorMs);
      spans.push({
        stageId: e.stageId,
        partition: e.partition,
        threadId: e.metrics.threadId,
        // The attempt's own time on its thread; `durationMs` also counts its wait in the pool's queue.
        startMs: e.timeMs - e.metrics.executorMs,
        endMs: e.timeMs,
        executorMs: e.metrics.executorMs,
        spillBytes: e.metrics.spillBytes,
        gcMs: e.metrics.gcMs,
      });
    }
  });
  const startedMs = performance.now();
  // Events carry `Date.now()` times.
  const startedEpochMs = Date.now();
  const counts = countWordsColumnar(kc, paths, { lower: false, minLength: 1 });
  const top = await counts.orderBy(col('count').desc(), 'word').limit(20).collect();
  const distinct = top.length;
  const wallMs = performance.now() - startedMs;
  phases.push(phase('job end'));
  await kc.stop();
  phases.push(phase('stopped'));
  process.stdout.write(`distinct ${distinct}, wall ${wallMs.toFixed(0)} ms, ${threads} thread(s)\n`);
  process.stdout.write(`phases (ms since process start): ${phases.join(', ')}\n`);
  process.stdout.write(`first task starts ${(firstTaskStartMs - startedEpochMs).toFixed(0)} ms into the job\n`);
  for (const [stageId, stage] of stages) {
    const mine = spans.filter((s) => s.stageId === stageId);
    const stageMs = stage.endMs - stage.startMs;
    const spillMiB = mine.reduce((sum, s) => sum + s.spillBytes, 0) / 2 ** 20;
    const gcMs = mine.reduce((sum, s) => sum + s.gcMs, 0);
    process.stdout.write(
      `stage ${stageId} (${stage.label}): ${mine.length} tasks, ${stageMs.toFixed(0)} ms, ` +
        `spilled ${spillMiB.toFixed(1)} MiB, GC ${gcMs.toFixed(0)} ms\n`,
    );
    const byThread = new Map<number, TaskSpan[]>();
    for (const s of mine) byThread.set(s.threadId, [...(byThread.get(s.threadId) ?? []), s]);
    const lastEnds: number[] = [];
    for (const [threadId, list] of byThread) {
      const busy = list.reduce((sum, s) => sum + s.executorMs, 0);
      const lastEnd = Math.max(...list.map((s) => s.endMs));
      lastEnds.push(lastEnd);
      const tasks = list
        .sort((a, b) => a.startMs - b.startMs)
        .map((s) => `p${s.partition} ${(s.startMs - stage.startMs).toFixed(0)}+${s.executorMs.toFixed(0)}`)
        .join(', ');
      process.stdout.write(
        `  thread ${threadId}: busy ${busy.toFixed(0)} ms, idle ${(stageMs - busy).toFixed(0)} ms; ${tasks}\n`,
      );
    }
    if (lastEnds.length > 1) {
      process.stdout.write(`  tail (one thread alone): ${(stage.endMs - Math.min(...lastEnds)).toFixed(0)} ms\n`);
    }
  }
}

await main();
