/**
 * The last sentence of a FAILFAST error (`ERR_INPUT_INVALID_RECORD`) of the CSV and JSON-lines readers: what the
 * user can do about the record it names. Only a value whose type does not fit is a schema's business, and then it is
 * the schema the user passed (a value that does not fit an inferred type fails in every mode with its own error,
 * inferred-type-miss.ts); a record whose fields or quoting are wrong is no schema's fault, so only the modes are
 * offered.
 */

/** Why the record failed: its shape (field count, quoting, not an object), or one value's type. */
export type MalformedCause = { readonly kind: 'shape' } | { readonly kind: 'type'; readonly column: string };

const MODES = "mode 'PERMISSIVE' (nulls what does not fit) or 'DROPMALFORMED' (drops the record)";

/**
 * The hint for a record that failed for `cause`.
 *
 * @example
 * malformedHint({ kind: 'type', column: 'v' });
 * // "Change the schema's type of column 'v', or use mode 'PERMISSIVE' (…) or 'DROPMALFORMED' (…)"
 */
export function malformedHint(cause: MalformedCause): string {
  if (cause.kind === 'shape') return `Use ${MODES}`;
  return `Change the schema's type of column '${cause.column}', or use ${MODES}`;
}
