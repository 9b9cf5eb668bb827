/**
 * The sink a `DataStreamWriter` names: its `foreachBatch`, else its `format` (a file format, `memory`, `console`,
 * `postgres` or a sink module from `kc.fn(url, name)`), with the options each sink accepts. Apart from
 * data-stream-writer.ts so that the writer keeps to its builder verbs and `start`; the sinks themselves are in
 * sinks/.
 */
import { PlanError, StreamingQueryError } from '../common/errors.js';
import { refuseUnknownOptions } from '../common/check-options.js';
import { ModuleFunction } from '../plan/module-function.js';
import type { RDD } from '../api/rdd/rdd.js';
import { rddOfBlocks } from '../api/context/stream-support.js';
import { queryRegistryOf } from './query-registry.js';
import {
  blockSinkOf,
  fileSinkOf,
  isFileFormat,
  moduleSinkOf,
  postgresSinkOf,
  rowsOfBlocks,
  type ResolvedSink,
} from './sinks/resolve-sink.js';
import { POSTGRES_SINK_OPTIONS } from './sinks/postgres/postgres-options.js';
import type { StreamPlan } from './stream-plan.js';
import { ENGINE_OPTIONS, positiveOption, refuseUnknownEngineOptions } from './data-stream-writer-options.js';

/** What a writer was told that names its sink (`format`, `option`s, `queryName`, `foreachBatch`). */
export interface SinkChoice {
  readonly plan: StreamPlan;
  readonly format: string | ModuleFunction;
  readonly options: Readonly<Record<string, unknown>>;
  readonly name: string | null;
  readonly foreachBatch: ((rdd: RDD<any>, batchId: number) => unknown) | null;
}

/** The sink of a query in output `mode`; `path` is the file sink's folder. */
export function resolveSink(choice: SinkChoice, path: string | undefined, mode: string): ResolvedSink {
  const kc = choice.plan.kc;
  const foreachBatch = choice.foreachBatch;
  const format = choice.format;
  if (format === 'postgres') {
    refuseUnknownOptions('writeStream.option()', choice.options, [...ENGINE_OPTIONS, ...POSTGRES_SINK_OPTIONS]);
  } else if (!(format instanceof ModuleFunction)) refuseUnknownEngineOptions(choice.options);
  if (foreachBatch !== null) {
    const probe = kc.emptyRDD();
    return blockSinkOf('foreachBatch', async (batchId, blocks) => {
      await foreachBatch(rddOfBlocks(probe, blocks, `batch ${batchId}`), batchId);
    });
  }
  if (format instanceof ModuleFunction) {
    const options = Object.fromEntries(
      Object.entries(choice.options).filter(([key]) => key !== 'checkpointLocation' && key !== 'crashAt'),
    );
    return moduleSinkOf({ moduleUrl: format.moduleUrl, exportName: format.exportName }, options);
  }
  if (format === 'memory') {
    const name = choice.name;
    if (name === null)
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `the memory sink needs queryName(name): it is the table's name`);
    const tables = queryRegistryOf(kc).memoryTables;
    tables.set(name, tables.get(name) ?? []);
    return blockSinkOf(`memory table ${name}`, (_batchId, blocks) => {
      const rows = rowsOfBlocks(blocks);
      const table = tables.get(name)!;
      if (mode === 'complete') table.length = 0;
      for (const row of rows) table.push(row);
      return Promise.resolve();
    });
  }
  if (format === 'console') {
    const numRows = positiveOption(choice.options, 'numRows', 20);
    return blockSinkOf('console', (batchId, blocks) => {
      const rows = rowsOfBlocks(blocks);
      const shown = rows.slice(0, numRows).map((row) => JSON.stringify(row) ?? String(row));
      const more = rows.length > numRows ? [`… ${rows.length - numRows} more rows`] : [];
      process.stdout.write(
        `-------------------------------------------\nBatch: ${batchId}\n-------------------------------------------\n${[...shown, ...more].join('\n')}\n\n`,
      );
      return Promise.resolve();
    });
  }
  if (format === 'postgres') {
    const given = Object.fromEntries(
      Object.entries(choice.options).filter(([key]) => (POSTGRES_SINK_OPTIONS as readonly string[]).includes(key)),
    );
    return postgresSinkOf(given);
  }
  if (!isFileFormat(format)) throw new StreamingQueryError('ERR_STREAM_SINK', `unknown sink format ${format}`);
  return fileSinkOf(format, path);
}
