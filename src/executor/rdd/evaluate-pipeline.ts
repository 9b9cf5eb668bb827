import type { PipelineNode, SourceSpec } from '../../protocol/pipeline.js';
import type { StatePartitionInput } from '../../protocol/state.js';
import { assertNever } from '../../common/assert.js';
import type { ReadLinesOptions } from '../../io/text/line-reader.js';
import { encodeBlock } from '../../storage/blocks/block-writer.js';
import { cogroup } from './cogroup.js';
import { isColumnarCache } from '../columnar/caching/cache-node.js';
import { columnarExecutor } from '../loading/columnar-loader.js';
import { applyNarrowOps } from './fused-narrow.js';
import { rowKinds } from '../loading/row-kinds-loader.js';
import { toArray, type Pushable } from './record-stream.js';
import type { TaskContext, TextInput } from '../task-context.js';

/**
 * The records of one partition, computed lazily from its pipeline: sources stream (a text split is read chunk by
 * chunk), narrow chains run fused, and only operations that must see everything (aggregations, cogroup, sort,
 * caching) hold a partition in memory.
 */
export function evaluatePipeline(node: PipelineNode, context: TaskContext): Iterable<unknown> {
  switch (node.kind) {
    case 'source':
      return readSource(node.source, context);
    case 'narrow':
      return applyNarrowOps(evaluatePipeline(node.input, context), node.ops, node.partition, context);
    case 'concat':
      return concat(node.inputs, context);
    case 'cartesian':
      return cartesian(node.left, node.right, context);
    case 'shuffle-read':
      return rowKinds('shuffles').readShuffle(node, context);
    case 'cogroup':
      return cogroup(
        node.inputs.map((input) => evaluatePipeline(input, context)),
        context,
      );
    case 'cache': {
      if (isColumnarCache(node)) {
        const { batchesToRecords, cacheColumnar, evaluateColumnar } = columnarExecutor();
        const batches = evaluateColumnar(node.input, context, evaluatePipeline);
        return batchesToRecords([cacheColumnar(node, batches, context)]);
      }
      const records = toArray(evaluatePipeline(node.input, context));
      context.cached.push({ datasetId: node.datasetId, partition: node.partition, block: encodeBlock(records) });
      return records;
    }
    case 'checkpoint-write': {
      // The partition this task computes anyway is the one written (DESIGN.md §7: not computed twice).
      const records = toArray(evaluatePipeline(node.input, context));
      rowKinds('stateAndCheckpoints').writeCheckpointPart(node.dir, node.partition, records, node.report, context);
      return records;
    }
    case 'columnar': {
      // Loaded before the task by run-task.ts (needsColumnar): the row executor imports no columnar code.
      const { batchesToRecords, evaluateColumnar } = columnarExecutor();
      return batchesToRecords(evaluateColumnar(node, context, evaluatePipeline));
    }
    default:
      return assertNever(node, 'pipeline node');
  }
}

function readSource(source: SourceSpec, context: TaskContext): Iterable<unknown> {
  switch (source.kind) {
    case 'records':
      return source.records;
    case 'range':
      return range(source.start, source.end, source.step);
    case 'text-split':
    case 'json-values-split': {
      const split = context.textSplit(source.split);
      const input: TextInput = { path: split.path, shownPath: split.sourcePath ?? split.path, at: { lineOffset: 0 } };
      // Named as the task's text input when reading starts (not when the pipeline is built): the split being read.
      const reading = (): void => {
        context.textInput = input;
      };
      const options: ReadLinesOptions = {
        at: input.at,
        lineBytesMax: source.lineBytesMax,
        onBytes: (bytes: number) => {
          context.bytesRead += bytes;
          context.beat(); // a line of hundreds of MB is one record: its reads are the progress
        },
      };
      // Pushed by consumers that take every line (drain), pulled by those that may stop early (take).
      const { forEachLine, readLines, forEachJsonValue, readJsonValues } = rowKinds('textFiles');
      const [push, pull] =
        source.kind === 'text-split'
          ? [forEachLine as typeof forEachJsonValue, readLines as typeof readJsonValues]
          : [forEachJsonValue, readJsonValues];
      const records: Pushable<unknown> = {
        pushInto: (sink) => {
          reading();
          push(split, options, sink);
        },
        [Symbol.iterator]: () => {
          reading();
          return pull(split, options);
        },
      };
      return records;
    }
    case 'blocks':
      return rowKinds('shuffles').readBlocks(source.blocks, 'cached partition', context);
    case 'empty':
      return [];
    case 'checkpoint-part':
      return rowKinds('stateAndCheckpoints').readCheckpointPart(source, context);
    case 'state-partition':
      return stateRows(source.input, source.where, context);
    case 'csv-split':
    case 'jsonl-split':
    case 'parquet-split': {
      // Only datasets read these, through the columnar evaluator; as records, they are that evaluator's rows.
      const { batchesToRecords, fileSourceBatches } = columnarExecutor();
      return batchesToRecords(fileSourceBatches(source, (n) => (context.bytesRead += n), context.countMalformed));
    }
    default:
      return assertNever(source, 'source');
  }
}

function* stateRows(input: StatePartitionInput, where: string, context: TaskContext): Generator<unknown> {
  for (const [key, entry] of rowKinds('stateAndCheckpoints').loadStatePartition(input, where, context).entries()) {
    yield { key, value: entry.value, updatedMs: entry.updatedMs };
  }
}

function* range(start: number, end: number, step: number): Generator<number> {
  // Computed as start + i * step (not by repeated addition) so fractional steps do not drift.
  for (let i = 0; ; i++) {
    const value = start + i * step;
    if (step > 0 ? value >= end : value <= end) return;
    yield value;
  }
}

function* concat(inputs: readonly PipelineNode[], context: TaskContext): Generator<unknown> {
  for (const input of inputs) yield* evaluatePipeline(input, context);
}

function* cartesian(left: PipelineNode, right: PipelineNode, context: TaskContext): Generator<unknown> {
  const rights = Array.from(evaluatePipeline(right, context));
  for (const l of evaluatePipeline(left, context)) {
    for (const r of rights) yield [l, r];
  }
}
