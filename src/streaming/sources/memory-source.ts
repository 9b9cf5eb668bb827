import type { Context } from '../../api/context/context.js';
import type { RDD } from '../../api/rdd/rdd.js';
import { StreamingQueryError } from '../../common/errors.js';
import type { StreamSource } from './stream-source.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { integerSourceOption, invalidSourceOption } from './source-options.js';

/** Offsets of a memory-source batch: records `[start, end)` in the order they were added. */
interface RangeOffsets {
  readonly start: number;
  readonly end: number;
}

/** Options of `readStream.memory()`. */
export interface MemorySourceOptions {
  /**
   * The source's name in the query's fingerprint: a restarted query must use the same name.
   * @default 'memory'
   */
  name?: string;
  /**
   * Partitions of each batch.
   * @default the Context's defaultParallelism
   */
  numPartitions?: number;
  /**
   * At most this many records per batch.
   * @default no limit
   */
  maxRecordsPerTrigger?: number;
}

/**
 * Records pushed from the driver with `addData` (Spark's MemoryStream), for tests and apps that produce data in
 * process. Replayable within the process: every record added is kept, and a batch's offsets are positions in that
 * sequence. WARNING: after a restart the records are gone unless the app adds the same records again (in the same
 * order); a batch whose records were not added again fails with a clear error instead of reading other data.
 */
export class MemorySource<T> implements StreamSource {
  readonly description: string;
  readonly #options: MemorySourceOptions;
  /** Every record added, shared by the cursors `forQuery` makes. */
  readonly #records: T[];
  readonly #numPartitions: number | undefined;
  readonly #maxRecords: number;
  #taken = 0;
  #frozen: number | null = null;

  constructor(options: MemorySourceOptions, records: T[] = []) {
    const where = 'readStream.memory()';
    refuseUnknownOptions(
      where,
      options,
      optionNames<MemorySourceOptions>({ name: true, numPartitions: true, maxRecordsPerTrigger: true }),
    );
    const name = options.name ?? 'memory';
    if (typeof name !== 'string' || name === '') throw invalidSourceOption(where, 'name', 'a non-empty string', name);
    this.description = `memory(${name})`;
    this.#options = options;
    this.#records = records;
    this.#numPartitions = integerSourceOption(where, 'numPartitions', options.numPartitions);
    this.#maxRecords =
      integerSourceOption(where, 'maxRecordsPerTrigger', options.maxRecordsPerTrigger) ?? Number.POSITIVE_INFINITY;
  }

  /** Appends records; the next batch takes them. Returns the offset after the last one. */
  addData(records: readonly T[]): number {
    for (const record of records) this.#records.push(record);
    return this.#records.length;
  }

  /** A cursor over the same records: `addData` on the stream reaches every query. */
  forQuery(): MemorySource<T> {
    return new MemorySource<T>(this.#options, this.#records);
  }

  restore(offsets: readonly unknown[]): void {
    for (const offset of offsets) this.commitOffsets(offset);
  }

  freeze(): void {
    this.#frozen = this.#records.length;
  }

  nextOffsets(unlimited: boolean): RangeOffsets | null {
    const available = Math.min(this.#records.length, this.#frozen ?? Number.POSITIVE_INFINITY);
    if (available <= this.#taken) return null;
    const end = unlimited ? available : Math.min(available, this.#taken + this.#maxRecords);
    return { start: this.#taken, end };
  }

  commitOffsets(offsets: unknown): void {
    this.#taken = Math.max(this.#taken, (offsets as RangeOffsets).end);
  }

  read(kc: Context, offsets: unknown, batchId: number): RDD<any> {
    const { start, end } = offsets as RangeOffsets;
    if (end > this.#records.length) {
      throw new StreamingQueryError(
        'ERR_STREAM_SOURCE',
        `${this.description}: batch ${batchId} replays records [${start}, ${end}) but only ${this.#records.length} were added in this process: add the same records again before restarting the query`,
        { batchId },
      );
    }
    return kc.parallelize(this.#records.slice(start, end), this.#numPartitions ?? kc.options.defaultParallelism);
  }

  countOf(offsets: unknown): number {
    const { start, end } = offsets as RangeOffsets;
    return end - start;
  }
}
