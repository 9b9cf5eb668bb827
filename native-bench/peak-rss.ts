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
  const childArgs = [CHILD, engine, String(threads), ...paths];
  const useTime = existsSync(TIME);
  const result = useTime
    ? spawnSync(TIME, ['-v', process.execPath, ...childArgs], { encoding: 'utf8' })
    : spawnSync(process.execPath, childArgs, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`word-count child (${engine}, ${threads} threads) failed: ${result.stderr.trim().slice(-2000)}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  const reported = JSON.parse(line) as { distinct: number; wallMs: number; maxRssBytes: number };
  let peakRssBytes = reported.maxRssBytes;
  let source = 'process.resourceUsage().maxRSS';
  if (useTime) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
    if (match === null) throw new Error(`no peak RSS in the output of ${TIME} -v`);
    peakRssBytes = Number(match[1]) * 1024;
    source = `${TIME} -v`;
  }
  return { engine, threads, distinct: reported.distinct, wallMs: reported.wallMs, peakRssBytes, source };
}
