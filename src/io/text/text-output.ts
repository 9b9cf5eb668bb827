import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { assert } from '../../common/assert.js';
import { OutputError } from '../../common/errors.js';
import { linkTreeInto, moveTreeInto } from '../files/file-tree.js';
import { errnoCode } from '../files/input-fs-error.js';
import { ownerTag, removeStaleTempDirs } from '../files/owned-temp-dirs.js';
import { writeLinesFile } from './lines-file.js';
import { fsStep, fsyncDirectory, outputFailed, pathExists, removeQuietly } from '../files/output-fs.js';

/** Options of `TextOutputCommitter`. */
export interface TextOutputCommitterOptions {
  /**
   * Replace the target if it exists. The old target stays readable until the new one is published.
   * @default false: an existing target is an error
   */
  readonly overwrite?: boolean;
  /**
   * Appended to every part file's name (`.gz` for gzip output, as Hadoop's codecs name their files; `.csv` makes
   * `part-00000.csv`).
   * @default ''
   */
  readonly partSuffix?: string;
  /**
   * Add the new part files to an existing target instead of refusing it (Spark's `append`): at commit, the files
   * already there are hard-linked into the staging directory beside the new ones, which then replaces the target as
   * `overwrite` does, so readers see the old files or old plus new, never part of the new. Give `partSuffix` a
   * per-job tag so new names never meet old ones. WARNING: two jobs appending to one target at once may lose the
   * files of the one that commits first.
   * @default false
   */
  readonly append?: boolean;
  /**
   * How the caller's API asks to replace an existing target, for the error that refuses one (`ds.write` says
   * `.mode('overwrite')`).
   * @default 'Pass { overwrite: true }'
   */
  readonly overwriteHint?: string;
}

type CommitterState = 'created' | 'set-up' | 'committed' | 'aborted';

let siblingCounter = 0;

/**
 * Spark's `FileOutputCommitter`, simplified and made atomic: the output directory appears whole (every
 * `part-NNNNN` plus an empty `_SUCCESS`) or not at all. Lives on the driver; tasks only write the paths it hands out.
 *
 * Protocol: `setupJob()` once → per task attempt, `attemptPath(p, a)` → the task writes that file (with
 * `writeLinesFile`) → `commitTask(p, path)` when the attempt succeeds (the first attempt of a partition wins) →
 * `commitJob(numPartitions)` or `abortJob()`.
 *
 * Everything is staged in a hidden sibling of the target (`.<name>.kindling-staging-h<host>-<pid>-<n>`, same parent
 * so the final rename is atomic), which Hadoop-style input listing skips. `setupJob()` first removes the staging
 * siblings of the same target left by processes of this host that are gone (killed before they could clean up),
 * and, when the target exists, the old outputs they had moved aside; `staleDirsRemoved` says how many.
 * WARNING: kill or await every running attempt before `commitJob`/`abortJob`. An attempt still writing afterwards
 * recreates its staging directory; calling `commitTask` for it (returns false) or `abortJob()` again removes it.
 *
 * @example
 * const committer = new TextOutputCommitter('out/counts', { overwrite: false });
 * committer.setupJob();
 * const path = committer.attemptPath(0, 0);
 * writeLinesFile(path, ['a 1']);
 * committer.commitTask(0, path); // true
 * committer.commitJob(1);        // out/counts/part-00000 and out/counts/_SUCCESS appear together
 */
export class TextOutputCommitter {
  /** Absolute path of the output directory. */
  readonly targetDir: string;
  private readonly overwrite: boolean;
  private readonly partSuffix: string;
  private readonly append: boolean;
  private readonly overwriteHint: string;
  private staging = '';
  private state: CommitterState = 'created';
  private readonly committed = new Set<number>();
  /** Attempt paths handed out and not yet committed or discarded, with their partition. */
  private readonly issued = new Map<string, number>();
  private staleRemoved = 0;

  constructor(targetDir: string, options: TextOutputCommitterOptions = {}) {
    this.targetDir = resolve(targetDir);
    this.overwrite = options.overwrite ?? false;
    this.partSuffix = options.partSuffix ?? '';
    this.append = options.append ?? false;
    this.overwriteHint = options.overwriteHint ?? 'Pass { overwrite: true }';
  }

  /** Leftovers of killed processes that `setupJob()` removed beside the target (see the class comment). */
  get staleDirsRemoved(): number {
    return this.staleRemoved;
  }

  /** Absolute path of the hidden staging directory, chosen by `setupJob()`; `''` before it. */
  get stagingDir(): string {
    return this.staging;
  }

  /**
   * Checks the target and creates the staging directory (and missing parents of the target).
   * Throws `OutputError` `ERR_OUTPUT_EXISTS` if the target exists and `overwrite` is false.
   */
  setupJob(): void {
    assert(this.state === 'created', `setupJob() called in state '${this.state}'`);
    const target = this.targetDir;
    const parent = dirname(target);
    if (parent === target) throw outputFailed(target, 'using the file-system root as the output directory');
    this.staleRemoved = removeStaleTempDirs(parent, siblingPrefix(target, 'staging'));
    // An old output moved aside is the only copy until the new one is renamed onto the target: only debris once
    // the target exists again.
    if (pathExists(target)) this.staleRemoved += removeStaleTempDirs(parent, siblingPrefix(target, 'old'));
    if (pathExists(target) && !this.overwrite && !this.append) {
      throw new OutputError(
        'ERR_OUTPUT_EXISTS',
        `Output path ${target} already exists: expected a path that does not exist. ` +
          `${this.overwriteHint} to replace it, or choose another path`,
      );
    }
    fsStep(parent, 'creating the output parent directory', () => mkdirSync(parent, { recursive: true }));
    const staging = createUniqueSibling(target, 'staging');
    this.staging = staging;
    fsStep(staging, 'creating the staging directory', () => mkdirSync(join(staging, '_temporary')));
    this.state = 'set-up';
  }

  /**
   * A fresh private file path for one task attempt: `<staging>/_temporary/attempt-<p>-<a>/part-<p>`. Creates its
   * directory now, so the writer in the task finds it.
   */
  attemptPath(partition: number, attempt: number): string {
    assert(this.state === 'set-up', `attemptPath() called in state '${this.state}'`);
    assert(Number.isSafeInteger(partition) && partition >= 0, `partition must be an integer >= 0: ${partition}`);
    assert(Number.isSafeInteger(attempt) && attempt >= 0, `attempt must be an integer >= 0: ${attempt}`);
    const dir = join(this.staging, '_temporary', `attempt-${partition}-${attempt}`);
    fsStep(dir, 'creating the task attempt directory', () => mkdirSync(dir, { recursive: true }));
    const path = join(dir, partFileName(partition) + this.partSuffix);
    this.issued.set(path, partition);
    return path;
  }

  /**
   * Commits one attempt's file as the partition's output; the first committer wins. Returns false (and deletes
   * the attempt's file) when the partition is already committed or the job is over; true after the file moved to
   * `<staging>/part-<p>`. An attempt that wrote a directory in place of its file (Hive partition folders, or no
   * file at all) has every file under it moved to the same place under staging. Throws `OutputError`
   * `ERR_OUTPUT_FAILED` if the attempt's file cannot be moved (missing).
   */
  commitTask(partition: number, attemptPath: string): boolean {
    const issuedFor = this.issued.get(attemptPath);
    assert(issuedFor === partition, `commitTask(${partition}) with ${attemptPath}, not issued for this partition`);
    this.issued.delete(attemptPath);
    if (this.state !== 'set-up') {
      // The staging directory is gone (published or aborted): whatever a late attempt wrote there is debris.
      removeQuietly(this.staging);
      return false;
    }
    if (this.committed.has(partition)) {
      removeQuietly(dirname(attemptPath));
      return false;
    }
    const finalPath = join(this.staging, partFileName(partition) + this.partSuffix);
    if (isDirectory(attemptPath)) moveTreeInto(attemptPath, this.staging);
    else {
      fsStep(attemptPath, `committing partition ${partition} to ${finalPath}`, () =>
        renameSync(attemptPath, finalPath),
      );
    }
    this.committed.add(partition);
    removeQuietly(dirname(attemptPath));
    return true;
  }

  /**
   * Drops one attempt's output without committing it (`ds.write` writes a partition again in the dataset's settled
   * schema): its directory is removed, so a new attempt of the partition may be handed the same path.
   */
  discardTask(partition: number, attemptPath: string): void {
    assert(this.issued.get(attemptPath) === partition, `discardTask(${partition}) with ${attemptPath}, not issued`);
    this.issued.delete(attemptPath);
    removeQuietly(dirname(attemptPath));
  }

  /**
   * Publishes the output: requires partitions `0 … numPartitions - 1` committed (and no others), writes
   * `_SUCCESS`, removes `_temporary`, fsyncs, then renames staging onto the target in one step. With `overwrite`,
   * the old target is renamed aside first and deleted after (readers see the old or the new output, never a mix).
   * On failure the staging directory is removed, an overwritten target is restored, and `OutputError` is thrown:
   * `ERR_OUTPUT_EXISTS` if someone created the target meanwhile (without `overwrite`), else `ERR_OUTPUT_FAILED`.
   */
  commitJob(numPartitions: number): void {
    assert(this.state === 'set-up', `commitJob() called in state '${this.state}'`);
    const missing: number[] = [];
    for (let p = 0; p < numPartitions; p++) if (!this.committed.has(p)) missing.push(p);
    const extra = [...this.committed].filter((p) => p >= numPartitions);
    assert(
      missing.length === 0 && extra.length === 0,
      `commitJob(${numPartitions}) on ${this.targetDir}: uncommitted partitions [${missing.join(', ')}], ` +
        `unexpected partitions [${extra.join(', ')}]`,
    );
    try {
      writeLinesFile(join(this.staging, '_SUCCESS'), []);
      const temporary = join(this.staging, '_temporary');
      fsStep(temporary, 'removing task attempt files', () => rmSync(temporary, { recursive: true, force: true }));
      fsyncDirectory(this.staging);
      this.publish();
    } catch (error) {
      // Not abortJob(): a second error from cleanup would hide this one.
      // (Cast: TypeScript narrowed `state` before publish(), which may have set it.)
      if ((this.state as CommitterState) !== 'committed') {
        removeQuietly(this.staging);
        this.state = 'aborted';
      }
      throw error instanceof OutputError ? error : outputFailed(this.targetDir, 'committing the job', error);
    }
  }

  /**
   * Removes the staging directory and everything in it; the target is left as it was. Idempotent; a no-op after
   * a successful `commitJob`. Throws `OutputError` `ERR_OUTPUT_FAILED` if the staging directory cannot be removed.
   */
  abortJob(): void {
    if (this.state === 'committed') return;
    const staging = this.staging;
    if (staging !== '') {
      fsStep(staging, 'removing the staging directory', () => rmSync(staging, { recursive: true, force: true }));
    }
    this.state = 'aborted';
  }

  /** Renames staging onto the target; sets state 'committed' as soon as the new output is visible. */
  private publish(): void {
    const target = this.targetDir;
    const parent = dirname(target);
    if (!pathExists(target)) {
      try {
        // WARNING: POSIX rename silently replaces an *empty* directory created at the target since the check above.
        renameSync(this.staging, target);
        this.state = 'committed';
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EEXIST' || code === 'ENOTEMPTY') throw createdMeanwhile(target, error, this.overwriteHint);
        throw outputFailed(target, `renaming ${this.staging} onto it`, error);
      }
    } else if (!this.overwrite && !this.append) {
      throw createdMeanwhile(target, undefined, this.overwriteHint);
    } else {
      // The published files join the new ones (names never meet: see `append`); `_SUCCESS` is the new job's.
      if (this.append) linkTreeInto(target, this.staging, (name) => !name.startsWith('.') && name !== '_SUCCESS');
      const aside = uniqueSiblingName(target, 'old');
      fsStep(target, `moving the old output aside to ${aside}`, () => renameSync(target, aside));
      try {
        renameSync(this.staging, target);
        this.state = 'committed';
      } catch (error) {
        // Put the old output back: the target never goes missing for good.
        let restored = '';
        try {
          renameSync(aside, target);
        } catch {
          restored = ` (the old output could not be moved back and is at ${aside})`;
        }
        throw outputFailed(target, `renaming ${this.staging} onto it${restored}`, error);
      }
      // The new output is published; failing to delete the old copy must not fail the job.
      removeQuietly(aside);
    }
    fsyncDirectory(parent);
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function partFileName(partition: number): string {
  return `part-${String(partition).padStart(5, '0')}`;
}

function siblingPrefix(target: string, purpose: string): string {
  return `.${basename(target)}.kindling-${purpose}-`;
}

function uniqueSiblingName(target: string, purpose: string): string {
  return join(dirname(target), `${siblingPrefix(target, purpose)}${ownerTag()}-${siblingCounter++}`);
}

/** Creates a new hidden directory next to `target`; skips names another job in this or another process holds. */
function createUniqueSibling(target: string, purpose: string): string {
  for (let tries = 0; ; tries++) {
    const path = uniqueSiblingName(target, purpose);
    try {
      mkdirSync(path);
      return path;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST' || tries >= 1000) throw outputFailed(path, 'creating it', error);
    }
  }
}

function createdMeanwhile(target: string, cause: unknown, overwriteHint: string): OutputError {
  return new OutputError(
    'ERR_OUTPUT_EXISTS',
    `Output path ${target} was created by someone else while the job ran: expected it to stay absent; ` +
      `nothing was written. ${overwriteHint} to replace it`,
    { cause },
  );
}
