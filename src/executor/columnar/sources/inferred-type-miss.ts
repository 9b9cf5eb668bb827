/**
 * The error of a CSV or JSON-lines read whose column types were inferred from a sample (`inferSchema`, or JSON
 * without a schema) when a later value does not fit its column's inferred type: a column inferred int32 from the
 * first 4 MiB of the first file, and a big number in the second file. Spark infers from all the data, so its
 * PERMISSIVE and DROPMALFORMED never null or drop a value for a type its own inference gave; a sample's miss is not
 * a malformed record, and making it null (as the modes did) gave silently wrong sums. DuckDB and Polars fail the
 * same way, naming the value and asking for a type. So the read fails in every mode, and the message names the
 * value, where it is, the sampled file and a type that holds both.
 */
import { InputError } from '../../../common/errors.js';
import type { FieldType } from '../../../io/parsing/parse-field.js';

/** The schema name of a type (what `schema: { v: … }` takes). */
function schemaName(type: FieldType): string {
  return type === 'utf8' ? 'string' : type;
}

/**
 * The error for the value `found` (as the message shows it: a CSV field as a JSON string, a JSON value as JSON) at
 * `where` (`path:line`), which column `column`'s type `inferred` cannot hold; `holdsBoth` is the narrowest type that
 * holds it and the sample's values.
 *
 * @example
 * inferredTypeMiss('b.csv:2', 'v', 'int32', '"1152921504606846977"', 'int64', 'a.csv');
 * // b.csv:2: column 'v': found "1152921504606846977", which its type int32, inferred from the first 4 MiB of
 * // a.csv, cannot hold. Pass a schema with the column's type (schema: { …, v: 'int64' }) …
 */
export function inferredTypeMiss(
  where: string,
  column: string,
  inferred: string,
  found: string,
  holdsBoth: FieldType,
  inferredFrom: string,
): InputError {
  return new InputError(
    'ERR_INPUT_SCHEMA_MISMATCH',
    `${where}: column '${column}': found ${found}, which its type ${inferred}, ` +
      `inferred from the first 4 MiB of ${inferredFrom}, cannot hold. Pass a schema with the column's type ` +
      `(schema: { …, ${column}: '${schemaName(holdsBoth)}' }): a value the sample missed is not a malformed ` +
      `record, so no mode nulls or drops it`,
  );
}
