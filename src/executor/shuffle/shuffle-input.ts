/**
 * The reduce side's view of a shuffle's map outputs (Spark's `MapOutputTracker` worker half): the versioned table
 * of map outputs, fetched from the driver once per thread and version and cached here, and the blocks of one reduce
 * partition read from it, each checked where it is read.
 */
import type { MapOutputTable } from '../../protocol/map-output.js';
import type { PipelineNode } from '../../protocol/pipeline.js';
import type { ReleasedShuffles } from '../../protocol/task.js';
import { inputsOf } from '../../protocol/functions-of.js';
import { assert } from '../../common/assert.js';
import { BlockCorruptError } from '../../storage/blocks/block-corrupt-error.js';
import {
  mapOutputPartitionsWithRows,
  readMapOutputRows,
  type BlockRows,
} from '../../storage/map-outputs/map-output-reader.js';
import { FetchFailedError } from '../faults/fault-fetch-failed.js';
import type { TaskContext } from '../task-context.js';

/** For each reduce partition p, the map outputs with rows for it: `maps[starts[p] … starts[p + 1])`, in order. */
interface Readers {
  readonly starts: Int32Array;
  readonly maps: Int32Array;
}

/** Readers per table, built once per thread and table version (dropped with the table). */
const readersByTable = new WeakMap<MapOutputTable, Readers>();

/**
 * The readers of every reduce partition of `table`: every output's bitmap of partitions with rows, transposed once,
 * so a reduce task costs its non-empty segments, not one look per map output. An output that cannot be read fails
 * the task with `FetchFailedError` naming it, as reading it would.
 */
function readersOf(table: MapOutputTable, shuffleId: number, what: string): Readers {
  const known = readersByTable.get(table);
  if (known !== undefined) return known;
  const outputs = table.outputs;
  const partitions = outputs.length === 0 ? 0 : outputs[0]!.partitions;
  const bitmaps = outputs.map((ref, m) => {
    try {
      return mapOutputPartitionsWithRows(ref, () => `${what}, map partition ${m}`);
    } catch (error: unknown) {
      if (!(error instanceof BlockCorruptError)) throw error;
      throw new FetchFailedError(shuffleId, m, error.message, { cause: error });
    }
  });
  const starts = new Int32Array(partitions + 1);
  const forEachSet = (bitmap: Uint8Array, visit: (p: number) => void): void => {
    for (let b = 0; b < bitmap.length; b++) {
      let byte = bitmap[b]!;
      while (byte !== 0) {
        const bit = 31 - Math.clz32(byte & -byte);
        visit(b * 8 + bit);
        byte &= byte - 1;
      }
    }
  };
  for (const bitmap of bitmaps) forEachSet(bitmap, (p) => (starts[p + 1] = starts[p + 1]! + 1));
  for (let p = 0; p < partitions; p++) starts[p + 1] = starts[p + 1]! + starts[p]!;
  const maps = new Int32Array(starts[partitions]!);
  const filled = starts.slice(0, partitions);
  bitmaps.forEach((bitmap, m) =>
    forEachSet(bitmap, (p) => {
      maps[filled[p]!] = m;
      filled[p] = filled[p]! + 1;
    }),
  );
  const readers = { starts, maps };
  readersByTable.set(table, readers);
  return readers;
}

/** A `shuffle-read` pipeline node. */
export type ShuffleReadNode = Extract<PipelineNode, { kind: 'shuffle-read' }>;

/**
 * Shuffles whose tables a thread keeps. A table holds its map outputs' buffers alive, so the bound is small: a
 * thread reads few shuffles at once, and one not read for a while is fetched again if needed.
 */
const TABLES_MAX = 4;

/** Tables this thread fetched, by shuffle id (the newest version used), least recently used first. */
const tables = new Map<number, MapOutputTable>();

/** Tables this thread fetched through `fetchShuffleTables`'s `fetch` (tests look at it). */
let fetches = 0;

/**
 * Fetches (through `fetch`, from the driver) every table the pipeline reads that this thread does not hold at the
 * version the task names, unless it came with the task (`shipped`: the pool posts the tables of few map outputs
 * with their tasks, which saves the round trip).
 *
 * @example
 * await fetchShuffleTables(task.pipeline, environment.fetchMapOutputTable, task.shuffleTables);
 */
export async function fetchShuffleTables(
  pipeline: PipelineNode,
  fetch: (shuffleId: number, version: number) => Promise<MapOutputTable>,
  shipped: readonly MapOutputTable[] = [],
): Promise<void> {
  for (const node of shuffleReadsOf(pipeline)) {
    let table = tables.get(node.shuffleId);
    tables.delete(node.shuffleId);
    if (table?.version !== node.version) {
      table = shipped.find((t) => t.shuffleId === node.shuffleId && t.version === node.version);
      if (table === undefined) {
        fetches++;
        table = await fetch(node.shuffleId, node.version);
      }
    }
    tables.set(node.shuffleId, table);
    for (const id of tables.keys()) {
      if (tables.size <= TABLES_MAX) break;
      tables.delete(id);
    }
  }
}

/** The number of the next release (`ReleasedShuffles`) this thread has not applied yet. */
let releasesApplied = 0;

/**
 * Forgets the tables of the shuffles the driver released since this thread last looked (each release once), so
 * their map outputs' shared memory can be freed: a table would otherwise keep its outputs alive until newer
 * shuffles push it out. A released shuffle is never read again; a discarded one is fetched again at its new version.
 *
 * @example
 * forgetReleasedShuffles(task.releasedShuffles); // before the task fetches its own tables
 */
export function forgetReleasedShuffles(released: ReleasedShuffles | undefined): void {
  if (released === undefined) return;
  const end = released.first + released.ids.length;
  for (let n = Math.max(releasesApplied, released.first); n < end; n++)
    tables.delete(released.ids[n - released.first]!);
  releasesApplied = Math.max(releasesApplied, end);
}

/**
 * Forgets the tables of `shuffleIds` this thread holds (every table when not given): the inline backend, whose
 * "worker" is the driver's thread, is told of each release directly.
 */
export function forgetShuffleTables(shuffleIds?: Iterable<number>): void {
  if (shuffleIds === undefined) tables.clear();
  else for (const id of shuffleIds) tables.delete(id);
}

/** How many tables this thread has fetched through `fetchShuffleTables`'s `fetch` (what tests look at). */
export function shuffleTableFetches(): number {
  return fetches;
}

/** The shuffles whose tables this thread holds, least recently used first (what tests look at). */
export function heldShuffleTables(): number[] {
  return [...tables.keys()];
}

function shuffleReadsOf(pipeline: PipelineNode): ShuffleReadNode[] {
  if (pipeline.kind === 'shuffle-read') return [pipeline];
  return inputsOf(pipeline).flatMap(shuffleReadsOf);
}

/** The map output table `node` reads, which `fetchShuffleTables` fetched for its task. */
export function heldShuffleTable(node: ShuffleReadNode): MapOutputTable {
  const table = tables.get(node.shuffleId);
  assert(table?.version === node.version, `the map output table of shuffle ${node.shuffleId} was fetched`);
  return table;
}

/**
 * The rows of `node`'s reduce partition in each map output that has some (with `keepEmpty`, also no rows of a block
 * that carries the output's columns), in map-partition order, read in place from outputs in memory; each is read
 * just before it is yielded and checked against its checksum. A corrupt or missing one throws `FetchFailedError`
 * naming its map partition, so the scheduler recomputes just that map output.
 *
 * @example
 * for (const rows of shuffleInputRows(node, 'shuffle 2 input', context)) consume(decodeBlockRows(rows.block, rows.start, rows.end));
 */
export function* shuffleInputRows(
  node: ShuffleReadNode,
  what: string,
  context: TaskContext,
  keepEmpty = false,
): Generator<BlockRows> {
  const table = heldShuffleTable(node);
  const outputs = table.outputs;
  const partition = node.reducePartition;
  let i = 0;
  // One closure for the whole read (called only to word an error, while `i` names the output being read).
  const where = (): string => `${what}, map partition ${i}, reduce partition ${partition}`;
  // Without `keepEmpty` only the outputs that have rows for this partition are visited (not m per reduce task).
  const readers = keepEmpty ? null : readersOf(table, node.shuffleId, what);
  const from = readers === null ? 0 : readers.starts[partition]!;
  const to = readers === null ? outputs.length : readers.starts[partition + 1]!;
  for (let k = from; k < to; k++) {
    i = readers === null ? k : readers.maps[k]!;
    let rows: BlockRows | null;
    try {
      // Checked against the checksum of exactly these rows, recorded when written.
      rows = readMapOutputRows(outputs[i]!, partition, keepEmpty, where);
      if (rows === null) continue;
    } catch (error: unknown) {
      if (!(error instanceof BlockCorruptError)) throw error;
      throw new FetchFailedError(node.shuffleId, i, error.message, { cause: error });
    }
    context.bytesRead += rows.bytes;
    context.shuffleReadBytes += rows.bytes;
    context.beat();
    yield rows;
  }
}
