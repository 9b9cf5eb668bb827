/**
 * One map task's shuffle output, packed (Spark's data file + index file): every non-empty reduce partition's block
 * lies back to back in one buffer or one file, behind an index of segment offsets, so a map task costs one
 * allocation and the driver one small handle, however many reduce partitions there are. `storage/map-outputs/` (layout,
 * writer, reader) writes and reads the layout; the scheduler treats these as opaque handles.
 */

/** A packed map output in shared memory. */
export interface MapOutputInMemory {
  readonly kind: 'memory';
  readonly buffer: SharedArrayBuffer;
  /** Reduce partitions (segments) in the index. */
  readonly partitions: number;
  /** Records in all segments. */
  readonly rows: number;
}

/** A packed map output spilled to one file (DESIGN.md §6), same layout as in memory. */
export interface MapOutputSpilled {
  readonly kind: 'spilled';
  readonly path: string;
  readonly byteLength: number;
  readonly partitions: number;
  readonly rows: number;
}

/**
 * What a map task of a one-pass sort (`ShuffleDependency.sortedRuns`) reports with its output: its records sorted by
 * key and cut into segments of about equal row counts (the output's partitions 0, 1, …), the first key of each
 * segment, and the reservoir sample of its keys the driver picks the range bounds from.
 */
export interface SortedRunFacts {
  readonly firstKeys: readonly unknown[];
  readonly sample: { readonly keys: readonly unknown[]; readonly recordCount: number };
}

export type MapOutputRef = (MapOutputInMemory | MapOutputSpilled) & { readonly sortedRun?: SortedRunFacts };

/**
 * The map outputs of one shuffle as a reduce task reads them, in map-partition order: registered once per version
 * of the shuffle's map statuses, fetched once per worker thread and version, never shipped per task (a reduce
 * task's descriptor names only `shuffleId`, `version` and its partition).
 */
export interface MapOutputTable {
  readonly shuffleId: number;
  /** Unique in the process: any change to the shuffle's outputs makes a new version. */
  readonly version: number;
  readonly outputs: readonly MapOutputRef[];
}
