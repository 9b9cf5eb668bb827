/**
 * Peak resident memory of one word count, measured in a child process: `/usr/bin/time -v` when the machine has it
 * (the kernel's peak RSS of the whole process), else the child's own `process.resourceUsage().maxRSS`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { WordCountEngine } from './word-count-jobs.js';

const CHILD = fileURLToPath(new URL('./word-count-child.js', import.meta.url));
const TIME = '/usr/bin/time';

/** One child run. */
export interface PeakRss {
  readonly engine: WordCountEngine;
  readonly threads: number;
  readonly distinct: number;
  readonly wallMs: number;
  readonly peakRssBytes: number;
  /** How the peak was read. */
  readonly source: string;
}

/**
 * Runs the word count `engine` with `threads` threads in a child process and returns its peak RSS.
 *
 * @example
 * measurePeakRss('columnar', 2, paths).peakRssBytes;
 */
export function measurePeakRss(engine: WordCountEngine, threads: number, paths: readonly string[]): PeakRss {
  const run = runWithPeakRss(
    [CHILD, engine, String(threads), ...paths],
    `word-count child (${engine}, ${threads} threads)`,
  );
  const reported = JSON.parse(run.line) as { distinct: number; wallMs: number; maxRssBytes: number };
  return {
    engine,
    threads,
    distinct: reported.distinct,
    wallMs: reported.wallMs,
    peakRssBytes: run.peakRssBytes ?? reported.maxRssBytes,
    source: run.peakRssBytes === null ? 'process.resourceUsage().maxRSS' : `${TIME} -v`,
  };
}

/** A child run: its last stdout line, and its peak RSS from `/usr/bin/time -v` (null without it). */
export interface ChildRun {
  readonly line: string;
  readonly peakRssBytes: number | null;
}

/**
 * Runs `node <args>` in a child process, under `/usr/bin/time -v` when the machine has it; throws with the
 * child's stderr (naming `what`) when it fails.
 *
 * @example
 * const { line, peakRssBytes } = runWithPeakRss(['dist/native-bench/out-of-core.js', 'sort', '0', '1e8'], 'sort');
 */
export function runWithPeakRss(args: readonly string[], what: string): ChildRun {
  const useTime = existsSync(TIME);
  const result = useTime
    ? spawnSync(TIME, ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${what} failed: ${result.stderr.trim().slice(-2000)}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!useTime) return { line, peakRssBytes: null };
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (match === null) throw new Error(`no peak RSS in the output of ${TIME} -v`);
  return { line, peakRssBytes: Number(match[1]) * 1024 };
}
