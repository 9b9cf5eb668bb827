/**
 * A dataset's columns and types as a user reads them: `schema()`, `columns()` and `printSchema()` (Spark's tree).
 * A dataset learns its types when it runs (CSV inference, JS rows typed per partition), so these run the plan to
 * its first row (`limit(0)`): cheap over files and in-memory sources, a whole job when a shuffle (a groupBy, a join,
 * an orderBy) comes first — as the schema probe of a union does.
 */
import type { DataType, Schema } from 'apache-arrow';

/**
 * Arrow's type ids (its `Type` enum, fixed by the Arrow format). Named here rather than imported: a value import of
 * apache-arrow would load it (~10 MiB) with `import 'kindling'`, which loads it only when a job needs it.
 */
const ARROW_TYPE = { dictionary: -1, int: 2, float: 3, utf8: 5, bool: 6, date: 8, timestamp: 10, largeUtf8: 20 };

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
  const t = type as DataType & { bitWidth?: number; unit?: number; timezone?: string | null; dictionary?: DataType };
  switch (type.typeId as number) {
    case ARROW_TYPE.dictionary:
      return typeName(t.dictionary!);
    case ARROW_TYPE.int:
      return `int${t.bitWidth}`;
    case ARROW_TYPE.float:
      return 'float64';
    case ARROW_TYPE.utf8:
    case ARROW_TYPE.largeUtf8:
      return 'string';
    case ARROW_TYPE.bool:
      return 'bool';
    case ARROW_TYPE.date:
      return 'date';
    case ARROW_TYPE.timestamp: {
      const unit = ['s', 'ms', 'us', 'ns'][t.unit!]!;
      if (t.timezone) return `timestamp(${unit}, ${t.timezone})`;
      return unit === 'ms' ? 'timestamp' : `timestamp(${unit})`;
    }
    default:
      return String(type);
  }
}
