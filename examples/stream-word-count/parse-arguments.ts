/** The command line of `kindling-stream-wordcount`, parsed into a plain object (no I/O here). */
import { CRASH_POINTS, type CrashAt } from '../../src/streaming/crash-points.js';

export interface StreamWordCountArguments {
  readonly help: boolean;
  readonly input: string | null;
  readonly out: string | null;
  readonly checkpoint: string | null;
  /** Watch forever (processing-time trigger), or process what is there and exit. */
  readonly trigger: { readonly processingTimeMs: number } | { readonly availableNow: true };
  readonly maxFilesPerTrigger: number | undefined;
  readonly threads: number;
  readonly outputMode: 'update' | 'complete';
  readonly snapshotEveryDeltas: number | undefined;
  readonly minBatchesToRetain: number | undefined;
  readonly statePartitions: number | undefined;
  readonly crashAt: CrashAt | null;
  readonly quiet: boolean;
}

/** A command line that cannot be run: the message says what was expected and what was found. */
export class UsageError extends Error {}

export function usageText(threads: number): string {
  return `Usage: kindling-stream-wordcount <input-folder> --out <folder> --checkpoint <folder> [options]

Counts the words of the text files that appear in <input-folder>, exactly once, and writes the changed
counts of each micro-batch as JSON lines to <out>/batch=<N>/part-<P>.jsonl. Stop it (Ctrl-C or kill -9)
and start it again with the same --checkpoint: it continues where it was, and the output is exactly that
of a run never stopped. Move files into the folder whole (write elsewhere, then rename).

Options:
  --out <folder>               where the batches go (required)
  --checkpoint <folder>        the query's checkpoint (required)
  --available-now              process the files there now, then exit (default: keep watching)
  --interval-ms <n>            with watching, a batch at most every n ms (default 1000)
  --max-files-per-trigger <n>  at most n new files per batch (default: no limit)
  --complete                   write every count in every batch (default: the changed ones)
  --threads <n>                worker threads (default ${threads})
  --state-partitions <n>       state partitions (fixed once the checkpoint exists)
  --snapshot-every <n>         a state snapshot every n batches (default 10)
  --retain <n>                 keep what rebuilds the last n versions (default 100)
  --crash-at <point>:<batch>   fault injection: kill -9 this process at that step (${CRASH_POINTS.join(', ')})
  --quiet                      no progress lines on stderr
  --help                       this text
`;
}

export function parseStreamWordCountArguments(
  argv: readonly string[],
  defaults: { threads: number },
): StreamWordCountArguments {
  let input: string | null = null;
  let out: string | null = null;
  let checkpoint: string | null = null;
  let availableNow = false;
  let intervalMs = 1000;
  let maxFilesPerTrigger: number | undefined;
  let threads = defaults.threads;
  let outputMode: 'update' | 'complete' = 'update';
  let snapshotEveryDeltas: number | undefined;
  let minBatchesToRetain: number | undefined;
  let statePartitions: number | undefined;
  let crashAt: CrashAt | null = null;
  let quiet = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} expects a value, found the end of the command line`);
      return next;
    };
    const count = (min: number): number => {
      const text = value();
      const n = Number(text);
      if (!Number.isInteger(n) || n < min)
        throw new UsageError(`${arg} expects an integer >= ${min}, found ${JSON.stringify(text)}`);
      return n;
    };
    switch (arg) {
      case '--out':
        out = value();
        break;
      case '--checkpoint':
        checkpoint = value();
        break;
      case '--available-now':
        availableNow = true;
        break;
      case '--interval-ms':
        intervalMs = count(0);
        break;
      case '--max-files-per-trigger':
        maxFilesPerTrigger = count(1);
        break;
      case '--complete':
        outputMode = 'complete';
        break;
      case '--threads':
        threads = count(0);
        break;
      case '--state-partitions':
        statePartitions = count(1);
        break;
      case '--snapshot-every':
        snapshotEveryDeltas = count(1);
        break;
      case '--retain':
        minBatchesToRetain = count(1);
        break;
      case '--crash-at': {
        const text = value();
        const match = /^([a-z-]+):(\d+)$/.exec(text);
        if (match === null || !(CRASH_POINTS as readonly string[]).includes(match[1]!)) {
          throw new UsageError(
            `--crash-at expects <point>:<batch> with point one of ${CRASH_POINTS.join(', ')}, found ${JSON.stringify(text)}`,
          );
        }
        crashAt = { point: match[1] as CrashAt['point'], batchId: Number(match[2]) };
        break;
      }
      case '--quiet':
        quiet = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} (see --help)`);
        if (input !== null)
          throw new UsageError(`expected one input folder, found ${JSON.stringify(input)} and ${JSON.stringify(arg)}`);
        input = arg;
    }
  }
  if (!help) {
    if (input === null) throw new UsageError('expected an input folder to watch (see --help)');
    if (out === null) throw new UsageError('expected --out <folder>');
    if (checkpoint === null) throw new UsageError('expected --checkpoint <folder>');
  }
  return {
    help,
    input,
    out,
    checkpoint,
    trigger: availableNow ? { availableNow: true } : { processingTimeMs: intervalMs },
    maxFilesPerTrigger,
    threads,
    outputMode,
    snapshotEveryDeltas,
    minBatchesToRetain,
    statePartitions,
    crashAt,
    quiet,
  };
}
