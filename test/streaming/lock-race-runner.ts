/**
 * A process of the checkpoint lock race test: waits for the wall-clock instant `<startAtMs>`, spins `<delayUs>` more,
 * tries to take the checkpoint lock of `<dir>` as a starting query does (spinning `<takeoverUs>` between reading a
 * dead owner's lock and taking it over, as a process descheduled there would), prints `took` or the refusal's code,
 * and holds what it took until its stdin closes: `node lock-race-runner.js <dir> <startAtMs> <delayUs>
 * <takeoverUs>`. Without arguments (as `node --test dist/test/` loads every file under test/) it does nothing.
 */
import { lockCheckpoint } from '../../src/streaming/checkpoint-lock.js';

function main(dir: string, startAtMs: number, delayUs: number, takeoverUs: number): void {
  while (Date.now() < startAtMs) {
    // Spinning, not sleeping: the three processes must try the lock within microseconds of each other.
  }
  spin(delayUs); // the seeded offset of this process within the round
  let release: (() => void) | null = null;
  try {
    release = lockCheckpoint(dir, { beforeTakeover: () => spin(takeoverUs) });
    process.stdout.write('took\n');
  } catch (error: unknown) {
    process.stdout.write(`${(error as { code?: string }).code ?? String(error)}\n`);
  }
  process.stdin.resume();
  process.stdin.on('end', () => {
    release?.();
    process.exit(0);
  });
}

function spin(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    // Busy: a sleep would give up the processor, and the point is where this process is when the others run.
  }
}

const [dir, startAtMs, delayUs, takeoverUs] = process.argv.slice(2);
if (dir !== undefined && startAtMs !== undefined && delayUs !== undefined && takeoverUs !== undefined) {
  main(dir, Number(startAtMs), Number(delayUs), Number(takeoverUs));
}
