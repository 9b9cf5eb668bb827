import type { Context } from '../../api/context/context.js';
import type { RDD } from '../../api/rdd/rdd.js';
import type { Clock } from '../../common/clock.js';
import type { StreamSource } from './stream-source.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { integerSourceOption, invalidSourceOption } from './source-options.js';

/** Options of `readStream.rate()`. */
export interface RateSourceOptions {
  /**
   * Records generated per second.
   * @default 1
   */
  rowsPerSecond?: number;
  /**
   * Partitions of each batch.
   * @default the Context's defaultParallelism
   */
  numPartitions?: number;
}

/** Offsets of a rate batch: values `[start, end)` and the query's time zero (so a replay gives the same rows). */
interface RateOffsets {
  readonly start: number;
  readonly end: number;
  readonly zeroMs: number;
}

/**
 * Spark's rate source: `{ timestamp, value }` rows, `value` counting from 0 and `timestamp` the instant the row was
 * due (`zeroMs + value * 1000 / rowsPerSecond`). Replayable after a restart: rows are computed from the offsets.
 */
export class RateSource implements StreamSource {
  readonly description: string;
  readonly #rowsPerSecond: number;
  readonly #numPartitions: number | undefined;
  readonly #clock: Clock;
  readonly #options: RateSourceOptions;
  #zeroMs: number | null = null;
  #taken = 0;
  #frozenMs: number | null = null;

  constructor(options: RateSourceOptions, clock: Clock) {
    const where = 'readStream.rate()';
    refuseUnknownOptions(where, options, optionNames<RateSourceOptions>({ rowsPerSecond: true, numPartitions: true }));
    const rate = options.rowsPerSecond ?? 1;
    if (!(typeof rate === 'number' && Number.isFinite(rate) && rate > 0)) {
      throw invalidSourceOption(where, 'rowsPerSecond', 'a positive number', rate);
    }
    this.#rowsPerSecond = rate;
    this.#numPartitions = integerSourceOption(where, 'numPartitions', options.numPartitions);
    this.#clock = clock;
    this.#options = options;
    this.description = `rate(${rate}/s)`;
  }

  forQuery(): RateSource {
    return new RateSource(this.#options, this.#clock);
  }

  restore(offsets: readonly unknown[]): void {
    for (const offset of offsets) this.commitOffsets(offset);
  }

  freeze(): void {
    this.#frozenMs = this.#clock.nowMs();
  }

  nextOffsets(): RateOffsets | null {
    this.#zeroMs ??= this.#clock.nowMs();
    const nowMs = this.#frozenMs ?? this.#clock.nowMs();
    const end = Math.floor(((nowMs - this.#zeroMs) * this.#rowsPerSecond) / 1000);
    return end > this.#taken ? { start: this.#taken, end, zeroMs: this.#zeroMs } : null;
  }

  commitOffsets(offsets: unknown): void {
    const { end, zeroMs } = offsets as RateOffsets;
    this.#zeroMs = zeroMs;
    this.#taken = Math.max(this.#taken, end);
  }

  read(kc: Context, offsets: unknown): RDD<any> {
    const { start, end, zeroMs } = offsets as RateOffsets;
    const msPerRow = 1000 / this.#rowsPerSecond;
    return kc
      .range(start, end, 1, this.#numPartitions ?? kc.options.defaultParallelism)
      .map((value) => ({ timestamp: zeroMs + Math.floor(value * msPerRow), value }), { zeroMs, msPerRow });
  }

  countOf(offsets: unknown): number {
    const { start, end } = offsets as RateOffsets;
    return end - start;
  }
}
