/**
 * The shared-memory slots through which tasks report the checkpoint part files they wrote (one slot per partition).
 * A task writes its part under a temporary name chosen by a random `token` and records `rows`, `bytes`, `checksum`
 * and `token` here; the driver reads the slots after the job and renames the reported files into place. Shared
 * memory works the same on the inline backend and across Piscina threads, and needs no new `TaskEndReason` field.
 * A later attempt of the same partition overwrites the slot (its records are the ones the job used).
 */

/** What one part file holds, as reported by the task that wrote it. */
export interface ReportedPart {
  readonly rows: number;
  readonly bytes: number;
  readonly checksum: number;
  /** Names the temporary file: see {@link temporaryPartName}. */
  readonly token: number;
}

const FIELDS = 4;

function layout(report: SharedArrayBuffer): { locks: Int32Array; values: Float64Array } {
  const partitions = Math.floor(report.byteLength / (4 + 8 * FIELDS + 4));
  const lockBytes = Math.ceil((partitions * 4) / 8) * 8;
  return {
    locks: new Int32Array(report, 0, partitions),
    values: new Float64Array(report, lockBytes, partitions * FIELDS),
  };
}

/**
 * A zeroed report buffer for `numPartitions` partitions.
 *
 * @example
 * const report = newCheckpointReport(4);
 */
export function newCheckpointReport(numPartitions: number): SharedArrayBuffer {
  // Sized so `layout` recovers the partition count: 4 lock bytes, 32 value bytes and 4 bytes of slack per slot.
  return new SharedArrayBuffer(numPartitions * (4 + 8 * FIELDS + 4));
}

function withLock<T>(locks: Int32Array, partition: number, body: () => T): T {
  // Held for a few stores only, so spinning is cheaper than waiting.
  while (Atomics.compareExchange(locks, partition, 0, 1) !== 0) Atomics.wait(locks, partition, 1, 1);
  try {
    return body();
  } finally {
    Atomics.store(locks, partition, 0);
    Atomics.notify(locks, partition);
  }
}

/**
 * Records the part file of `partition` (a later report of the same partition replaces it).
 *
 * @example
 * reportCheckpointPart(report, 2, { rows: 10, bytes: 1234, checksum: 0xcafe, token: 77 });
 */
export function reportCheckpointPart(report: SharedArrayBuffer, partition: number, part: ReportedPart): void {
  const { locks, values } = layout(report);
  withLock(locks, partition, () => {
    values.set([part.rows, part.bytes, part.checksum, part.token], partition * FIELDS);
  });
}

/**
 * The part reported for `partition`, or null if no task reported one.
 *
 * @example
 * readCheckpointReport(report, 2)?.rows; // 10
 */
export function readCheckpointReport(report: SharedArrayBuffer, partition: number): ReportedPart | null {
  const { locks, values } = layout(report);
  return withLock(locks, partition, () => {
    const at = partition * FIELDS;
    const token = values[at + 3]!;
    if (token === 0) return null;
    return { rows: values[at]!, bytes: values[at + 1]!, checksum: values[at + 2]!, token };
  });
}

/**
 * The final name of a part file: `part-00000.arrow`.
 *
 * @example
 * partFileName(3); // 'part-00003.arrow'
 */
export function partFileName(partition: number): string {
  return `part-${String(partition).padStart(5, '0')}.arrow`;
}

/**
 * The temporary name a task writes a part under: hidden, unique per attempt, in the checkpoint's own directory so
 * the rename into place is atomic.
 *
 * @example
 * temporaryPartName(3, 0x2a); // '.part-00003.arrow.2a.tmp'
 */
export function temporaryPartName(partition: number, token: number): string {
  return `.${partFileName(partition)}.${token.toString(16)}.tmp`;
}
