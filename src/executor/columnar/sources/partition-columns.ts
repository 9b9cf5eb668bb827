/**
 * The Hive partition columns of a file (`year=2024/` above it) appended to every batch read from it: one value
 * repeated, as a typed array filled once per batch (strings view one copy of their bytes).
 */
import type { PartitionColumn } from '../../../protocol/file-formats.js';
import type { Batch, Column } from '../batches/batch.js';

/**
 * `batches` with `partition`'s columns after their own.
 *
 * @example
 * for (const batch of withPartitionColumns(readCsvBatches(split, spec, onBytes), split.partition)) …
 */
export function* withPartitionColumns(
  batches: Iterable<Batch>,
  partition: readonly PartitionColumn[] | undefined,
): Generator<Batch> {
  if (partition === undefined || partition.length === 0) {
    yield* batches;
    return;
  }
  const names = partition.map((p) => p.name);
  for (const batch of batches) {
    yield {
      rows: batch.rows,
      names: [...batch.names, ...names],
      columns: [...batch.columns, ...partition.map((p) => constantColumn(p, batch.rows))],
    };
  }
}

/**
 * A column of `rows` copies of the partition value (all null for the default partition).
 *
 * @example
 * constantColumn({ name: 'year', type: 'int32', value: 2024 }, 3); // { type: 'i32', values: [2024, 2024, 2024] }
 */
export function constantColumn(partition: PartitionColumn, rows: number): Column {
  const { type, value } = partition;
  const valid = value === null ? new Uint8Array(rows) : undefined;
  switch (type) {
    case 'utf8': {
      const bytes = Buffer.from(value === null ? '' : String(value), 'utf8');
      return {
        type: 'utf8',
        bytes,
        starts: new Int32Array(rows),
        ends: new Int32Array(rows).fill(bytes.length),
        valid,
      };
    }
    case 'int32':
      return { type: 'i32', values: new Int32Array(rows).fill(Number(value ?? 0)), valid };
    case 'date':
      return { type: 'date', values: new Int32Array(rows).fill(Number(value ?? 0)), valid };
    case 'int64':
      return { type: 'i64', values: new BigInt64Array(rows).fill(BigInt(value ?? 0)), valid };
    case 'bool':
      return { type: 'bool', values: new Uint8Array(rows).fill(value === 'true' ? 1 : 0), valid };
    case 'timestamp':
      return {
        type: 'timestamp',
        values: new Float64Array(rows).fill(Number(value ?? 0)),
        unit: 'ms',
        zone: null,
        valid,
      };
    case 'float64':
      return { type: 'f64', values: new Float64Array(rows).fill(Number(value ?? 0)), valid };
  }
}
