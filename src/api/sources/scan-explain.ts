/**
 * What `explain()` says under a Parquet source: the columns the stage decodes, the filters pushed to row-group
 * statistics and how many row groups they skip, judged by the same functions the tasks use, so the text is
 * exactly what will run.
 */
import { TEMPORAL_LITERALS } from '../../io/parsing/temporal-text.js';
import type { ColumnarStage } from '../../protocol/columnar.js';
import { columnsReadBy, leadingFilters, rowGroupMayMatch } from '../../protocol/scan-pushdown.js';
import { describeExpr } from '../../plan/columnar-explain.js';
import type { SourceNode } from '../../plan/plan-node.js';

/**
 * Lines for `explainColumnar` (its `DescribeScan`); none for sources other than Parquet.
 *
 * @example
 * describeParquetScan(source, stage); // ['reads columns a, c (2 of 5)', 'pushed filter (a > 5): skips 3 of 4 row groups …']
 */
export function describeParquetScan(source: SourceNode, stage: ColumnarStage | null): string[] {
  const splits = source.partitions.flatMap((p) => (p.kind === 'parquet-split' ? [p] : []));
  const first = splits[0];
  if (first === undefined) return [];
  const names = [...first.parquet.columns.map((c) => c.name), ...first.partition.map((p) => p.name)];
  const read = stage === null ? null : columnsReadBy(stage, names);
  const lines = [
    read === null
      ? `reads every column (${names.length})`
      : `reads columns ${[...read].join(', ') || '(none)'} (${read.size} of ${names.length})`,
  ];
  const filters = stage === null ? [] : leadingFilters(stage);
  if (filters.length > 0) {
    let total = 0;
    let skipped = 0;
    for (const split of splits) {
      for (const group of split.parquet.rowGroups) {
        total++;
        if (!rowGroupMayMatch(filters, split.parquet, split.partition, group, TEMPORAL_LITERALS)) skipped++;
      }
    }
    lines.push(
      `pushed filter ${filters.map(describeExpr).join(' and ')}: skips ${skipped} of ${total} row group` +
        `${total === 1 ? '' : 's'} by min/max statistics and partition values`,
    );
  }
  return lines;
}
