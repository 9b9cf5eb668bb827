import type { MapOutputRef, MapOutputTable } from '../protocol/map-output.js';
import { assert } from '../common/assert.js';

/**
 * A map output block that a task needs is not there: its map task never ran, its whole output was lost, or the
 * block store lost that one block. Thrown while building a task, and turned into that task's `fetch-failed`.
 */
export class MapOutputMissingError extends Error {
  readonly shuffleId: number;
  readonly mapPartition: number;
  readonly reducePartition: number;

  constructor(shuffleId: number, mapPartition: number, reducePartition: number) {
    super(
      `shuffle ${shuffleId}: the block of map partition ${mapPartition} for reduce partition ${reducePartition} is missing`,
    );
    this.name = 'MapOutputMissingError';
    this.shuffleId = shuffleId;
    this.mapPartition = mapPartition;
    this.reducePartition = reducePartition;
  }
}

/** One map task's committed output, and the reduce partitions whose block of it was lost since. */
interface MapStatus {
  readonly output: MapOutputRef;
  holes: Set<number> | null;
}

interface ShuffleStatuses {
  readonly statuses: (MapStatus | undefined)[];
  /** Map partitions with no status. */
  missing: number;
  /** Map partitions whose status has holes. */
  holed: number;
  /** The table readers get, built on first use after each change. */
  table: MapOutputTable | null;
}

/** Versions are unique in the process, so a worker thread's cache never confuses two Contexts' shuffles. */
let nextVersion = 1;

/** Bytes of shared memory an output holds (a spilled one is a file). */
function memoryBytes(output: MapOutputRef | undefined): number {
  return output?.kind === 'memory' ? output.buffer.byteLength : 0;
}

/**
 * Which map outputs of each shuffle exist (Spark's `MapOutputTracker`): for every map partition, its packed output
 * (one handle, whatever the number of reduce partitions) and the reduce partitions whose block was lost, or nothing
 * when it has not run or its output was lost. Readers get the statuses as one versioned table per shuffle, built
 * once per change and fetched once per worker thread, so a reduce task's descriptor is O(1) in the map partitions.
 * Outputs are opaque handles here; the scheduler never reads their buffers.
 */
export class MapOutputTracker {
  private readonly shuffles = new Map<number, ShuffleStatuses>();
  private memoryBytesUsed = 0;

  /** Registers a shuffle with `mapPartitions` map tasks; registering again keeps what is there. */
  register(shuffleId: number, mapPartitions: number): void {
    if (this.shuffles.has(shuffleId)) return;
    this.shuffles.set(shuffleId, {
      statuses: new Array<MapStatus | undefined>(mapPartitions).fill(undefined),
      missing: mapPartitions,
      holed: 0,
      table: null,
    });
  }

  private statusesOf(shuffleId: number): ShuffleStatuses {
    const shuffle = this.shuffles.get(shuffleId);
    assert(shuffle !== undefined, `shuffle ${shuffleId} is registered`);
    return shuffle;
  }

  /** Replaces the status of a map partition, keeping the counts and the byte total right. */
  private set(shuffle: ShuffleStatuses, mapPartition: number, status: MapStatus | undefined): void {
    const before = shuffle.statuses[mapPartition];
    if (before === undefined) shuffle.missing--;
    else if (before.holes !== null) shuffle.holed--;
    if (status === undefined) shuffle.missing++;
    else if (status.holes !== null) shuffle.holed++;
    this.memoryBytesUsed += memoryBytes(status?.output) - memoryBytes(before?.output);
    shuffle.statuses[mapPartition] = status;
    if (before?.output !== status?.output) shuffle.table = null;
  }

  /**
   * Records the output of a finished map task. The first committed output wins and later attempts are dropped,
   * except that a whole output replaces one that lost a block: that map partition was rerun to fill the hole.
   */
  commit(shuffleId: number, mapPartition: number, output: MapOutputRef): boolean {
    const shuffle = this.statusesOf(shuffleId);
    const present = shuffle.statuses[mapPartition];
    if (present !== undefined && present.holes === null) return false;
    this.set(shuffle, mapPartition, { output, holes: null });
    return true;
  }

  /** Map partitions whose output is missing (never run, lost, or with a lost block). */
  missing(shuffleId: number): number[] {
    const shuffle = this.shuffles.get(shuffleId);
    if (shuffle === undefined || shuffle.missing + shuffle.holed === 0) return [];
    const missing: number[] = [];
    shuffle.statuses.forEach((status, index) => {
      if (status === undefined || status.holes !== null) missing.push(index);
    });
    return missing;
  }

  /** Forgets every map output that lost a block; returns how many. */
  markHoledLost(shuffleId: number): number {
    const shuffle = this.shuffles.get(shuffleId);
    if (shuffle === undefined || shuffle.holed === 0) return 0;
    let forgotten = 0;
    shuffle.statuses.forEach((status, index) => {
      if (status?.holes !== null && status !== undefined) {
        this.set(shuffle, index, undefined);
        forgotten++;
      }
    });
    return forgotten;
  }

  /** Map partitions with no output at all (never run, lost, or discarded); a lost block alone does not count. */
  notRun(shuffleId: number): number[] {
    const shuffle = this.shuffles.get(shuffleId);
    if (shuffle === undefined || shuffle.missing === 0) return [];
    return shuffle.statuses.flatMap((status, index) => (status === undefined ? [index] : []));
  }

  isRegistered(shuffleId: number): boolean {
    return this.shuffles.has(shuffleId);
  }

  /**
   * The table of map outputs a reader of `reducePartition` reads. Throws `MapOutputMissingError` for the first
   * map output that is not there or lost its block for `reducePartition`. O(1) when nothing is missing.
   */
  tableFor(shuffleId: number, reducePartition: number): MapOutputTable {
    const shuffle = this.statusesOf(shuffleId);
    if (shuffle.missing + shuffle.holed > 0) {
      shuffle.statuses.forEach((status, mapPartition) => {
        if (status === undefined || status.holes?.has(reducePartition) === true) {
          throw new MapOutputMissingError(shuffleId, mapPartition, reducePartition);
        }
      });
    }
    return this.table(shuffleId, shuffle);
  }

  /**
   * The table for `reducePartition`, as {@link tableFor}, but only of a complete shuffle: throws
   * `MapOutputMissingError` for the first map output that is missing or lost a block, whichever reduce partition
   * the hole is in. Readers of an indeterminate shuffle read this way, so none reads a generation whose missing
   * part may still be recomputed differently.
   */
  completeTableFor(shuffleId: number, reducePartition: number): MapOutputTable {
    const shuffle = this.statusesOf(shuffleId);
    if (shuffle.missing + shuffle.holed > 0) {
      shuffle.statuses.forEach((status, mapPartition) => {
        const hole = status === undefined ? reducePartition : status.holes === null ? -1 : Math.min(...status.holes);
        if (hole >= 0) throw new MapOutputMissingError(shuffleId, mapPartition, hole);
      });
    }
    return this.table(shuffleId, shuffle);
  }

  private table(shuffleId: number, shuffle: ShuffleStatuses): MapOutputTable {
    shuffle.table ??= {
      shuffleId,
      version: nextVersion++,
      outputs: shuffle.statuses.map((status, mapPartition) => {
        assert(status !== undefined, `map partition ${mapPartition} of shuffle ${shuffleId} has an output`);
        return status.output;
      }),
    };
    return shuffle.table;
  }

  /** The block store lost one block of a map output (a fault, an eviction): readers of it get a fetch failure. */
  dropBlock(shuffleId: number, mapPartition: number, reducePartition: number): void {
    const shuffle = this.shuffles.get(shuffleId);
    const status = shuffle?.statuses[mapPartition];
    if (shuffle === undefined || status === undefined) return;
    const holes = new Set(status.holes ?? []).add(reducePartition);
    this.set(shuffle, mapPartition, { output: status.output, holes });
  }

  /** Forgets a map output (lost or corrupt): the next job that needs it recomputes it from lineage. */
  markLost(shuffleId: number, mapPartition: number): void {
    const shuffle = this.shuffles.get(shuffleId);
    if (shuffle !== undefined) this.set(shuffle, mapPartition, undefined);
  }

  /**
   * Forgets every map output of a shuffle (an indeterminate shuffle that must rerun in full, or one computed from
   * it). Returns how many outputs (complete or not) were there.
   */
  discardAll(shuffleId: number): number {
    const shuffle = this.shuffles.get(shuffleId);
    if (shuffle === undefined) return 0;
    let present = 0;
    shuffle.statuses.forEach((status, index) => {
      if (status === undefined) return;
      present++;
      this.set(shuffle, index, undefined);
    });
    return present;
  }

  /**
   * Forgets a shuffle entirely (nothing can read it again: see context-cleaner.ts) and returns the outputs it held,
   * so spilled ones can be deleted. Its shared memory is freed once no thread holds a table naming it.
   */
  unregister(shuffleId: number): MapOutputRef[] {
    const shuffle = this.shuffles.get(shuffleId);
    if (shuffle === undefined) return [];
    const outputs: MapOutputRef[] = [];
    shuffle.statuses.forEach((status, index) => {
      if (status === undefined) return;
      outputs.push(status.output);
      this.set(shuffle, index, undefined);
    });
    this.shuffles.delete(shuffleId);
    return outputs;
  }

  /** The outputs a shuffle holds now. */
  presentOutputs(shuffleId: number): MapOutputRef[] {
    const statuses = this.shuffles.get(shuffleId)?.statuses ?? [];
    return statuses.flatMap((status) => (status === undefined ? [] : [status.output]));
  }

  /** Shuffles registered now. */
  shuffleCount(): number {
    return this.shuffles.size;
  }

  /**
   * Forgets a map output that a task found bad, unless it was already replaced by a recomputed one the task never
   * saw: `seen` is the output the task read and found corrupt, or `{ reducePartition }` when the block it needed
   * was missing. Returns true when the output was forgotten now.
   */
  markLostIfSeen(
    shuffleId: number,
    mapPartition: number,
    seen: { readonly output: MapOutputRef } | { readonly reducePartition: number },
  ): boolean {
    const status = this.shuffles.get(shuffleId)?.statuses[mapPartition];
    if (status === undefined) return false;
    // A negative reduce partition: the task could not say what it read; the output is forgotten.
    const stillBad =
      'output' in seen
        ? status.output === seen.output
        : seen.reducePartition < 0 || status.holes?.has(seen.reducePartition) === true;
    if (stillBad) this.markLost(shuffleId, mapPartition);
    return stillBad;
  }

  /** Bytes of shared memory held by map outputs, for the memory budget (spilled outputs are files: not counted). */
  bytesUsed(): number {
    return this.memoryBytesUsed;
  }
}
