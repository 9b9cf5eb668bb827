/**
 * The last sentence of a FAILFAST error (`ERR_INPUT_INVALID_RECORD`) of the CSV and JSON-lines readers: what the
 * user can do about the record it names. Only a value whose type does not fit is a schema's business, and then the
 * hint depends on whether the user passed that schema (change it) or the types were inferred (pass one); a record
 * whose fields or quoting are wrong is no schema's fault, so only the modes are offered.
 */

/** Why the record failed: its shape (field count, quoting, not an object), or one value's type. */
export type MalformedCause = { readonly kind: 'shape' } | { readonly kind: 'type'; readonly column: string };

const MODES = "mode 'PERMISSIVE' (nulls what does not fit) or 'DROPMALFORMED' (drops the record)";

/**
 * The hint for a record that failed for `cause`, `schemaGiven` telling whether the user passed the types.
 *
 * @example
 * malformedHint({ kind: 'type', column: 'v' }, true);
 * // "Change the schema's type of column 'v', or use mode 'PERMISSIVE' (…) or 'DROPMALFORMED' (…)"
 */
export function malformedHint(cause: MalformedCause, schemaGiven: boolean): string {
  if (cause.kind === 'shape') return `Use ${MODES}`;
  return schemaGiven
    ? `Change the schema's type of column '${cause.column}', or use ${MODES}`
    : `Pass a schema (these types were inferred from a sample), or use ${MODES}`;
}
