/**
 * The hash join of a partition whose build side is over its budget (the Context option `joinBuildBytesMax`): a
 * "grace" hash join, as DuckDB's and Spark's hash joins spill. Both sides are split by a second hash of the key tuple
 * (`join-buckets.ts`) into buckets of spill files (`join-bucket-files.ts`), then joined a bucket at a time: its
 * build rows hashed in memory, its probe rows streamed through them. Equal keys share a bucket, so the buckets'
 * answers together are exactly the in-memory join's rows (in another order within the partition). A bucket still
 * over the budget is split again with the next level's seed; one whose build rows all have one key cannot be, and
 * fails the task with `ERR_COLUMNAR_JOIN_KEY_TOO_FREQUENT` naming the key (Spark would fall back to a sort-merge
 * join there). The task's spill files live in a folder of their own, removed when the join ends, fails or is
 * abandoned (its generator closed by a failure downstream).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JoinSpec, JoinSpillSpec } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import { columnOf, sliceBatch } from '../batches/batch.js';
import { concatBatches } from '../batches/concat-batches.js';
import { ColumnarError } from '../error.js';
import { BucketFiles, type Bucketing } from './join-bucket-files.js';
import { batchBytes, bucketSeed } from './join-buckets.js';
import { encodeTupleKey } from '../kernels/tuple-key.js';

/**
 * Buckets of the first split: a build side up to about 16 times its budget joins after one pass over each side.
 * A deeper split takes as many as its bucket's bytes need (twice its excess over the budget), 16 at least and 64 at
 * most: a bucket just over the budget holds a few keys, and two of them stay together through a split into n
 * buckets with chance 1/n, so with the two or three buckets its bytes ask for, two keys stayed together through
 * every level about once in 500 (seen in a test); with 16 a level, once in 16^4 across four levels.
 */
const FIRST_BUCKETS = 16;
const DEEPER_BUCKETS_MIN = 16;
const DEEPER_BUCKETS_MAX = 64;
/** Levels of splitting before a bucket still over the budget fails the task (16 × 64³ buckets: hash collisions). */
const LEVELS_MAX = 4;

/** A probe batch for `joinBuilt`, all its rows (no picking: see `hash-join.ts`). */
export interface WholeProbe {
  readonly batch: Batch;
  readonly rows: null;
  readonly count: number;
}

/** The in-memory join of one build batch and streamed probe batches (`joinBuilt` of `hash-join.ts`). */
export type JoinInMemory = (spec: JoinSpec, build: Batch, probes: Iterable<WholeProbe>) => Generator<Batch>;

/** What the task tells a spilling join: where it runs (for messages) and where its figures go. */
export interface JoinSpillTask {
  /** The task's partition, named in errors and in the spill folder's name. */
  readonly partition: number;
  /** Counts bytes written to spill files (the task's `spillBytes`). */
  readonly onSpilled: (bytes: number) => void;
  /** Counts the buckets joined (reported with the operators' rows in `explainAnalyze`). */
  readonly onBuckets: (buckets: number) => void;
}

/**
 * The joined batches of a partition: the in-memory join while the build side fits `spill.buildBytesMax`, else the
 * bucketed join of the build batches read so far, the rest of them, and the probe side.
 *
 * @example
 * yield* budgetedHashJoin(spec, buildBatches, probeBatches, spec.spill, task, joinBuilt);
 */
export function* budgetedHashJoin(
  spec: JoinSpec,
  build: Iterable<Batch>,
  probe: Iterable<Batch>,
  spill: JoinSpillSpec,
  task: JoinSpillTask,
  joinInMemory: JoinInMemory,
): Generator<Batch> {
  const held: Batch[] = [];
  let bytes = 0;
  const builds = build[Symbol.iterator]();
  let over = false;
  for (let next = builds.next(); !next.done; next = builds.next()) {
    held.push(next.value);
    bytes += batchBytes(next.value);
    if (bytes > spill.buildBytesMax) {
      over = true;
      break;
    }
  }
  if (!over) {
    const full = held.filter((b) => b.rows > 0);
    const built = concatBatches(full) ?? templateOf(held);
    yield* joinInMemory(spec, built, wholeBatches(probe));
    return;
  }
  mkdirSync(spill.dir, { recursive: true });
  const dir = mkdtempSync(join(spill.dir, `join-partition-${task.partition}-`));
  try {
    const grace = new GraceJoin(spec, spill, task, joinInMemory, dir);
    yield* grace.run(held, { [Symbol.iterator]: () => builds }, probe);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function* wholeBatches(batches: Iterable<Batch>): Generator<WholeProbe> {
  for (const batch of batches) yield { batch, rows: null, count: batch.rows };
}

/** A batch of no rows with the columns of the first batch that has any. */
function templateOf(batches: readonly Batch[]): Batch {
  const first = batches.find((b) => b.names.length > 0);
  return first === undefined ? { rows: 0, names: [], columns: [] } : sliceBatch(first, 0);
}

/** The bucket loop of one task's spilling join. */
class GraceJoin {
  private readonly buildLeft: boolean;
  private readonly buildKeys: readonly string[];
  private readonly probeKeys: readonly string[];
  private readonly preserveBuild: boolean;
  /** True when probe rows without a match come out (a preserved probe side, or an anti join's answer). */
  private readonly unmatchedProbeOut: boolean;
  private readonly flushBytes: number;
  private buildTemplate: Batch = { rows: 0, names: [], columns: [] };
  private probeTemplate: Batch = { rows: 0, names: [], columns: [] };
  private files = 0;
  private readonly spec: JoinSpec;
  private readonly spill: JoinSpillSpec;
  private readonly task: JoinSpillTask;
  private readonly joinInMemory: JoinInMemory;
  private readonly dir: string;

  constructor(spec: JoinSpec, spill: JoinSpillSpec, task: JoinSpillTask, joinInMemory: JoinInMemory, dir: string) {
    this.spec = spec;
    this.spill = spill;
    this.task = task;
    this.joinInMemory = joinInMemory;
    this.dir = dir;
    this.buildLeft = spec.build === 'left';
    this.buildKeys = this.buildLeft ? spec.leftKeys : spec.rightKeys;
    this.probeKeys = this.buildLeft ? spec.rightKeys : spec.leftKeys;
    const how = spec.how;
    this.preserveBuild = how === 'full' || how === (this.buildLeft ? 'left' : 'right');
    this.unmatchedProbeOut = how === 'full' || how === 'anti' || how === (this.buildLeft ? 'right' : 'left');
    // Half the budget held while splitting: the other half is the split rows' copies and the files' encoding.
    this.flushBytes = Math.max(1, Math.floor(spill.buildBytesMax / 2));
  }

  *run(held: readonly Batch[], restOfBuild: Iterable<Batch>, probe: Iterable<Batch>): Generator<Batch> {
    const seed = bucketSeed(0);
    const build = this.sideFiles('build', { keys: this.buildKeys, seed, buckets: FIRST_BUCKETS });
    for (const batch of held) this.buildTemplate = this.remember(this.buildTemplate, batch, build);
    for (const batch of restOfBuild) this.buildTemplate = this.remember(this.buildTemplate, batch, build);
    build.finish();
    const probes = this.sideFiles('probe', { keys: this.probeKeys, seed, buckets: FIRST_BUCKETS });
    for (const batch of probe) this.probeTemplate = this.remember(this.probeTemplate, batch, probes);
    probes.finish();
    yield* this.joinBuckets(build, probes, 0, '');
  }

  /** Adds the batch to the side's files; returns the side's template (its first batch with columns, no rows). */
  private remember(template: Batch, batch: Batch, files: BucketFiles): Batch {
    files.add(batch);
    return template.names.length === 0 && batch.names.length > 0 ? sliceBatch(batch, 0) : template;
  }

  private sideFiles(name: string, bucketing: Bucketing): BucketFiles {
    return new BucketFiles(this.dir, `${name}-${this.files++}`, bucketing, this.flushBytes, this.task.onSpilled);
  }

  private *joinBuckets(build: BucketFiles, probe: BucketFiles, level: number, path: string): Generator<Batch> {
    const n = build.bytes.length;
    for (let b = 0; b < n; b++) {
      const where = `join(), partition ${this.task.partition}, bucket ${path}${b}`;
      // A bucket with no rows on a side whose rows the join drops unmatched has no answer: its files stay unread.
      if ((build.rows[b] === 0 && !this.unmatchedProbeOut) || (probe.rows[b] === 0 && !this.preserveBuild)) continue;
      if (build.bytes[b]! <= this.spill.buildBytesMax) {
        this.task.onBuckets(1);
        const builds = [...build.batchesOf(b, `${where}, build side`)];
        const built = concatBatches(builds.filter((x) => x.rows > 0)) ?? this.buildTemplate;
        yield* this.joinInMemory(this.spec, built, this.probeParts(probe.batchesOf(b, `${where}, probe side`)));
        continue;
      }
      this.checkSplittable(build, b, level, where);
      const buckets = Math.min(
        DEEPER_BUCKETS_MAX,
        Math.max(DEEPER_BUCKETS_MIN, Math.ceil((2 * build.bytes[b]!) / this.spill.buildBytesMax)),
      );
      const seed = bucketSeed(level + 1);
      const deeperBuild = this.sideFiles('build', { keys: this.buildKeys, seed, buckets });
      for (const batch of build.batchesOf(b, `${where}, build side`)) deeperBuild.add(batch);
      deeperBuild.finish();
      build.remove(b);
      const deeperProbe = this.sideFiles('probe', { keys: this.probeKeys, seed, buckets });
      for (const batch of probe.batchesOf(b, `${where}, probe side`)) deeperProbe.add(batch);
      deeperProbe.finish();
      probe.remove(b);
      yield* this.joinBuckets(deeperBuild, deeperProbe, level + 1, `${path}${b}.`);
    }
  }

  /** The probe side's template first (an empty bucket still gives the answer its columns), then its batches. */
  private *probeParts(batches: Iterable<Batch>): Generator<WholeProbe> {
    yield { batch: this.probeTemplate, rows: null, count: 0 };
    for (const batch of batches) yield { batch, rows: null, count: batch.rows };
  }

  /**
   * Throws `ERR_COLUMNAR_JOIN_KEY_TOO_FREQUENT` when splitting the bucket again cannot help: its build rows all
   * have one key (no hash separates them), or the levels are used up.
   */
  private checkSplittable(build: BucketFiles, bucket: number, level: number, where: string): void {
    const key = oneKey(build.batchesOf(bucket, `${where}, build side`), this.buildKeys);
    if (key === null && level + 1 < LEVELS_MAX) return;
    const keys = this.buildKeys.join(', ');
    const bytes = build.bytes[bucket]!;
    const budget = this.spill.buildBytesMax;
    throw new ColumnarError(
      'ERR_COLUMNAR_JOIN_KEY_TOO_FREQUENT',
      key !== null
        ? `${where}: the key (${keys}) = (${key}) alone has ${build.rows[bucket]} build-side rows, ${bytes} bytes ` +
            `in memory, over joinBuildBytesMax (${budget}): raise joinBuildBytesMax, or make the build side ` +
            `the other one (how), or filter that key out`
        : `${where}: a bucket of ${build.rows[bucket]} build-side rows (${bytes} bytes) is still over ` +
            `joinBuildBytesMax (${budget}) after ${LEVELS_MAX} levels of splitting by key (${keys}): raise joinBuildBytesMax`,
    );
  }
}

/** The key every row of the batches has, as text, or null when two rows differ (or a key is null). */
function oneKey(batches: Iterable<Batch>, keys: readonly string[]): string | null {
  let first: Uint8Array | null = null;
  let text: string | null = null;
  let scratch = new Uint8Array(256);
  for (const batch of batches) {
    const columns = keys.map((k) => columnOf(batch, k, 'join()'));
    for (let r = 0; r < batch.rows; r++) {
      let length = encodeTupleKey(columns, r, scratch);
      while (length < 0) {
        scratch = new Uint8Array(scratch.length * 4);
        length = encodeTupleKey(columns, r, scratch);
      }
      if (first === null) {
        if (columns.some((c) => c.valid !== undefined && c.valid[r] === 0)) return null;
        first = scratch.slice(0, length);
        text = columns.map((c) => valueText(c, r)).join(', ');
      } else if (!sameBytes(first, scratch, length)) return null;
    }
  }
  return text;
}

function sameBytes(a: Uint8Array, b: Uint8Array, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const utf8 = new TextDecoder();

/** A key value as a message shows it: strings quoted, dates as ISO days, other numbers as they are. */
function valueText(column: Column, row: number): string {
  switch (column.type) {
    case 'utf8':
      return JSON.stringify(utf8.decode(column.bytes.subarray(column.starts[row]!, column.ends[row]!)));
    case 'date':
      return new Date(column.values[row]! * 86_400_000).toISOString().slice(0, 10);
    default:
      return String(column.values[row]);
  }
}
