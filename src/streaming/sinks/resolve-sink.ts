import { resolve } from 'node:path';
import type { Block } from '../../protocol/block.js';
import type { SinkModuleRef } from '../../protocol/task.js';
import type { SinkCommitContext, TwoPhaseCommitSink } from '../../protocol/sink.js';
import { StreamingQueryError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { decodeBlock } from '../../storage/blocks/block-reader.js';
import { fileSink } from './file-sink.js';
import { FILE_SINK_FORMATS, type FileSinkFormat } from './record-formats.js';
import { describePostgresTarget, resolvePostgresSinkOptions } from './postgres/postgres-options.js';

/** What the driver does after the tasks prepared a batch for a sink that is not two-phase (its output is in memory). */
export type DeliverBatch = (batchId: number, blocks: readonly Block[]) => Promise<void>;

/** A sink as a query runs it. */
export interface ResolvedSink {
  /** For the fingerprint and messages (`jsonl files at /abs/out`). */
  readonly description: string;
  /** The module the workers import for `prepare`. */
  readonly ref: SinkModuleRef;
  /** What `prepare`, `commit` and `abort` receive as `options`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Two-phase: handles are durable and a recorded batch is rolled forward after a crash. */
  readonly twoPhase: boolean;
  /** The driver side of a two-phase sink (commit, abort, open). */
  driver(): Promise<TwoPhaseCommitSink>;
  /** For sinks that are not two-phase: hands the batch to its consumer. */
  readonly deliver: DeliverBatch | null;
}

const builtinUrl = (file: string): string => new URL(file, import.meta.url).href;

/** The built-in file sink writing `format` files under `path`. */
export function fileSinkOf(format: FileSinkFormat, path: string | undefined): ResolvedSink {
  if (typeof path !== 'string' || path.length === 0) {
    throw new StreamingQueryError(
      'ERR_STREAM_SINK',
      `the ${format} file sink needs a path: writeStream.format('${format}').start('out/path')`,
    );
  }
  const absolute = resolve(path);
  return {
    description: `${format} files at ${absolute}`,
    ref: { moduleUrl: builtinUrl('./file-sink.js'), exportName: 'fileSink' },
    options: { path: absolute, format },
    twoPhase: true,
    driver: () => Promise.resolve(fileSink as TwoPhaseCommitSink),
    deliver: null,
  };
}

/**
 * The built-in PostgreSQL sink (`format('postgres')`): options checked here, on the driver; the sink module itself
 * imports the optional `pg` package only when it runs.
 */
export function postgresSinkOf(given: Readonly<Record<string, unknown>>): ResolvedSink {
  const options = resolvePostgresSinkOptions(given);
  const driver = (): Promise<TwoPhaseCommitSink> =>
    import('./postgres/postgres-sink.js').then((module) => module.postgresSink as TwoPhaseCommitSink);
  return {
    description: describePostgresTarget(options),
    ref: { moduleUrl: builtinUrl('./postgres/postgres-sink.js'), exportName: 'postgresSink' },
    options: options as unknown as Readonly<Record<string, unknown>>,
    twoPhase: true,
    driver,
    deliver: null,
  };
}

/** A user's two-phase-commit sink module (`format(kc.fn(url, 'sink'))`). */
export function moduleSinkOf(ref: SinkModuleRef, options: Readonly<Record<string, unknown>>): ResolvedSink {
  return {
    description: `sink ${ref.exportName} of ${ref.moduleUrl}`,
    ref,
    options,
    twoPhase: true,
    driver: async () => {
      let namespace: Record<string, unknown>;
      try {
        namespace = (await import(ref.moduleUrl)) as Record<string, unknown>;
      } catch (error: unknown) {
        throw new StreamingQueryError(
          'ERR_STREAM_SINK',
          `cannot import the sink module ${ref.moduleUrl}: ${String(error)}`,
          { cause: error },
        );
      }
      const sink = namespace[ref.exportName] as Partial<TwoPhaseCommitSink> | undefined;
      for (const method of ['prepare', 'commit', 'abort'] as const) {
        if (typeof sink?.[method] !== 'function') {
          throw new StreamingQueryError(
            'ERR_STREAM_SINK',
            `export \`${ref.exportName}\` of ${ref.moduleUrl} must be an object with prepare(), commit() and abort(); ${method} is ${describeValue(sink?.[method])}`,
          );
        }
      }
      return sink as TwoPhaseCommitSink;
    },
    deliver: null,
  };
}

/** A driver-side sink (foreachBatch, memory, console): tasks hand their partitions back as blocks. */
export function blockSinkOf(description: string, deliver: DeliverBatch): ResolvedSink {
  return {
    description,
    ref: { moduleUrl: builtinUrl('./block-sink.js'), exportName: 'blockSink' },
    options: {},
    twoPhase: false,
    driver: () => Promise.reject(new Error('a block sink has no driver side')),
    deliver,
  };
}

/** The rows of a batch handed back as blocks, in partition order. */
export function rowsOfBlocks(blocks: readonly Block[]): unknown[] {
  return blocks.flatMap((block) => decodeBlock(block, 'a streaming batch'));
}

/** Whether `format` names a built-in file format. */
export function isFileFormat(format: string): format is FileSinkFormat {
  return (FILE_SINK_FORMATS as readonly string[]).includes(format);
}

/** The commit context of a sink. */
export function commitContextOf(queryId: string, sink: ResolvedSink): SinkCommitContext {
  return { queryId, options: sink.options };
}
