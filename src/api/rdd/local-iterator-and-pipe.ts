import type * as ChildProcess from 'node:child_process';

import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { collectPartitions } from './actions.js';
import type { RDD } from './rdd.js';
import { mapPartitions } from './shaping-transformations.js';

/**
 * Spark's `toLocalIterator`: the records in partition order, one job per partition, so the driver holds one
 * partition at a time. Partitions are computed when the iteration reaches them (a dataset that changes in between
 * shows its new state). With `prefetchPartitions` (PySpark's), the job of partition p + 1 runs while the caller
 * consumes partition p: two jobs' worth of threads busy instead of one, for one more partition held. A prefetched
 * partition the caller never reaches (it stopped early) is computed and dropped.
 */
export async function* toLocalIterator<T>(rdd: RDD<T>, prefetchPartitions = false): AsyncGenerator<T, void, undefined> {
  const partitions = rdd.getNumPartitions();
  if (!prefetchPartitions) {
    for (let p = 0; p < partitions; p++) yield* await collectPartitions(rdd, [p]);
    return;
  }
  // A job that fails while the one before it is still consumed is rejected before anyone awaits it: handled at once,
  // so that is not an unhandled rejection (which ends the process), and awaiting it still throws its error. A
  // prefetched job the caller never reaches (it stopped early) ends the same way, unseen.
  const collect = (p: number): Promise<T[]> => {
    const records = collectPartitions(rdd, [p]);
    records.catch(() => {});
    return records;
  };
  let next = partitions > 0 ? collect(0) : null;
  for (let p = 0; next !== null; p++) {
    const current = next;
    next = p + 1 < partitions ? collect(p + 1) : null;
    yield* await current;
  }
}

/** Options of `pipe`. All optional. */
export interface PipeOptions {
  /** Environment variables added to the worker's (a copy of the driver's at thread start) for the command. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Fail the task when the command exits with a non-zero status or a signal. PySpark's `checkCode` defaults to
   * false; kindling checks by default, since a failed command's partial output is rarely what anyone wants.
   * @default true
   */
  readonly checkCode?: boolean;
}

// Captured by `pipePartition` in the workers; declared here so its source type-checks.
declare const command: string;
declare const env: Readonly<Record<string, string>>;
declare const checkCode: boolean;

/**
 * Runs in the workers: the partition's records as lines (`String(record)` and `\n` each) on the command's standard
 * input, its standard output's lines as records. The command runs through the shell (`/bin/sh -c`).
 */
function pipePartition(index: number, records: Iterable<unknown>): string[] {
  const childProcess = process.getBuiltinModule('node:child_process') as typeof ChildProcess;
  let input = '';
  for (const record of records) input += String(record) + '\n';
  const result = childProcess.spawnSync(command, {
    shell: true,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 2 ** 31,
  });
  // EPIPE: the command ended without reading all its input (as `echo x` does); its status still decides.
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code !== 'EPIPE') {
    throw new Error(`pipe(): cannot run ${JSON.stringify(command)} for partition ${index}: ${result.error.message}`);
  }
  if (checkCode && (result.status !== 0 || result.signal !== null)) {
    const how = result.signal !== null ? `was killed by ${result.signal}` : `exited with status ${result.status}`;
    const stderr = result.stderr.trim().slice(-2000);
    throw new Error(
      `pipe(): ${JSON.stringify(command)} ${how} for partition ${index}: expected status 0` +
        (stderr === '' ? '' : `; its standard error ends: ${stderr}`),
    );
  }
  const lines = result.stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Spark's `pipe`: each partition's records through an external command, one line per record in and one record
 * per line out. A command that cannot start, or (by default) exits non-zero, fails the task with its status and
 * the end of its standard error. WARNING: a partition's input and output are held in memory while it runs.
 */
export function pipe<T>(rdd: RDD<T>, commandArg: string, options: PipeOptions = {}): RDD<string> {
  if (typeof commandArg !== 'string' || commandArg.trim() === '') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `pipe() expects a command string, found ${describeValue(commandArg)}`,
    );
  }
  const envArg = options.env ?? {};
  if (typeof envArg !== 'object' || Object.values(envArg).some((v) => typeof v !== 'string')) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `pipe(): env must map names to strings, found ${describeValue(envArg)}`,
    );
  }
  const captures = { command: commandArg, env: { ...envArg }, checkCode: options.checkCode !== false };
  return mapPartitions<string>(rdd, pipePartition, true, captures, { label: 'pipe' });
}
