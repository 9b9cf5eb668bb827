/**
 * The driver's side of settling a written dataset's one schema (`ds.write`): a dataset has one schema, as in Spark
 * and Polars, but its partitions can hold different types (`rdd.toDataset()` types each partition by its own rows:
 * int32 in one, float64 in another, a column of only nulls; Arrow files of different schemas). From the columns each
 * write task reports (executor/columnar/output/settled-write.ts), the columns are settled as a union settles
 * them: numbers widen (int32 < int64 < float64), a column of only nulls takes the others' type. Partitions whose
 * Arrow or Parquet file holds other types are written again in the settled ones; any other difference fails the
 * write before its output is published, naming the column, both types and the partitions.
 */
import { OutputError } from '../../common/errors.js';
import { CAST_TYPE_NAMES, commonBatchType, type BatchTypeName } from '../../protocol/columnar-reshape.js';
import type { WriteSchema, WrittenSchema } from '../../protocol/file-formats.js';

/** The dataset's settled schema, and the partitions to write again in it (their files hold other types). */
export interface SettledWrite {
  readonly schema: WriteSchema;
  readonly rewrite: readonly number[];
}

/**
 * Settles the schemas the partitions reported (by partition; one without a report wrote nothing to settle).
 * `typedFiles`: Arrow or Parquet, whose files must hold the settled types; text files (CSV, JSON lines) read back
 * alike whatever number type wrote them. Throws `OutputError` `ERR_OUTPUT_SCHEMA_MISMATCH` naming `dir`.
 *
 * @example
 * const { schema, rewrite } = settleWriteSchema('out/report', reports, true);
 */
export function settleWriteSchema(
  dir: string,
  reports: ReadonlyMap<number, WrittenSchema>,
  typedFiles: boolean,
): SettledWrite {
  const partitions = [...reports.keys()].sort((a, b) => a - b);
  const fail = (problem: string, fix: string): never => {
    throw new OutputError(
      'ERR_OUTPUT_SCHEMA_MISMATCH',
      `Cannot write ${dir}: ${problem}; a dataset has one schema, and nothing was written. ${fix}`,
    );
  };
  let names: readonly string[] | null = null;
  let namesFrom = 0;
  const types: BatchTypeName[] = [];
  const typeFrom: number[] = [];
  for (const p of partitions) {
    const report = reports.get(p)!;
    if (report.conflict !== null) fail(`partition ${p}: ${report.conflict}`, CAST_FIX);
    if (report.names.length === 0) continue; // no batch at all: nothing to settle
    if (names === null) {
      names = report.names;
      namesFrom = p;
    } else if (report.names.length !== names.length || report.names.some((name, c) => name !== names![c])) {
      fail(
        `partition ${namesFrom} has columns [${names.join(', ')}] and partition ${p} has [${report.names.join(', ')}]`,
        'Select the same columns in the same order in every row before writing.',
      );
    }
    report.types.forEach((type, c) => {
      const seen = types[c];
      if (seen === undefined || seen === 'null') {
        types[c] = type;
        typeFrom[c] = p;
        return;
      }
      const common = commonBatchType(seen, type);
      if (common === null) {
        const name = report.names[c]!;
        fail(
          `column '${name}' is ${CAST_TYPE_NAMES[seen]} in partition ${typeFrom[c]} and ${CAST_TYPE_NAMES[type]} in ` +
            `partition ${p}`,
          `Cast it to one type first, e.g. ds.withColumn('${name}', col('${name}').cast('string')).`,
        );
      }
      types[c] = common!;
    });
  }
  if (names === null) return { schema: { names: [], types: [] }, rewrite: [] };
  // A column of only nulls everywhere keeps the type the first file gave it.
  const fileOf = (c: number): BatchTypeName =>
    partitions.map((p) => reports.get(p)!.fileTypes?.[c]).find((t) => t !== undefined) ?? 'utf8';
  const settled = types.map((type, c) => (type === 'null' ? fileOf(c) : type));
  const rewrite = typedFiles
    ? partitions.filter((p) => {
        const { names: own, fileTypes } = reports.get(p)!;
        return own.length > 0 && (fileTypes === null || fileTypes.some((type, c) => type !== settled[c]));
      })
    : [];
  return { schema: { names, types: settled }, rewrite };
}

const CAST_FIX = 'Cast the column to one type first, e.g. ds.withColumn(name, col(name).cast(type)).';
