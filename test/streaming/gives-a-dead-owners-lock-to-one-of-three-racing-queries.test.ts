// Three queries started at the same instant on a checkpoint whose owner was killed (kill -9) all find a dead
// owner's lock: exactly one may take it over, and the other two must be refused, as real processes, round after
// round with seeded offsets between them (the two-way race once let both run; moving a lock aside and back let a
// third process in while the name was empty).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import { hostTag } from '../../src/io/files/owned-temp-dirs.js';
import { makeTempDir } from '../support/temp-dir.js';
import { testSeed } from '../columnar/random-rows.js';
import { sized } from '../support/test-scale.js';

const RUNNER = fileURLToPath(new URL('./lock-race-runner.js', import.meta.url));
/** Each round starts three processes; the quick size still lets a missing claim check through within its rounds. */
const ROUNDS = Number(process.env.LOCK_RACE_ROUNDS ?? sized(15, 60));
/** Node's start-up on a loaded machine, before the common start instant. */
const START_DELAY_MS = 300;
/** The seeded offsets of the three processes within a round, and their pauses before taking a dead lock over. */
const OFFSET_US_MAX = Number(process.env.LOCK_RACE_OFFSET_US ?? 60);
const TAKEOVER_US_MAX = Number(process.env.LOCK_RACE_TAKEOVER_US ?? 400);

const seed = testSeed('gives-a-dead-owners-lock-to-one-of-three-racing-queries');

interface Contender {
  readonly pid: number;
  readonly answer: Promise<string>;
  readonly exited: Promise<number | null>;
  release(): void;
}

function contend(dir: string, startAtMs: number, [delayUs, takeoverUs]: readonly number[]): Contender {
  const child = spawn(process.execPath, [RUNNER, dir, String(startAtMs), String(delayUs), String(takeoverUs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answer = new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`runner exited (${code}) before answering: ${text}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { pid: child.pid!, answer, exited, release: () => child.stdin.end() };
}

test('of three processes taking a dead owner`s checkpoint lock at once, exactly one gets it and two are refused', async () => {
  const rng = new Rng(seed);
  for (let round = 0; round < ROUNDS; round++) {
    const dir = makeTempDir('lock-race');
    writeFileSync(join(dir, 'lock'), JSON.stringify({ host: hostTag(), pid: 4_194_305 })); // past Linux's last pid
    const startAtMs = Date.now() + START_DELAY_MS;
    const offsets = [0, 1, 2].map(() => [
      Math.floor(rng.nextFloat() * OFFSET_US_MAX),
      Math.floor(rng.nextFloat() * TAKEOVER_US_MAX),
    ]);
    const contenders = offsets.map((offset) => contend(dir, startAtMs, offset));
    const answers = await Promise.all(contenders.map((contender) => contender.answer));
    const where = `round ${round}, offsets and pauses ${offsets.map((o) => o.join('+')).join(', ')} µs, SEED=${seed}`;
    const winners = contenders.filter((_, i) => answers[i] === 'took');
    assert.equal(winners.length, 1, `one process took the lock: ${answers.join(', ')}; ${where}`);
    assert.deepEqual(
      answers.filter((answer) => answer !== 'took'),
      ['ERR_STREAM_CHECKPOINT_IN_USE', 'ERR_STREAM_CHECKPOINT_IN_USE'],
      where,
    );
    const owner = JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { pid: number };
    assert.equal(owner.pid, winners[0]!.pid, `the lock names the winner; ${where}`);
    for (const contender of contenders) contender.release();
    assert.deepEqual(await Promise.all(contenders.map((contender) => contender.exited)), [0, 0, 0], where);
    assert.deepEqual(readdirSync(dir), [], `nothing left behind once released; ${where}`);
  }
});
