/**
 * The driver's log of released shuffles, for worker threads (issue 11): each thread keeps the map output tables of
 * the shuffles it read (executor/shuffle/shuffle-input.ts), and a table keeps its outputs' shared memory alive. Piscina
 * cannot address a message to every thread, so every task carries the latest releases and its thread forgets the
 * ones it has not applied yet. A thread that ran no task through more than `RELEASES_KEPT` releases misses the
 * oldest; it holds at most a few tables, which newer shuffles push out.
 */
import type { ReleasedShuffles } from '../protocol/task.js';

/** Releases carried by each task: a handful of numbers to clone per task, however many shuffles a Context runs. */
export const RELEASES_KEPT = 64;

/**
 * @example
 * const log = new ReleasedShuffleLog();
 * log.add(3);
 * log.latest(); // { first: 0, ids: [3] }
 */
export class ReleasedShuffleLog {
  #first = 0;
  #ids: number[] = [];
  /** The value `latest` returns until the next release (one object shared by every task in between). */
  #latest: ReleasedShuffles | undefined = undefined;

  add(shuffleId: number): void {
    this.#ids.push(shuffleId);
    const over = this.#ids.length - RELEASES_KEPT;
    if (over > 0) {
      this.#ids.splice(0, over);
      this.#first += over;
    }
    this.#latest = { first: this.#first, ids: [...this.#ids] };
  }

  /** The latest releases, or undefined before the first. */
  latest(): ReleasedShuffles | undefined {
    return this.#latest;
  }
}
