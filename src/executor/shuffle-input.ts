/**
 * The reduce side's view of a shuffle's map outputs (Spark's `MapOutputTracker` worker half): the versioned table
 * of map outputs, fetched from the driver once per thread and version and cached here, and the blocks of one reduce
 * partition read from it, each checked where it is read.
 */
import type { Block } from '../protocol/block.js';
import type { MapOutputTable } from '../protocol/map-output.js';
import type { PipelineNode } from '../protocol/pipeline.js';
import { inputsOf } from '../protocol/functions-of.js';
import { assert } from '../common/assert.js';
import { BlockCorruptError } from '../storage/block-corrupt-error.js';
import { readMapOutputBlock } from '../storage/map-output.js';
import { FetchFailedError } from './fault-fetch-failed.js';
import type { TaskContext } from './task-context.js';

/** A `shuffle-read` pipeline node. */
export type ShuffleReadNode = Extract<PipelineNode, { kind: 'shuffle-read' }>;

/**
 * Shuffles whose tables a thread keeps. A table holds its map outputs' buffers alive, so the bound is small: a
 * thread reads few shuffles at once, and one not read for a while is fetched again if needed.
 */
const TABLES_MAX = 4;

/** Tables this thread fetched, by shuffle id (the newest version used), least recently used first. */
const tables = new Map<number, MapOutputTable>();

/**
 * Fetches (through `fetch`, from the driver) every table the pipeline reads that this thread does not hold at the
 * version the task names.
 *
 * @example
 * await fetchShuffleTables(task.pipeline, environment.fetchMapOutputTable);
 */
export async function fetchShuffleTables(
  pipeline: PipelineNode,
  fetch: (shuffleId: number, version: number) => Promise<MapOutputTable>,
): Promise<void> {
  for (const node of shuffleReadsOf(pipeline)) {
    let table = tables.get(node.shuffleId);
    tables.delete(node.shuffleId);
    if (table?.version !== node.version) table = await fetch(node.shuffleId, node.version);
    tables.set(node.shuffleId, table);
    for (const id of tables.keys()) {
      if (tables.size <= TABLES_MAX) break;
      tables.delete(id);
    }
  }
}

/** Forgets every table this thread holds (their map outputs can be freed). */
export function forgetShuffleTables(): void {
  tables.clear();
}

function shuffleReadsOf(pipeline: PipelineNode): ShuffleReadNode[] {
  if (pipeline.kind === 'shuffle-read') return [pipeline];
  return inputsOf(pipeline).flatMap(shuffleReadsOf);
}

/**
 * The blocks of `node`'s reduce partition, one per map output that has rows (with `keepEmpty`, also the empty
 * blocks that carry columns), in map-partition order; each is read just before it is yielded and checked against
 * its checksum. A corrupt or missing one throws `FetchFailedError` naming its map partition, so the scheduler
 * recomputes just that map output.
 *
 * @example
 * for (const block of shuffleInputBlocks(node, 'shuffle 2 input', context)) consume(decodeBlock(block));
 */
export function* shuffleInputBlocks(
  node: ShuffleReadNode,
  what: string,
  context: TaskContext,
  keepEmpty = false,
): Generator<Block> {
  const table = tables.get(node.shuffleId);
  assert(table?.version === node.version, `the map output table of shuffle ${node.shuffleId} was fetched`);
  const outputs = table.outputs;
  for (let i = 0; i < outputs.length; i++) {
    const where = (): string => `${what}, map partition ${i}, reduce partition ${node.reducePartition}`;
    let block: Block | null;
    try {
      // Checked against the checksum of exactly these rows, recorded when written.
      block = readMapOutputBlock(outputs[i]!, node.reducePartition, keepEmpty, where);
      if (block === null) continue;
    } catch (error: unknown) {
      if (!(error instanceof BlockCorruptError)) throw error;
      throw new FetchFailedError(node.shuffleId, i, error.message, { cause: error });
    }
    context.bytesRead += block.byteLength;
    context.shuffleReadBytes += block.byteLength;
    context.beat();
    yield block;
  }
}
