/**
 * The kill -9 suite's engine: runs a streaming query (the streaming word count, or the event-time window count) as a
 * child process, kills it with SIGKILL at seeded random instants, restarts it with the same checkpoint each time,
 * and compares what its sink committed with a run never killed. Used with a handful of kills by `npm test` and with
 * hundreds by `npm run test:chaos`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/common/rng.js';
import {
  committedOutput,
  countWordsDirectly,
  finalCountsOf,
  freshDir,
  runStreamWordCount,
  wordCountArgs,
  writeWordFiles,
  type ChildEnd,
  type QueryDirs,
} from './stream-fixtures.js';

export interface KillSuiteResult {
  readonly kills: number;
  readonly scenarios: number;
  readonly mismatches: readonly string[];
}

/** A query the suite kills: how to make its input, run it, and check the never-killed run's output. */
export interface KilledQuery {
  writeInput(dir: string, seed: number): void;
  run(dirs: QueryDirs, killAfterMs: number | null): Promise<ChildEnd>;
  /** Why the reference run's committed output is wrong for `input`, or null when it is right. */
  referenceError(output: string, input: string): string | null;
}

/** The streaming word count CLI (update mode, 3 state partitions, snapshots and clean-up every few batches). */
export const STREAM_WORD_COUNT: KilledQuery = {
  writeInput: (dir, seed) => writeWordFiles(dir, seed, 10, 120),
  run: (dirs, killAfterMs) => runStreamWordCount(wordCountArgs(dirs), killAfterMs),
  referenceError(output, input) {
    const direct = countWordsDirectly(input);
    const finals = finalCountsOf(output);
    const right = finals.size === direct.size && [...direct].every(([word, n]) => finals.get(word) === n);
    return right ? null : 'the reference run does not count the words right';
  },
};

/**
 * Runs scenarios of `query` until `killsMin` kills happened; each scenario ends with a run that finishes by itself.
 */
export async function runKillSuite(
  seed: number,
  killsMin: number,
  query: KilledQuery = STREAM_WORD_COUNT,
): Promise<KillSuiteResult> {
  const rng = new Rng(seed);
  const input = freshDir('stream-in');
  query.writeInput(input, seed);
  const reference = {
    input,
    out: join(freshDir('stream-ref'), 'out'),
    checkpoint: join(freshDir('stream-ref'), 'ckpt'),
  };
  const first = await query.run(reference, null);
  if (first.code !== 0) throw new Error(`the reference run failed: ${first.stderr}`);
  const expected = committedOutput(reference.out);
  const wrong = query.referenceError(expected, input);
  if (wrong !== null) throw new Error(wrong);
  // Kill instants spread over a whole run: start-up, every batch, and the end.
  const spanMs = first.durationMs * 1.1;
  let kills = 0;
  let scenarios = 0;
  const mismatches: string[] = [];
  while (kills < killsMin) {
    scenarios++;
    const root = freshDir('stream-kill');
    const dirs: QueryDirs = { input, out: join(root, 'out'), checkpoint: join(root, 'ckpt') };
    const log: string[] = [];
    for (let run = 0; ; run++) {
      // Past 40 runs of one scenario stop killing, so every scenario ends.
      const killAfterMs = run < 40 && kills < killsMin ? Math.floor(rng.nextFloat() * spanMs) : null;
      const end = await query.run(dirs, killAfterMs);
      if (end.signal === 'SIGKILL') {
        kills++;
        log.push(`killed after ${killAfterMs} ms`);
        continue;
      }
      if (end.code !== 0) {
        mismatches.push(`scenario ${scenarios} run ${run} failed (${log.join(', ')}): ${end.stderr.trim()}`);
        break;
      }
      const output = committedOutput(dirs.out);
      if (output !== expected) {
        mismatches.push(
          `scenario ${scenarios} (${log.join(', ')}): committed output differs from the run never killed`,
        );
      }
      const pending = join(dirs.out, '_kindling_sink', 'pending');
      if (existsSync(pending) && readdirSync(pending).length > 0) {
        mismatches.push(
          `scenario ${scenarios}: prepared files left behind in ${pending}: ${readdirSync(pending).join(', ')}`,
        );
      }
      break;
    }
  }
  return { kills, scenarios, mismatches };
}
