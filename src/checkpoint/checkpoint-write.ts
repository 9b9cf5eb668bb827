/**
 * One checkpoint being written, on the driver: its directory, the report slots its tasks fill, and the commit that
 * makes it complete. Tasks write part files under temporary names (see protocol/checkpoint-report.ts); the commit
 * renames each into place, fsyncs the directory, then writes the manifest to a temporary name, fsyncs and renames it.
 * Only a directory with a manifest is a checkpoint: a crash at any point leaves either a complete one or an incomplete
 * directory that every reader refuses.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CheckpointPartSpec } from '../protocol/pipeline.js';
import {
  newCheckpointReport,
  partFileName,
  readCheckpointReport,
  temporaryPartName,
} from '../protocol/checkpoint-report.js';
import { OutputError } from '../common/errors.js';
import { fsStep, fsyncDirectory, removeQuietly, writeFully } from '../io/files/output-fs.js';
import { CHECKPOINT_DIR_PREFIX, writingMarkerName } from './abandoned-checkpoints.js';
import { readIpcFileSchema } from './arrow-schema-json.js';
import {
  CHECKPOINT_FORMAT_VERSION,
  MANIFEST_FILE,
  serializeManifest,
  type CheckpointManifest,
  type ManifestPartitioner,
} from './manifest.js';

/**
 * Fault injection for crash tests (DESIGN.md §5: faults are part of the engine). `KINDLING_CHECKPOINT_CRASH_AT`
 * set to `part:N` exits the process after the N-th part file is renamed into place; `manifest-temp` exits after the
 * manifest's temporary file is written, before its rename. Unset: no effect.
 */
function crashPoint(point: string): void {
  if (process.env['KINDLING_CHECKPOINT_CRASH_AT'] === point) process.exit(70);
}

/** A checkpoint write in progress. */
export class CheckpointWrite {
  readonly dir: string;
  readonly report: SharedArrayBuffer;
  readonly numPartitions: number;
  /** The file naming this process as the writer until the manifest is in place (abandoned-checkpoints.ts). */
  readonly #marker = writingMarkerName();

  /** Makes a fresh, uniquely named directory `<root>/rdd-<datasetId>-<random>` for the checkpoint. */
  constructor(root: string, datasetId: number, numPartitions: number) {
    this.dir = join(root, `${CHECKPOINT_DIR_PREFIX}${datasetId}-${randomBytes(6).toString('hex')}`);
    this.numPartitions = numPartitions;
    this.report = newCheckpointReport(numPartitions);
    fsStep(this.dir, 'creating the checkpoint directory', () => mkdirSync(this.dir, { recursive: true }));
    const marker = join(this.dir, this.#marker);
    fsStep(marker, 'marking the checkpoint as being written', () => writeFileSync(marker, ''));
  }

  /** Partitions no task has written yet. */
  missingPartitions(): number[] {
    const missing: number[] = [];
    for (let p = 0; p < this.numPartitions; p++) if (readCheckpointReport(this.report, p) === null) missing.push(p);
    return missing;
  }

  /**
   * Renames every reported part into place, removes other attempts' leftovers, and writes the manifest last.
   * Returns the part specs readers use. Every partition must have been reported.
   */
  commit(fields: {
    datasetId: number;
    partitioner: ManifestPartitioner | null;
    lineage: string;
  }): CheckpointPartSpec[] {
    const parts: CheckpointPartSpec[] = [];
    const keep = new Set<string>([this.#marker]);
    for (let p = 0; p < this.numPartitions; p++) {
      const reported = readCheckpointReport(this.report, p);
      if (reported === null) {
        throw new OutputError('ERR_OUTPUT_FAILED', `checkpoint ${this.dir}: partition ${p} was never written`);
      }
      const path = join(this.dir, partFileName(p));
      const from = join(this.dir, temporaryPartName(p, reported.token));
      fsStep(path, 'renaming a checkpoint part into place', () => renameSync(from, path));
      keep.add(partFileName(p));
      parts.push({
        kind: 'checkpoint-part',
        path,
        rows: reported.rows,
        bytes: reported.bytes,
        checksum: reported.checksum,
      });
      crashPoint(`part:${p + 1}`);
    }
    for (const name of readdirSync(this.dir)) if (!keep.has(name)) removeQuietly(join(this.dir, name));
    fsyncDirectory(this.dir);
    const partSchemas = parts.map((part) => readIpcFileSchema(part.path));
    // Empty partitions have a Null column: they do not count against a schema shared by the others.
    const filled = partSchemas.filter((_, p) => parts[p]!.rows > 0);
    const common = filled.every((schema) => JSON.stringify(schema) === JSON.stringify(filled[0])) ? filled[0] : null;
    const manifest: CheckpointManifest = {
      format: 'kindling-checkpoint',
      formatVersion: CHECKPOINT_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      datasetId: fields.datasetId,
      numPartitions: this.numPartitions,
      partitioner: fields.partitioner,
      schema: common ?? null,
      partSchemas,
      parts: parts.map((part, p) => ({
        file: partFileName(p),
        rows: part.rows,
        bytes: part.bytes,
        crc32: part.checksum,
      })),
      lineage: fields.lineage,
    };
    writeFileDurably(join(this.dir, MANIFEST_FILE), serializeManifest(manifest));
    // Complete: the marker goes (a crash before this line leaves it beside the manifest, which readers ignore).
    removeQuietly(join(this.dir, this.#marker));
    return parts;
  }

  /** Removes the directory and everything in it (a failed job's partial checkpoint). */
  abort(): void {
    removeQuietly(this.dir);
  }
}

/** Temporary file, fsync, rename, fsync the directory: the file is there whole or not at all. */
function writeFileDurably(path: string, bytes: Buffer): void {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fsStep(temporary, 'creating the manifest', () => openSync(temporary, 'wx'));
  try {
    writeFully(fd, temporary, bytes);
    fsStep(temporary, 'flushing the manifest (fsync)', () => fsyncSync(fd));
  } finally {
    closeSync(fd);
  }
  crashPoint('manifest-temp');
  fsStep(path, 'renaming the manifest into place', () => renameSync(temporary, path));
  fsyncDirectory(dirname(path));
}
