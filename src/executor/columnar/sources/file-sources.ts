/**
 * The batches of a file split of any format (CSV, JSON lines, Parquet) with its Hive partition columns appended:
 * the one place both evaluators (columnar, and records for an RDD consumer) read file sources through.
 */
import type { ColumnarStage } from '../../../protocol/columnar.js';
import type { SourceSpec } from '../../../protocol/pipeline.js';
import type { OnMalformedRecord } from '../../../protocol/file-formats.js';
import type { Batch } from '../batches/batch.js';
import { readCsvBatches } from './csv-source.js';
import { readJsonBatches } from './jsonl-source.js';
import { readParquetBatches } from './parquet-source.js';
import { withPartitionColumns } from './partition-columns.js';

/** Source specs read from files into batches. */
export type FileSourceSpec = Extract<SourceSpec, { kind: 'csv-split' | 'jsonl-split' | 'parquet-split' }>;

/**
 * The split's batches. `stage` is the columnar stage reading them directly (null when unknown): a Parquet split
 * then decodes only the columns it reads and skips the row groups its leading filters rule out. `onMalformed` is
 * told of each CSV or JSON-lines record kept with nulls or dropped by the read's `mode`.
 *
 * @example
 * for (const batch of fileSourceBatches(source, (n) => (bytesRead += n), context.countMalformed, stage)) …
 */
export function fileSourceBatches(
  source: FileSourceSpec,
  onBytes: (bytes: number) => void,
  onMalformed: OnMalformedRecord,
  stage: ColumnarStage | null = null,
): Iterable<Batch> {
  switch (source.kind) {
    case 'csv-split': {
      const batches = readCsvBatches(source.split, source.csv, onBytes, undefined, onMalformed);
      return withPartitionColumns(batches, source.partition);
    }
    case 'jsonl-split': {
      const batches = readJsonBatches(source.split, source.json, onBytes, onMalformed);
      return withPartitionColumns(batches, source.partition);
    }
    case 'parquet-split': {
      const batches = readParquetBatches(source.parquet, source.partition, stage, { onBytes });
      return withPartitionColumns(batches, source.partition);
    }
  }
}
