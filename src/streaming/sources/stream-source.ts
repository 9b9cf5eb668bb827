import type { Context } from '../../api/context/context.js';
import type { RDD } from '../../api/rdd/rdd.js';

/**
 * A replayable streaming source (DESIGN.md §8). The driver asks it for the next batch's offsets (plain JSON, which
 * the offset log records before the batch runs), then for the records those offsets name; given the same offsets it
 * must give the same records, in this process or after a restart. Offsets of one batch say what that batch takes;
 * `restore` replays the offsets of batches already planned so the source knows what is taken.
 */
export interface StreamSource {
  /** How the source was defined (`textFiles(/abs/dir)`): part of the query's fingerprint. */
  readonly description: string;
  /**
   * The same source with a cursor of its own, for one query: what a query has taken, frozen or connected to is
   * its own, so two queries started from one stream each read all of its data (as in Spark). The definition a
   * stream holds is never read from.
   */
  forQuery(): StreamSource;
  /** Replays the recorded offsets of earlier batches, in batch order, on a restart. */
  restore(offsets: readonly unknown[]): void;
  /**
   * Freezes what counts as available now, for `availableNow` and `once` triggers: later `nextOffsets` calls never
   * go past it.
   */
  freeze(): void;
  /**
   * The offsets of the next batch (honouring the per-trigger limits unless `unlimited`), or null: nothing new. A
   * source that asks a server (JetStream) returns a Promise.
   */
  nextOffsets(unlimited: boolean): unknown;
  /** Marks a planned batch's offsets as taken (after its offsets are recorded). */
  commitOffsets(offsets: unknown): void;
  /**
   * Optional: fetches the records of a batch before `read` (a source whose records come over the network pulls
   * them here, on the driver, where it can wait and retry); `read` of that batch then serves them.
   */
  load?(offsets: unknown, batchId: number): Promise<void>;
  /** The records of one batch. */
  read(kc: Context, offsets: unknown, batchId: number): RDD<any>;
  /**
   * Optional: the source's own account of a batch's failure to read its input (a file the batch took, removed or
   * changed while it ran: the reader saw only a missing path), or null when the source sees no cause of its own.
   */
  explainFailure?(error: unknown, offsets: unknown, batchId: number): Error | null;
  /** The number of records the offsets name, when the source knows it without reading (null otherwise). */
  countOf(offsets: unknown): number | null;
  /** Optional: releases connections when the query ends. */
  close?(): Promise<void>;
}
