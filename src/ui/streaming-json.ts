import type { AppState } from '../events/app-state.js';

/** One streaming query's batches as columns, for the charts: x is the batch's end time in seconds. */
export interface StreamingSeries {
  readonly queryId: string;
  readonly label: string;
  readonly timeS: number[];
  readonly batchId: number[];
  readonly inputRowsPerSecond: number[];
  readonly processedRowsPerSecond: number[];
  readonly batchDurationMs: number[];
  readonly stateRows: number[];
}

/**
 * The batches of every streaming query of an application, one series per query in the order queries first
 * reported (served as /api/streaming.json, drawn by uPlot on the Streaming page).
 *
 * @example
 * streamingSeries(state)[0].inputRowsPerSecond // [120, 118.5, …]
 */
export function streamingSeries(state: AppState): StreamingSeries[] {
  const byQuery = new Map<string, StreamingSeries>();
  for (const b of state.batches) {
    let series = byQuery.get(b.queryId);
    if (series === undefined) {
      series = {
        queryId: b.queryId,
        label: b.name ?? b.queryId,
        timeS: [],
        batchId: [],
        inputRowsPerSecond: [],
        processedRowsPerSecond: [],
        batchDurationMs: [],
        stateRows: [],
      };
      byQuery.set(b.queryId, series);
    }
    series.timeS.push(b.timeMs / 1000);
    series.batchId.push(b.batchId);
    series.inputRowsPerSecond.push(b.inputRowsPerSecond);
    series.processedRowsPerSecond.push(b.processedRowsPerSecond);
    series.batchDurationMs.push(b.batchDurationMs);
    series.stateRows.push(b.stateRows);
  }
  return [...byQuery.values()];
}
