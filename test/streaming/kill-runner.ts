/**
 * The kill -9 suite's engine: runs the streaming word count as a child process, kills it with SIGKILL at seeded
 * random instants, restarts it with the same checkpoint each time, and compares what its sink committed with a run
 * never killed. Used with a handful of kills by `npm test` and with hundreds by `npm run test:chaos`.
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
  type QueryDirs,
} from './stream-fixtures.js';

export interface KillSuiteResult {
  readonly kills: number;
  readonly scenarios: number;
  readonly mismatches: readonly string[];
}

/** Runs scenarios until `killsMin` kills happened; each scenario ends with a run that finishes by itself. */
export async function runKillSuite(seed: number, killsMin: number): Promise<KillSuiteResult> {
  const rng = new Rng(seed);
  const input = freshDir('stream-in');
  writeWordFiles(input, seed, 10, 120);
  const reference = {
    input,
    out: join(freshDir('stream-ref'), 'out'),
    checkpoint: join(freshDir('stream-ref'), 'ckpt'),
  };
  const first = await runStreamWordCount(wordCountArgs(reference));
  if (first.code !== 0) throw new Error(`the reference run failed: ${first.stderr}`);
  const expected = committedOutput(reference.out);
  const direct = countWordsDirectly(input);
  const finals = finalCountsOf(expected);
  if (finals.size !== direct.size || [...direct].some(([word, n]) => finals.get(word) !== n)) {
    throw new Error('the reference run does not count the words right');
  }
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
      const end = await runStreamWordCount(wordCountArgs(dirs), killAfterMs);
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
