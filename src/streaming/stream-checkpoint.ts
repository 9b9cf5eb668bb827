import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StreamCheckpointCorruptError, StreamingQueryError } from '../common/errors.js';
import { batchLogPath, listBatchIds, readLog, writeLog } from './checkpoint-log.js';
import type { RecordedStatePartition, StateCoordinator } from './state-coordinator.js';
import type { EventTimeProgress, EventTimeWindow } from './event-time-watermark.js';

/** The checkpoint format this version writes; a checkpoint of a higher one is refused. */
export const STREAM_CHECKPOINT_FORMAT = 1;

/** What must stay the same across restarts of one query; anything else (function bodies, names) may change. */
export interface QueryFingerprint {
  readonly sources: readonly string[];
  readonly stateful: {
    readonly operator: string;
    readonly numPartitions: number;
    /** `reduceByKeyAndWindow`'s windows and watermark delay (absent for `updateStateByKey`). */
    readonly window?: EventTimeWindow;
  } | null;
  readonly outputMode: string;
  readonly sink: string;
}

/** `metadata`: the query's identity and fingerprint. */
export interface QueryMetadata {
  readonly formatVersion: number;
  readonly queryId: string;
  readonly fingerprint: QueryFingerprint;
}

/** `offsets/N`: what batch N reads, recorded before it runs. */
export interface OffsetRecord {
  readonly batchId: number;
  /** The batch's logical time: state timeouts and rate rows use it, so a replay sees the same time. */
  readonly timestampMs: number;
  /** One entry per source, in the query's source order; null: no new data from that source. */
  readonly sources: readonly unknown[];
  /** With event-time windows: the watermark this batch drops late events and final windows by (null: none yet). */
  readonly watermarkMs?: number | null;
}

/** `handles/N`: the commit decision. Once it exists, batch N commits (rolled forward after a crash if need be). */
export interface HandleRecord {
  readonly batchId: number;
  /** False for sinks that cannot roll forward (their output lived in memory): the batch is rerun instead. */
  readonly twoPhase: boolean;
  readonly handles: readonly unknown[];
  readonly state: { readonly operator: string; readonly partitions: readonly unknown[] } | null;
  /** With event-time windows: the event times after this batch (what the next batch's watermark comes from). */
  readonly eventTime?: EventTimeProgress;
}

/** `commits/N`: batch N's sink commit happened (with event-time windows, the event times after it). */
export interface CommitRecord {
  readonly batchId: number;
  readonly eventTime?: EventTimeProgress;
}

/**
 * The checkpoint folder of one streaming query (DESIGN.md §8):
 *
 *   metadata       query id, format, fingerprint
 *   offsets/N      written before batch N runs (what it reads)
 *   handles/N      every partition's prepared sink handle and state files: the commit decision
 *   commits/N      written after the sink committed batch N
 *   state/<op>/<p>/<v>.{delta,snapshot}.arrow
 *
 * Every log file is written whole or not at all and checked by CRC-32 when read (checkpoint-log.ts).
 */
export class StreamCheckpoint {
  readonly root: string;
  readonly metadata: QueryMetadata;

  private constructor(root: string, metadata: QueryMetadata) {
    this.root = root;
    this.metadata = metadata;
  }

  /**
   * Opens (or creates) the checkpoint at `root` for a query with `fingerprint`. A checkpoint of another query
   * shape is refused with an error naming what changed.
   */
  static open(root: string, fingerprint: QueryFingerprint): StreamCheckpoint {
    const path = resolve(root);
    mkdirSync(path, { recursive: true });
    const metadataPath = join(path, 'metadata');
    const found = readLog(metadataPath) as QueryMetadata | undefined;
    if (found === undefined) {
      if (hasBatchLogs(path)) {
        throw new StreamCheckpointCorruptError(
          metadataPath,
          'the metadata file of a checkpoint that has batch logs',
          'no file',
        );
      }
      const metadata: QueryMetadata = { formatVersion: STREAM_CHECKPOINT_FORMAT, queryId: randomUUID(), fingerprint };
      writeLog(metadataPath, metadata);
      return new StreamCheckpoint(path, metadata);
    }
    if (typeof found.formatVersion !== 'number' || found.formatVersion > STREAM_CHECKPOINT_FORMAT) {
      throw new StreamCheckpointCorruptError(
        metadataPath,
        `checkpoint format ${STREAM_CHECKPOINT_FORMAT} or older`,
        `format ${String(found.formatVersion)} (written by a newer kindling)`,
      );
    }
    const changes = describeChanges(found.fingerprint, fingerprint);
    if (changes.length > 0 && !hasBatchLogs(path)) {
      // No batch was ever planned here (a start that failed before its first offsets, e.g. on a missing source
      // folder): nothing was read or written under this query's name, so the corrected query takes the folder
      // over, keeping the id its sink folder may already carry.
      const metadata: QueryMetadata = { formatVersion: STREAM_CHECKPOINT_FORMAT, queryId: found.queryId, fingerprint };
      writeLog(metadataPath, metadata);
      return new StreamCheckpoint(path, metadata);
    }
    if (changes.length > 0) {
      throw new StreamingQueryError(
        'ERR_STREAM_INCOMPATIBLE_CHECKPOINT',
        `the checkpoint ${path} belongs to a different query: ${changes.join('; ')}. Use a new checkpointLocation for a changed query`,
      );
    }
    return new StreamCheckpoint(path, found);
  }

  /** Opens an existing checkpoint to read it (`readStateStore`): no fingerprint check, nothing written. */
  static openForReading(root: string): StreamCheckpoint {
    const path = resolve(root);
    const metadataPath = join(path, 'metadata');
    const found = readLog(metadataPath) as QueryMetadata | undefined;
    if (found === undefined)
      throw new StreamCheckpointCorruptError(metadataPath, 'the metadata file of a checkpoint', 'no file');
    return new StreamCheckpoint(path, found);
  }

  /** The recorded number of state partitions, if the checkpoint has a stateful operator that ran a batch. */
  static recordedStatePartitions(root: string): number | null {
    const path = resolve(root);
    // Not a folder (nothing there, or a file): no checkpoint, rather than readdir's raw ENOTDIR.
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory() !== true || !hasBatchLogs(path)) return null;
    const found = readLog(join(path, 'metadata')) as QueryMetadata | undefined;
    return found?.fingerprint?.stateful?.numPartitions ?? null;
  }

  dir(kind: 'offsets' | 'handles' | 'commits'): string {
    return join(this.root, kind);
  }

  stateDir(operator: string): string {
    return join(this.root, 'state', operator);
  }

  batchIds(kind: 'offsets' | 'handles' | 'commits'): number[] {
    return listBatchIds(this.dir(kind));
  }

  read<T>(kind: 'offsets' | 'handles' | 'commits', batchId: number): T | undefined {
    return readLog(batchLogPath(this.dir(kind), batchId)) as T | undefined;
  }

  write(kind: 'offsets' | 'handles' | 'commits', batchId: number, body: unknown): void {
    writeLog(batchLogPath(this.dir(kind), batchId), body);
  }

  /** Removes the log files of `kind` for batches before `batchId`. */
  dropBefore(kind: 'offsets' | 'handles' | 'commits', batchId: number): void {
    for (const id of this.batchIds(kind)) {
      if (id < batchId) rmSync(batchLogPath(this.dir(kind), id), { force: true });
    }
  }
}

function describeChanges(before: QueryFingerprint, now: QueryFingerprint): string[] {
  const changes: string[] = [];
  if (JSON.stringify(before.sources) !== JSON.stringify(now.sources)) {
    changes.push(`its sources were ${before.sources.join(', ')}, now ${now.sources.join(', ')}`);
  }
  const kindBefore = statefulKindOf(before.stateful);
  const kindNow = statefulKindOf(now.stateful);
  if (kindBefore !== kindNow) {
    changes.push(
      kindBefore === null
        ? `it had no stateful operator, now it has ${kindNow}`
        : kindNow === null
          ? `it had ${kindBefore}, now it has no stateful operator`
          : `its stateful operator was ${kindBefore}, now ${kindNow}`,
    );
  } else if (
    before.stateful !== null &&
    now.stateful !== null &&
    before.stateful.numPartitions !== now.stateful.numPartitions
  ) {
    changes.push(`its state had ${before.stateful.numPartitions} partitions, now ${now.stateful.numPartitions}`);
  }
  const windowsBefore = JSON.stringify(before.stateful?.window ?? null);
  const windowsNow = JSON.stringify(now.stateful?.window ?? null);
  if (kindBefore === 'reduceByKeyAndWindow' && kindNow === kindBefore && windowsBefore !== windowsNow) {
    changes.push(`its event-time windows were ${windowsBefore}, now ${windowsNow}`);
  }
  if (before.outputMode !== now.outputMode)
    changes.push(`its output mode was '${before.outputMode}', now '${now.outputMode}'`);
  if (before.sink !== now.sink) changes.push(`its sink was ${before.sink}, now ${now.sink}`);
  return changes;
}

/** Which stateful operator a fingerprint records (the operator's own name is only its folder under `state/`). */
function statefulKindOf(stateful: QueryFingerprint['stateful']): 'updateStateByKey' | 'reduceByKeyAndWindow' | null {
  if (stateful === null) return null;
  return stateful.window === undefined ? 'updateStateByKey' : 'reduceByKeyAndWindow';
}

/**
 * Replays into `state` the state files of the committed batches that version `lastCommitted` rests on: walking back
 * from it, every batch's handle log down to the newest one with a snapshot of every partition (or batch 0). Then
 * checks every file those versions rest on. A handle log missing on that walk is corruption, named: without it the
 * state would silently lack that batch's updates (retention only drops logs older than the newest such snapshot).
 */
export function replayCommittedState(
  checkpoint: StreamCheckpoint,
  state: StateCoordinator,
  lastCommitted: number,
): void {
  const chain: [number, RecordedStatePartition[]][] = [];
  for (let id = lastCommitted; id >= 0; id--) {
    const record = checkpoint.read<HandleRecord>('handles', id);
    if (record === undefined) {
      throw new StreamCheckpointCorruptError(
        batchLogPath(checkpoint.dir('handles'), id),
        `the handle log of committed batch ${id}, one of those the state of batch ${lastCommitted} is rebuilt from (back to the newest snapshot)`,
        'no file',
      );
    }
    const partitions = (record.state?.partitions ?? []) as RecordedStatePartition[];
    chain.push([id, partitions]);
    if (id === 0 || snapshotsEveryPartition(partitions, state.numPartitions)) break;
  }
  for (const [id, partitions] of chain.reverse()) state.replay(id, partitions);
  state.version = lastCommitted;
  state.verify();
}

/** Whether a batch wrote a snapshot of every state partition (a version that rests on no earlier file). */
function snapshotsEveryPartition(partitions: readonly RecordedStatePartition[], numPartitions: number): boolean {
  const snapshotted = new Set(partitions.filter((p) => p.snapshot !== null).map((p) => p.partition));
  return snapshotted.size === numPartitions;
}

/** True once a batch was planned: any of the batch logs or the state folder exists. */
function hasBatchLogs(path: string): boolean {
  return readdirSync(path).some((name) => ['offsets', 'commits', 'handles', 'state'].includes(name));
}
