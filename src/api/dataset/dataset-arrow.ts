/**
 * `Dataset.toArrow()`: one job collecting each partition as a block, then the blocks as one apache-arrow `Table`
 * (views of shared memory where the partitions agree on every column's type).
 */
import type { Dictionary, Table, Utf8 } from 'apache-arrow';
import { arrow, arrowLoaded, provideArrow } from '../../storage/arrow/arrow-module.js';
import { dictionaryCodeBytes, type Block } from '../../protocol/block.js';
import { blockToRecordBatch } from '../../storage/arrow/block-to-arrow.js';
import { decodeBlock } from '../../storage/blocks/block-reader.js';
import { encodeBlock } from '../../storage/blocks/block-writer.js';
import type { DatasetParts } from '../planning/dataset-join.js';

/**
 * The rows of the dataset whose parts are given, as an Arrow table.
 *
 * @example
 * const table = await collectArrow(parts);
 */
export async function collectArrow(parts: DatasetParts): Promise<Table> {
  const node = parts.node({ kind: 'rows' }, 'toArrow');
  const blocks: Block[] = new Array<Block>(node.numPartitions);
  const job = parts.context.runJob({
    node,
    partitions: Array.from({ length: node.numPartitions }, (_, i) => i),
    output: () => ({ kind: 'collect' }),
    onResult: (partition, value) => {
      if (value.kind === 'block') blocks[partition] = value.block;
    },
  });
  // The first toArrow() of a program loads apache-arrow on this thread (~0.2 s of CPU): imported (module by module,
  // so this thread still hands the workers their next tasks in between) while the job runs, not before it starts.
  const [, imported] = await Promise.all([job, arrowLoaded() ? null : import('apache-arrow')]);
  if (imported !== null) provideArrow(imported);
  const { RecordBatch, Schema, Table } = arrow();
  const full = blocks.filter((b) => b !== undefined && b.rows > 0);
  if (full.length === 0) {
    // No rows: the columns of a partition that knows them (an empty input keeps its columns through the stages).
    const typed = blocks.find((b) => b !== undefined && b.columns.length > 0);
    return typed === undefined ? new Table() : new Table([blockToRecordBatch(typed)]);
  }
  const dictionaries = keptDictionaries(full);
  const batches = full.map((b) => blockToRecordBatch(b, dictionaries));
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

/**
 * The string columns handed on as Arrow `Dictionary<Utf8>` (by column index): those dictionary-coded in every
 * partition's block (a cached table's low-cardinality strings, and a join's or filter's rows of them). Each record
 * batch keeps its own block's dictionary (views, no copy); one type per column, its index as wide as the widest
 * partition's codes (unsigned: 1, 2 or 4 bytes, as stored). Decoding them into one plain Utf8 column would copy
 * every row's bytes on this thread.
 */
function keptDictionaries(blocks: readonly Block[]): Map<number, Dictionary<Utf8>> {
  const { Dictionary, Int32, Uint8, Uint16, Utf8 } = arrow();
  const kept = new Map<number, Dictionary<Utf8>>();
  const first = blocks[0]!;
  first.columns.forEach((column, c) => {
    let width = 0;
    for (const block of blocks) {
      const other = block.columns[c];
      if (other?.type !== 'utf8-dict' || other.name !== column.name) return;
      width = Math.max(width, dictionaryCodeBytes(other.dictionarySize!));
    }
    const index = width === 1 ? new Uint8() : width === 2 ? new Uint16() : new Int32();
    kept.set(c, new Dictionary(new Utf8(), index));
  });
  return kept;
}
