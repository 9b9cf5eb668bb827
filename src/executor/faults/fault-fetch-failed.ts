import { KindlingError } from '../../common/errors.js';

/**
 * A shuffle input block of this task was missing or corrupt (DESIGN.md §5): not the task's fault and not cured by
 * retrying it, but by recomputing map partition `mapPartition` of shuffle `shuffleId` from lineage. The executor
 * turns it into the `fetch-failed` end reason; the scheduler recomputes that map output, then reruns the task.
 *
 * @example
 * throw new FetchFailedError(3, 1, 'checksum mismatch');
 */
export class FetchFailedError extends KindlingError {
  readonly shuffleId: number;
  readonly mapPartition: number;

  constructor(shuffleId: number, mapPartition: number, problem: string, options?: { cause?: unknown }) {
    super('ERR_FETCH_FAILED', `shuffle ${shuffleId}, map partition ${mapPartition}: ${problem}`, options);
    this.shuffleId = shuffleId;
    this.mapPartition = mapPartition;
  }
}
