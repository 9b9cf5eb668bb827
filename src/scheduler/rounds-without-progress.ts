/**
 * Bounds a recovery loop by its progress, not by its length. A round makes progress when it leaves less to do than
 * every round before it (and than there was at the start); the loop gives up after `max` rounds in a row without
 * progress. So the rounds a job may take grow with the faults that undo its work (each is followed by a round that
 * redoes it), never with their timing, and they stay bounded: at most (remaining at the start + 1) × `max`.
 *
 * @example
 * const rounds = new RoundsWithoutProgress(4, missing().length);
 * while (missing().length > 0 && !rounds.exhausted) {
 *   await runRound();
 *   rounds.record(missing().length);
 * }
 */
export class RoundsWithoutProgress {
  readonly max: number;
  private fewest: number;
  private stalled = 0;

  constructor(max: number, remainingAtStart: number) {
    this.max = max;
    this.fewest = remainingAtStart;
  }

  /** Records what a round left to do. */
  record(remaining: number): void {
    if (remaining < this.fewest) {
      this.fewest = remaining;
      this.stalled = 0;
    } else {
      this.stalled++;
    }
  }

  /** Rounds in a row that made no progress. */
  get stalledRounds(): number {
    return this.stalled;
  }

  /** True once `max` rounds in a row made no progress: the loop must stop. */
  get exhausted(): boolean {
    return this.stalled >= this.max;
  }
}
