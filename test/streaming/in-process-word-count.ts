/** The streaming word count run in this process (inline backend), for tests that check errors and files, not kills. */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, StreamCheckpointCorruptError, type FaultsOption, type StreamingQuery } from '../../src/index.js';
import { committedOutput, type QueryDirs } from './stream-fixtures.js';

export interface InProcessOptions {
  readonly outputMode?: 'update' | 'complete';
  readonly maxFilesPerTrigger?: number;
  readonly threads?: number;
  readonly faults?: FaultsOption;
  /** Attempts per task (the Context's `taskAttemptsMax`). */
  readonly taskAttemptsMax?: number;
}

/** Runs the word count over what is in `dirs.input` now and resolves when it ends (or rejects with its error). */
export async function runWordCountInProcess(
  dirs: QueryDirs,
  options: InProcessOptions = {},
  onStopped: (kc: Context) => void = () => {},
): Promise<StreamingQuery> {
  const kc = new Context({
    threads: options.threads ?? 0,
    taskTimeoutMs: 10_000,
    ...(options.taskAttemptsMax === undefined ? {} : { taskAttemptsMax: options.taskAttemptsMax }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
  try {
    const query = kc.readStream
      .textFiles(dirs.input, { maxFilesPerTrigger: options.maxFilesPerTrigger ?? 1 })
      .flatMap((line: string) => line.split(/\s+/))
      .filter((word: string) => word.length > 0)
      .map((word: string) => [word, 1])
      .updateStateByKey((counts: number[], total: number | undefined) => (total ?? 0) + counts.length, {
        numPartitions: 2,
      })
      .writeStream.outputMode(options.outputMode ?? 'update')
      .trigger({ availableNow: true })
      .option('checkpointLocation', dirs.checkpoint)
      .option('snapshotEveryDeltas', 3)
      .option('minBatchesToRetain', 2)
      .format('jsonl')
      .start(dirs.out);
    await query.awaitTermination();
    return query;
  } finally {
    onStopped(kc);
    await kc.stop();
  }
}

/**
 * Adds a file to `dirs.input` (so a restart would have a batch to run), restarts the word count, and checks that the
 * restart was refused for the missing checkpoint file `missing` and wrote nothing. Returns the error.
 */
export async function expectRestartRefusedForMissing(
  dirs: QueryDirs,
  missing: string,
): Promise<StreamCheckpointCorruptError> {
  writeFileSync(join(dirs.input, 'zz-new.txt'), 'new words would make a batch\n');
  const before = committedOutput(dirs.out);
  const error = await runWordCountInProcess(dirs).then(
    () => null,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof StreamCheckpointCorruptError, `expected the restart to fail, found ${String(error)}`);
  assert.equal(error.file, missing);
  assert.equal(error.found, 'no file');
  assert.equal(committedOutput(dirs.out), before, 'nothing written');
  return error;
}
