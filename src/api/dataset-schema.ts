/**
 * A dataset's columns and types as a user reads them: `schema()`, `columns()` and `printSchema()` (Spark's tree).
 * A dataset learns its types when it runs (CSV inference, JS rows typed per partition), so these run the plan to
 * its first row (`limit(0)`): cheap over files and in-memory sources, a whole job when a shuffle (a groupBy, a join,
 * an orderBy) comes first — as the schema probe of a union does.
 */
import { DataType, type Schema } from 'apache-arrow';

/**
 * One column of `schema()`: its name and its type as `cast()` and reader schemas name it. No `nullable`: every
 * column may hold nulls (Arrow validity bitmaps), whatever the batches that ran happened to hold.
 */
export interface SchemaField {
  readonly name: string;
  /** `int32`, `int64`, `float64`, `bool`, `string`, `date`, `timestamp` (`timestamp(us)`, `timestamp(ms, <zone>)`). */
  readonly type: string;
}

/** The fields of an Arrow schema, types named as users write them. */
export function schemaFields(schema: Schema): SchemaField[] {
  return schema.fields.map((field) => ({ name: field.name, type: typeName(field.type) }));
}

/**
 * Spark's `printSchema()` text (every column nullable, see `SchemaField`).
 *
 * @example
 * formatSchemaTree([{ name: 'id', type: 'int32' }]); // 'root\n |-- id: int32 (nullable = true)\n'
 */
export function formatSchemaTree(fields: readonly SchemaField[]): string {
  return `root\n${fields.map((f) => ` |-- ${f.name}: ${f.type} (nullable = true)\n`).join('')}`;
}

function typeName(type: DataType): string {
  if (DataType.isDictionary(type)) return typeName(type.dictionary);
  if (DataType.isInt(type)) return type.bitWidth === 64 ? 'int64' : `int${type.bitWidth}`;
  if (DataType.isFloat(type)) return 'float64';
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isDate(type)) return 'date';
  if (DataType.isTimestamp(type)) {
    const unit = ['s', 'ms', 'us', 'ns'][type.unit]!;
    if (type.timezone) return `timestamp(${unit}, ${type.timezone})`;
    return unit === 'ms' ? 'timestamp' : `timestamp(${unit})`;
  }
  return String(type);
}
