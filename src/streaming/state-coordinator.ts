import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Block } from '../protocol/block.js';
import type { StateFileRef, StatePartitionInput, StateWrite } from '../protocol/state.js';
import { StreamCheckpointCorruptError } from '../common/errors.js';
import { crc32 } from '../storage/blocks/crc32.js';

/** What the handle log records of one state partition after a batch: the files that batch wrote. */
export interface RecordedStatePartition {
  readonly partition: number;
  /** Paths relative to the operator's folder, so a checkpoint folder can be moved. */
  readonly delta: StateFileRef | null;
  readonly snapshot: StateFileRef | null;
  readonly rowsTotal: number;
}

/** Counters of one batch's state update (for `lastProgress`). */
export interface StateMetrics {
  readonly operator: string;
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly numRowsRemoved: number;
  readonly memoryUsedBytes: number;
  readonly filesWritten: number;
}

/**
 * The driver's view of one stateful operator's state (DESIGN.md §8): per partition, the newest committed version as
 * a block in shared memory (while the blocks fit their share of the memory budget) and the chain of files that
 * rebuilds it (the newest snapshot, then the deltas after it). Never a map of keys: the driver holds blocks and file
 * references only. A version is adopted only when its batch commits.
 */
export class StateCoordinator {
  readonly operator: string;
  readonly dir: string;
  readonly numPartitions: number;
  /** The newest committed version (-1: no batch yet). */
  version = -1;
  /** Per partition: the newest snapshot (if any) then the deltas after it, each a file and, while kept, a block. */
  readonly #chains: ChainLink[][];
  /** Whether the chains' blocks are kept (false once they outgrew the budget, or after a restart). */
  #blocksKept = true;
  readonly #memoryBytesMax: number;

  constructor(operator: string, dir: string, numPartitions: number, memoryBytesMax: number) {
    this.operator = operator;
    this.dir = resolve(dir);
    this.numPartitions = numPartitions;
    this.#memoryBytesMax = memoryBytesMax;
    this.#chains = Array.from({ length: numPartitions }, () => []);
  }

  /** Version `version` of every partition, for the tasks of batch `version + 1`. */
  inputs(): StatePartitionInput[] {
    return this.#chains.map((chain) => ({
      version: this.version,
      blocks: this.#blocksKept ? chain.map((link) => link.block!) : null,
      files: chain.map((link) => link.file),
    }));
  }

  /**
   * Adopts what the tasks of committed batch `version` wrote. The blocks stay in shared memory while all of them
   * fit `memoryBytesMax`; past it they are dropped and tasks rebuild from files (the state's spill) until the next
   * snapshot starts the chains again.
   */
  adopt(version: number, writes: readonly StateWrite[]): StateMetrics {
    let total = 0;
    let updated = 0;
    let removed = 0;
    let files = 0;
    for (const write of writes) {
      const link = (part: StateWrite['delta']): ChainLink | null =>
        part === null ? null : { block: part.block, file: part.file };
      this.#apply(write.partition, link(write.delta), link(write.snapshot));
      total += write.rowsTotal;
      updated += write.rowsUpdated;
      removed += write.rowsRemoved;
      files += (write.delta === null ? 0 : 1) + (write.snapshot === null ? 0 : 1);
    }
    this.#blocksKept = this.#chains.every((chain) => chain.every((link) => link.block !== null));
    const bytes = this.#chains.flat().reduce((sum, link) => sum + (link.block?.byteLength ?? 0), 0);
    if (bytes > this.#memoryBytesMax) this.#dropBlocks();
    this.version = version;
    return {
      operator: this.operator,
      numRowsTotal: total,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      memoryUsedBytes: this.#blocksKept ? bytes : 0,
      filesWritten: files,
    };
  }

  /** Replays a committed batch's recorded files on a restart (no blocks: the first batch reads files). */
  replay(version: number, partitions: readonly RecordedStatePartition[]): void {
    const link = (file: StateFileRef | null): { block: null; file: StateFileRef } | null =>
      file === null ? null : { block: null, file: this.#absolute(file) };
    for (const recorded of partitions) {
      this.#apply(recorded.partition, link(recorded.delta), link(recorded.snapshot));
    }
    this.#blocksKept = false;
    this.version = version;
  }

  /** What the handle log records for the writes of one batch (paths relative to the operator's folder). */
  record(writes: readonly StateWrite[]): RecordedStatePartition[] {
    return writes.map((write) => ({
      partition: write.partition,
      delta: write.delta === null ? null : this.#relative(write.delta.file),
      snapshot: write.snapshot === null ? null : this.#relative(write.snapshot.file),
      rowsTotal: write.rowsTotal,
    }));
  }

  /** Checks every file the current versions rest on (size and CRC-32), before a restarted query writes anything. */
  verify(): void {
    for (const chain of this.#chains) {
      for (const { file } of chain) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(file.path);
        } catch (error: unknown) {
          throw new StreamCheckpointCorruptError(
            file.path,
            `a state file of ${file.byteLength} bytes`,
            String((error as { code?: string }).code ?? error),
            { cause: error },
          );
        }
        if (bytes.byteLength !== file.byteLength) {
          throw new StreamCheckpointCorruptError(file.path, `${file.byteLength} bytes`, `${bytes.byteLength} bytes`);
        }
        const found = crc32(bytes);
        if (found !== file.checksum >>> 0) {
          throw new StreamCheckpointCorruptError(file.path, `CRC-32 ${hex(file.checksum)}`, `CRC-32 ${hex(found)}`);
        }
      }
    }
  }

  /**
   * Removes the files an uncommitted attempt of batch `version` left in the partition folders, except those
   * `recorded` names (the commit decision of a batch being rolled forward). A rerun writes its own files, but not
   * always the same kinds: with `snapshotEveryDeltas` changed across the restart, a crashed attempt's snapshot would
   * stay, and `clean` would take it as the base of later versions and delete the files the state really rests on.
   */
  discardUncommitted(version: number, recorded: readonly RecordedStatePartition[]): void {
    const kept = new Set(
      recorded
        .flatMap((partition) => [partition.delta, partition.snapshot])
        .flatMap((file) => (file === null ? [] : [this.#absolute(file).path])),
    );
    for (let partition = 0; partition < this.numPartitions; partition++) {
      const folder = join(this.dir, String(partition));
      for (const file of listStateFiles(folder)) {
        const path = join(folder, file.name);
        if (file.version === version && !kept.has(path)) rmSync(path, { force: true });
      }
    }
  }

  /**
   * Deletes state files no version from `oldestVersion` on needs: per partition, everything older than the newest
   * snapshot at or before `oldestVersion` (leftovers of uncommitted attempts are gone: see `discardUncommitted`).
   * Returns the oldest version still rebuildable, so the caller can drop handle logs before it.
   */
  clean(oldestVersion: number): number {
    let keepFrom = Number.POSITIVE_INFINITY;
    for (let partition = 0; partition < this.numPartitions; partition++) {
      const folder = join(this.dir, String(partition));
      const versions = listStateFiles(folder);
      const snapshots = versions.filter((f) => f.kind === 'snapshot' && f.version <= oldestVersion);
      const floor = snapshots.length === 0 ? 0 : Math.max(...snapshots.map((f) => f.version));
      keepFrom = Math.min(keepFrom, floor);
      for (const file of versions) {
        if (file.version < floor || (file.version === floor && file.kind === 'delta' && floor > 0)) {
          rmSync(join(folder, file.name), { force: true });
        }
      }
    }
    return keepFrom === Number.POSITIVE_INFINITY ? 0 : keepFrom;
  }

  #apply(partition: number, delta: ChainLink | null, snapshot: ChainLink | null): void {
    const chain = this.#chains[partition]!;
    if (snapshot !== null) chain.splice(0, chain.length, snapshot);
    else if (delta !== null) chain.push(delta);
  }

  #dropBlocks(): void {
    for (const chain of this.#chains) for (const link of chain) link.block = null;
    this.#blocksKept = false;
  }

  #relative(file: StateFileRef): StateFileRef {
    return { ...file, path: relative(this.dir, file.path) };
  }

  #absolute(file: StateFileRef): StateFileRef {
    return { ...file, path: resolve(this.dir, file.path) };
  }
}

/** One snapshot or delta of a chain: always a file, and a block while the driver keeps it. */
interface ChainLink {
  block: Block | null;
  readonly file: StateFileRef;
}

/** The state files of one partition folder, by version and kind (temporary files are skipped). */
function listStateFiles(folder: string): { name: string; version: number; kind: 'delta' | 'snapshot' }[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const match = /^(\d+)\.(delta|snapshot)\.arrow$/.exec(name);
    return match === null ? [] : [{ name, version: Number(match[1]), kind: match[2] as 'delta' | 'snapshot' }];
  });
}

function hex(checksum: number): string {
  return `0x${(checksum >>> 0).toString(16).padStart(8, '0')}`;
}
