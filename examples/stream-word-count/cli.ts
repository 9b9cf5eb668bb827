#!/usr/bin/env node
/**
 * `kindling-stream-wordcount`: a stateful streaming word count over a folder, exactly once across kill -9. See
 * `usageText` in parse-arguments.ts and the README's Streaming section.
 */
import { availableParallelism } from 'node:os';
import { Context, KindlingError } from '../../src/index.js';
import {
  parseStreamWordCountArguments,
  usageText,
  UsageError,
  type StreamWordCountArguments,
} from './parse-arguments.js';

const NAME = 'kindling-stream-wordcount';

async function main(argv: readonly string[]): Promise<number> {
  let args: StreamWordCountArguments;
  try {
    args = parseStreamWordCountArguments(argv, { threads: availableParallelism() });
  } catch (error: unknown) {
    return reportError(error);
  }
  if (args.help) {
    process.stdout.write(usageText(availableParallelism()));
    return 0;
  }
  const kc = new Context({ threads: args.threads });
  try {
    const writer = kc.readStream
      .textFiles(
        args.input!,
        args.maxFilesPerTrigger === undefined ? {} : { maxFilesPerTrigger: args.maxFilesPerTrigger },
      )
      .flatMap((line: string) => line.split(/\s+/))
      .filter((word: string) => word.length > 0)
      .map((word: string) => [word, 1] as [string, number])
      // Counted within the batch first (map-side combine), into the state's partitions: no second shuffle.
      .reduceByKey((a: number, b: number) => a + b, args.statePartitions ?? kc.options.defaultParallelism)
      .updateStateByKey(
        (counts: number[], total: number | undefined) => (total ?? 0) + counts.reduce((a, b) => a + b, 0),
        args.statePartitions === undefined ? {} : { numPartitions: args.statePartitions },
      )
      .writeStream.outputMode(args.outputMode)
      .trigger(args.trigger)
      .option('checkpointLocation', args.checkpoint!)
      .format('jsonl');
    if (args.snapshotEveryDeltas !== undefined) writer.option('snapshotEveryDeltas', args.snapshotEveryDeltas);
    if (args.minBatchesToRetain !== undefined) writer.option('minBatchesToRetain', args.minBatchesToRetain);
    if (args.crashAt !== null) writer.option('crashAt', args.crashAt);
    const query = writer.start(args.out!);
    const stop = (): void => {
      // Graceful: the running batch finishes and commits, then the process exits.
      void query.stop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let reported = -1;
    const report = (): void => {
      for (const progress of query.recentProgress) {
        if (progress.batchId <= reported) continue;
        reported = progress.batchId;
        process.stderr.write(
          `${NAME}: batch ${progress.batchId}${progress.recovered ? ' (recovered)' : ''}: ${progress.numInputRows} lines, ${progress.sink.numOutputRows} counts written, ${progress.stateOperators[0]?.numRowsTotal ?? 0} words in state, ${Math.round(progress.durationMs.total)} ms\n`,
        );
      }
    };
    const timer = args.quiet ? null : setInterval(report, 200);
    try {
      await query.awaitTermination();
    } finally {
      if (timer !== null) clearInterval(timer);
      if (!args.quiet) report();
    }
    if (!args.quiet) {
      const batches = query.recentProgress.length;
      process.stderr.write(`${NAME}: done, ${batches} batch${batches === 1 ? '' : 'es'} in this run\n`);
    }
    return 0;
  } catch (error: unknown) {
    return reportError(error);
  } finally {
    await kc.stop();
  }
}

function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${NAME}: ${error.message}\n`);
    return 2;
  }
  if (error instanceof KindlingError) {
    const cause =
      error.cause instanceof Error && !error.message.includes(error.cause.message)
        ? `\n  caused by: ${error.cause.message}`
        : '';
    process.stderr.write(`${NAME}: ${error.message} [${error.code}]${cause}\n`);
    return 1;
  }
  process.stderr.write(
    `${NAME}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
