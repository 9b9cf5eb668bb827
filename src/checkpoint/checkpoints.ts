/**
 * The checkpoints of one Context (DESIGN.md §7), on the driver: marking datasets, writing a marked dataset during
 * the next job that computes it (tasks write the partitions they compute; a short follow-up job writes any the job
 * did not reach), committing, checking written checkpoints before a job reads them, opening checkpoints written by
 * any process, retention and cleanup.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { CheckpointPartSpec } from '../protocol/pipeline.js';
import { CheckpointCorruptError, PlanError } from '../common/errors.js';
import { removeQuietly } from '../io/files/output-fs.js';
import { explainPlan } from '../plan/explain.js';
import type { Partitioner } from '../plan/partitioner.js';
import type { PlanBuilder } from '../plan/plan-builder.js';
import { parentsOf, type CheckpointState, type PlanNode } from '../plan/plan-node.js';
import { removeAbandonedCheckpoints } from './abandoned-checkpoints.js';
import { CheckpointWrite } from './checkpoint-write.js';
import { MANIFEST_FILE, parseManifest, type ManifestPartitioner } from './manifest.js';
import { checkPart, trustParts, type VerifiedStamps } from './verify-parts.js';
import { LOCAL_CHECKPOINTS_PREFIX, ownerTag } from '../io/files/owned-temp-dirs.js';

/** The options checkpoints use. */
export interface CheckpointOptions {
  readonly checkpointDir: string | null;
  readonly checkpointRetain: number;
  readonly tmpDir: string;
}

/** What one job does with checkpoints: the writes it started, and damaged partitions it recomputes. */
export interface JobCheckpoints {
  readonly writes: { readonly node: PlanNode; readonly write: CheckpointWrite; readonly lineage: string }[];
  recomputed: number;
  /** Checkpoint directories of killed writers removed before this job's first write into their root. */
  abandonedRemoved: number;
}

/** Runs a job over `partitions` of `node` for its side effects only (the follow-up that writes missing parts). */
export type RunPartitions = (node: PlanNode, partitions: readonly number[]) => Promise<void>;

/**
 * The checkpoint bookkeeping of a Context. The Context calls `beforeJob` / `afterJob` / `abortJob` around every job.
 *
 * @example
 * const checkpoints = new Checkpoints(options, (node, partitions) => scheduler.runJob({ … }));
 */
export class Checkpoints {
  readonly #options: CheckpointOptions;
  readonly #runPartitions: RunPartitions;
  readonly #stamps: VerifiedStamps = new Map();
  /** Reliable checkpoints this Context wrote, oldest first (for `checkpointRetain` and `stop({ cleanCheckpoints })`). */
  readonly #written: { node: PlanNode; dir: string }[] = [];
  /** Told of each checkpoint committed (for the event log); `dir` is null for a local checkpoint. */
  onWritten:
    | ((node: PlanNode, kind: 'reliable' | 'local', dir: string | null, parts: readonly CheckpointPartSpec[]) => void)
    | null = null;
  #localRoot: string | null = null;
  #sweptCheckpointDir = false;

  constructor(options: CheckpointOptions, runPartitions: RunPartitions) {
    this.#options = options;
    this.#runPartitions = runPartitions;
  }

  /** Marks `node` for checkpointing; the next job that computes it writes it. Marking twice is a no-op. */
  mark(node: PlanNode, kind: CheckpointState['kind']): void {
    if (node.checkpoint !== undefined) return;
    if (kind === 'reliable' && this.#options.checkpointDir === null) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        'checkpoint() needs a checkpoint directory: create the Context with { checkpointDir: "…" } ' +
          '(or use localCheckpoint(), which does not survive the process)',
      );
    }
    node.checkpoint = {
      kind,
      status: 'pending',
      dir: null,
      report: null,
      parts: null,
      damaged: new Set(),
      hasLineage: true,
    };
    // A local checkpoint keeps its partitions in the block store too; its files are the copy eviction falls back on.
    if (kind === 'local') node.persisted = true;
  }

  /**
   * Before a job over `node`: checks the written checkpoints it reads (a damaged part is recomputed from lineage,
   * or, with no lineage, is a `CheckpointCorruptError`) and starts writing the pending ones it computes.
   */
  beforeJob(node: PlanNode): JobCheckpoints {
    const job: JobCheckpoints = { writes: [], recomputed: 0, abandonedRemoved: 0 };
    const seen = new Set<number>();
    const visit = (current: PlanNode): void => {
      if (seen.has(current.id)) return;
      seen.add(current.id);
      const checkpoint = current.checkpoint;
      if (checkpoint?.status === 'written') {
        this.#check(checkpoint);
        job.recomputed += checkpoint.damaged.size;
        if (checkpoint.damaged.size === 0) return;
      } else if (checkpoint?.status === 'pending' && checkpoint.report === null) {
        const root = checkpoint.kind === 'reliable' ? this.#options.checkpointDir! : this.#localDir();
        // Once per Context: incomplete checkpoints of killed writers in checkpointDir (tmpDir has its own sweep).
        if (checkpoint.kind === 'reliable' && !this.#sweptCheckpointDir) {
          this.#sweptCheckpointDir = true;
          job.abandonedRemoved += removeAbandonedCheckpoints(root);
        }
        const write = new CheckpointWrite(root, current.id, current.numPartitions);
        job.writes.push({ node: current, write, lineage: explainPlan(current) });
        checkpoint.dir = write.dir;
        checkpoint.report = write.report;
      }
      for (const parent of parentsOf(current)) visit(parent);
    };
    visit(node);
    return job;
  }

  /** After the job succeeded: writes partitions it did not compute, then commits each checkpoint it started. */
  async afterJob(job: JobCheckpoints): Promise<void> {
    for (const { node, write, lineage } of job.writes) {
      const missing = write.missingPartitions();
      if (missing.length > 0) await this.#runPartitions(node, missing);
      const parts = write.commit({ datasetId: node.id, partitioner: partitionerJson(node.partitioner), lineage });
      const checkpoint = node.checkpoint!;
      checkpoint.parts = parts;
      checkpoint.report = null;
      checkpoint.status = 'written';
      trustParts(parts, this.#stamps);
      if (checkpoint.kind === 'reliable') this.#retain(node, write.dir);
      this.onWritten?.(node, checkpoint.kind, checkpoint.kind === 'reliable' ? write.dir : null, parts);
    }
  }

  /** After the job failed: removes the partial checkpoints it started; they stay pending for the next job. */
  abortJob(job: JobCheckpoints): void {
    for (const { node, write } of job.writes) {
      write.abort();
      const checkpoint = node.checkpoint;
      if (checkpoint !== undefined && checkpoint.status === 'pending') {
        checkpoint.dir = null;
        checkpoint.report = null;
      }
    }
  }

  /**
   * Opens a checkpoint directory (written by any process) as a source node with its partitions and partitioner.
   * A missing or corrupt manifest is a `CheckpointCorruptError`; part files are checked before the first job.
   */
  open(path: string, plan: PlanBuilder): PlanNode {
    const dir = resolve(path);
    const manifestPath = join(dir, MANIFEST_FILE);
    let bytes: Buffer;
    try {
      bytes = readFileSync(manifestPath);
    } catch (error: unknown) {
      throw new CheckpointCorruptError(
        manifestPath,
        'a manifest (a checkpoint is complete only once its manifest is written)',
        String((error as { code?: unknown }).code ?? error),
        { cause: error },
      );
    }
    const manifest = parseManifest(bytes, manifestPath);
    const parts: CheckpointPartSpec[] = manifest.parts.map((part) => ({
      kind: 'checkpoint-part',
      path: join(dir, part.file),
      rows: part.rows,
      bytes: part.bytes,
      checksum: part.crc32,
    }));
    const source = plan.source('readCheckpoint', dir, parts);
    const node = { ...source, partitioner: restorePartitioner(manifest.partitioner, plan) } as PlanNode;
    node.checkpoint = {
      kind: 'reliable',
      status: 'written',
      dir,
      report: null,
      parts,
      damaged: new Set(),
      hasLineage: false,
    };
    return node;
  }

  /** Removes local checkpoints, and with `clean` the reliable checkpoints this Context wrote. */
  stop(clean: boolean): void {
    if (this.#localRoot !== null) removeQuietly(this.#localRoot);
    this.#localRoot = null;
    if (!clean) return;
    for (const { node, dir } of this.#written.splice(0)) {
      removeQuietly(dir);
      node.checkpoint = undefined;
    }
  }

  /** Checks every part file; damaged ones are recomputed from lineage if there is one. */
  #check(checkpoint: CheckpointState): void {
    for (const [partition, part] of (checkpoint.parts ?? []).entries()) {
      if (checkpoint.damaged.has(partition)) continue;
      const problem = checkPart(part, this.#stamps);
      if (problem === null) continue;
      if (!checkpoint.hasLineage) throw problem;
      checkpoint.damaged.add(partition);
    }
  }

  #retain(node: PlanNode, dir: string): void {
    this.#written.push({ node, dir });
    while (this.#written.length > this.#options.checkpointRetain) {
      const oldest = this.#written.shift()!;
      removeQuietly(oldest.dir);
      // Its dataset computes from lineage again, as if it had never been checkpointed.
      oldest.node.checkpoint = undefined;
    }
  }

  #localDir(): string {
    // Named with this process, so a later process removes it if this one is killed (io/files/owned-temp-dirs.ts).
    this.#localRoot ??= mkdtempSync(join(this.#options.tmpDir, `${LOCAL_CHECKPOINTS_PREFIX}${ownerTag()}-`));
    return this.#localRoot;
  }
}

function partitionerJson(partitioner: Partitioner | null): ManifestPartitioner | null {
  if (partitioner === null || partitioner.kind === 'direct') return null;
  if (partitioner.kind === 'hash') return { kind: 'hash', numPartitions: partitioner.numPartitions };
  if (partitioner.bounds === null) return null;
  const bounds = serialize(partitioner.bounds).toString('base64');
  return { kind: 'range', numPartitions: partitioner.numPartitions, ascending: partitioner.ascending, bounds };
}

function restorePartitioner(json: ManifestPartitioner | null, plan: PlanBuilder): Partitioner | null {
  if (json === null) return null;
  if (json.kind === 'hash') return plan.hashPartitioner(json.numPartitions);
  const partitioner = plan.rangePartitioner(json.numPartitions, json.ascending);
  if (partitioner.kind === 'range') partitioner.bounds = deserialize(Buffer.from(json.bounds, 'base64')) as unknown[];
  return partitioner;
}
