/**
 * Shared by the event-time window tests: seeded event files (one batch each), the query they run
 * (`reduceByKeyAndWindow` counting events per key and window), and a plain model of the watermark rules that gives
 * what each batch must emit.
 */
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/common/rng.js';
import type { KilledQuery } from './kill-runner.js';
import { runNodeScript } from './stream-fixtures.js';

/** The compiled query process (tests run from dist/test/streaming/). */
export const EVENT_WINDOWS_RUNNER = fileURLToPath(new URL('./event-windows-runner.js', import.meta.url));

/** The windows every test query uses: 10 s windows starting every 5 s, events up to 3 s late still count. */
export const WINDOW = { windowMs: 10_000, slideMs: 5_000, watermarkDelayMs: 3_000 } as const;

/** One event of the seeded input. */
export interface TestEvent {
  readonly user: string;
  readonly ts: number;
}

/**
 * `files` files of seeded events, one batch each with `maxFilesPerTrigger: 1` (modification times one second
 * apart, oldest first). Event time moves forward ~4 s a file; most events are a little out of order, and about
 * one in eight is up to 12 s old (some of those late, some not).
 */
export function writeEventFiles(dir: string, seed: number, files: number, eventsPerFile: number): TestEvent[][] {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const base = Date.UTC(2026, 0, 1) / 1000;
  const batches: TestEvent[][] = [];
  for (let f = 0; f < files; f++) {
    const events: TestEvent[] = [];
    for (let e = 0; e < eventsPerFile; e++) {
      const now = f * 4_000 + Math.floor(rng.nextFloat() * 4_000);
      const ts = rng.nextFloat() < 0.125 ? now - Math.floor(rng.nextFloat() * 12_000) : now;
      events.push({ user: `u${Math.floor(rng.nextFloat() * 5)}`, ts });
    }
    batches.push(events);
    const path = join(dir, `events-${String(f).padStart(3, '0')}.jsonl`);
    writeFileSync(path, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
    utimesSync(path, base + f, base + f);
  }
  return batches;
}

/** The windows of a model run. */
export interface ModelWindow {
  readonly windowMs: number;
  readonly slideMs: number;
  readonly watermarkDelayMs: number;
}

/**
 * What each batch emits, by the rules kindling follows (Spark's): batch N drops events of windows that end at or
 * before its watermark W(N), adds the rest, then drops the windows ending at or before W(N) (emitting them in
 * `append` mode; `update` mode emits the windows the batch's events changed, with their new counts);
 * W(N + 1) = max(W(N), latest event time so far - delay). After the last file, batches without data run while the
 * watermark closes an open window. Each batch's lines are `JSON.stringify([[user, windowStartMs], count])`, sorted.
 */
export function modelOutput(
  batches: readonly (readonly TestEvent[])[],
  mode: 'append' | 'update' = 'append',
  window: ModelWindow = WINDOW,
): string[][] {
  return modelRun(batches, mode, window).lines;
}

/** Each batch of a model run: its lines (as `modelOutput`), the watermark it ran with, and the records it dropped. */
export function modelRun(
  batches: readonly (readonly TestEvent[])[],
  mode: 'append' | 'update',
  window: ModelWindow,
): { lines: string[][]; watermarks: (number | null)[]; lateRows: number[]; open: string[] } {
  const { windowMs, slideMs, watermarkDelayMs } = window;
  const open = new Map<string, number>();
  const emitted: string[][] = [];
  const watermarks: (number | null)[] = [];
  const lateRows: number[] = [];
  let watermarkMs: number | null = null;
  let latestMs: number | null = null;
  const line = (key: string): string => JSON.stringify([JSON.parse(key), open.get(key)]);
  const runBatch = (events: readonly TestEvent[]): void => {
    const changed = new Set<string>();
    watermarks.push(watermarkMs);
    let late = 0;
    for (const { user, ts } of events) {
      latestMs = latestMs === null ? ts : Math.max(latestMs, ts);
      const newest = ts - mod(ts, slideMs);
      for (let start = newest; start > ts - windowMs; start -= slideMs) {
        if (watermarkMs !== null && start + windowMs <= watermarkMs) {
          if (start === newest) late++;
          break;
        }
        const key = JSON.stringify([user, start]);
        open.set(key, (open.get(key) ?? 0) + 1);
        changed.add(key);
      }
    }
    const lines = mode === 'update' ? [...changed].map(line) : [];
    for (const key of [...open.keys()]) {
      const [, start] = JSON.parse(key) as [string, number];
      if (watermarkMs !== null && start + windowMs <= watermarkMs) {
        if (mode === 'append') lines.push(line(key));
        open.delete(key);
      }
    }
    emitted.push(lines.sort());
    lateRows.push(late);
    if (latestMs !== null) {
      const candidate = latestMs - watermarkDelayMs;
      watermarkMs = watermarkMs === null ? candidate : Math.max(watermarkMs, candidate);
    }
  };
  for (const events of batches) runBatch(events);
  const closes = (): boolean =>
    watermarkMs !== null &&
    [...open.keys()].some((key) => (JSON.parse(key) as [string, number])[1] + windowMs <= watermarkMs!);
  while (closes()) runBatch([]);
  // The windows left open at the end, as `JSON.stringify([user, windowStartMs, count])`, sorted.
  const left = [...open].map(([key, count]) => JSON.stringify([...(JSON.parse(key) as [string, number]), count]));
  return { lines: emitted, watermarks, lateRows, open: left.sort() };
}

/** `modelOutput` in `append` mode with the test windows. */
export function modelAppendOutput(batches: readonly (readonly TestEvent[])[]): string[][] {
  return modelOutput(batches, 'append', WINDOW);
}

function mod(value: number, divisor: number): number {
  const remainder = value % divisor;
  return remainder < 0 ? remainder + divisor : remainder;
}

/** The events of the files `writeEventFiles` wrote into `dir`, a batch per file in order. */
export function readEventFiles(dir: string): TestEvent[][] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as TestEvent),
    );
}

/** Each batch's lines in `committedOutput` text, sorted (part files are per state partition: only the set is defined). */
export function linesByBatchOf(output: string): string[][] {
  const batches: string[][] = [];
  let current: string[] | null = null;
  for (const line of output.split('\n')) {
    const header = /^== batch=(\d+)\//.exec(line);
    if (header !== null) current = batches[Number(header[1])] ??= [];
    else if (line.length > 0) current!.push(line);
  }
  return Array.from(batches, (lines) => (lines ?? []).sort());
}

/** Why batch-by-batch `found` is not the model's `expected` (null when it is). */
export function differenceFromModel(found: readonly string[][], expected: readonly string[][]): string | null {
  for (let batch = 0; batch < Math.max(found.length, expected.length); batch++) {
    const a = JSON.stringify(found[batch] ?? []);
    const b = JSON.stringify(expected[batch] ?? []);
    if (a !== b) return `batch ${batch} emitted ${a}, the watermark rules give ${b}`;
  }
  return null;
}

/** The event-time window count (`event-windows-runner.ts`) for the kill -9 suite. */
export const EVENT_WINDOW_COUNT: KilledQuery = {
  writeInput: (dir, seed) => void writeEventFiles(dir, seed, 10, 30),
  run: (dirs, killAfterMs) => runNodeScript(EVENT_WINDOWS_RUNNER, [dirs.input, dirs.out, dirs.checkpoint], killAfterMs),
  referenceError: (output, input) =>
    differenceFromModel(linesByBatchOf(output), modelAppendOutput(readEventFiles(input))),
};
