/**
 * `Dataset.toArrow()`: one job collecting each partition as a block, then the blocks as one apache-arrow `Table`
 * (views of shared memory where the partitions agree on every column's type).
 */
import type { Table } from 'apache-arrow';
import { arrow, provideArrow } from '../storage/arrow-module.js';
import { loadsOnDemand } from '../common/require-esm.js';
import type { Block } from '../protocol/block.js';
import { blockToRecordBatch } from '../storage/block-arrow.js';
import { decodeBlock } from '../storage/block-reader.js';
import { encodeBlock } from '../storage/block-writer.js';
import type { DatasetParts } from './dataset-join.js';

// On a Node that cannot load apache-arrow on demand, a thread that loads the API (the main thread, or a user's
// worker) gives storage/ its copy at once; elsewhere it is loaded by the first call that needs it.
if (!loadsOnDemand) provideArrow(await import('apache-arrow'));

/**
 * The rows of the dataset whose parts are given, as an Arrow table.
 *
 * @example
 * const table = await collectArrow(parts);
 */
export async function collectArrow(parts: DatasetParts): Promise<Table> {
  const { RecordBatch, Schema, Table } = arrow();
  const node = parts.node({ kind: 'rows' }, 'toArrow');
  const blocks: Block[] = new Array<Block>(node.numPartitions);
  await parts.context.runJob({
    node,
    partitions: Array.from({ length: node.numPartitions }, (_, i) => i),
    output: () => ({ kind: 'collect' }),
    onResult: (partition, value) => {
      if (value.kind === 'block') blocks[partition] = value.block;
    },
  });
  const full = blocks.filter((b) => b !== undefined && b.rows > 0);
  if (full.length === 0) {
    // No rows: the columns of a partition that knows them (an empty input keeps its columns through the stages).
    const typed = blocks.find((b) => b !== undefined && b.columns.length > 0);
    return typed === undefined ? new Table() : new Table([blockToRecordBatch(typed)]);
  }
  const batches = full.map((b) => blockToRecordBatch(b));
  const schema = batches[0]!.schema;
  const same = batches.every((b) => b.schema.fields.every((f, i) => String(f.type) === String(schema.fields[i]?.type)));
  if (same) {
    // One schema for all: a column is nullable when any partition holds a null in it.
    const fields = schema.fields.map((f, i) =>
      f.clone({ nullable: batches.some((b) => b.schema.fields[i]!.nullable) }),
    );
    const unified = new Schema(fields, schema.metadata);
    return new Table(batches.map((b) => new RecordBatch(unified, b.data)));
  }
  // int32 in one partition, float64 in another: one block, one inferred type per column.
  const rows = full.flatMap((b) => decodeBlock(b, 'toArrow()'));
  return new Table([blockToRecordBatch(encodeBlock(rows))]);
}
