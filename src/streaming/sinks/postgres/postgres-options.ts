import { PlanError } from '../../../common/errors.js';
import { describeValue } from '../../../common/describe-value.js';
import type { WriteMode } from './insert-statements.js';

/** The `writeStream.option(…)` names of `format('postgres')`. */
export const POSTGRES_SINK_OPTIONS = ['connection', 'table', 'mode', 'keyColumns', 'lockTimeoutMs', 'retryMs'] as const;

/** Defaults: how long a prepare waits for a row lock, and how long a step retries a lost connection. */
export const LOCK_TIMEOUT_MS_DEFAULT = 10_000;
export const RETRY_MS_DEFAULT = 30_000;

/**
 * The PostgreSQL sink's options resolved once on the driver; this plain object is what `prepare`, `commit` and
 * `abort` receive. WARNING: `connection` may hold a password: it travels to the worker threads of this process in
 * the task descriptor, and is never written to the checkpoint (the fingerprint uses `describePostgresTarget`).
 */
export interface ResolvedPostgresSinkOptions {
  /** A `postgres://` URL; undefined: the `PG*` environment variables. */
  readonly connection: string | undefined;
  readonly table: string;
  readonly mode: WriteMode;
  readonly lockTimeoutMs: number;
  readonly retryMs: number;
}

/** Checks and resolves the options given to `writeStream` for `format('postgres')`. */
export function resolvePostgresSinkOptions(options: Readonly<Record<string, unknown>>): ResolvedPostgresSinkOptions {
  const { connection, table, mode = 'append', keyColumns, lockTimeoutMs, retryMs } = options;
  if (connection !== undefined && (typeof connection !== 'string' || !/^postgres(ql)?:\/\//.test(connection))) {
    const found = typeof connection === 'string' ? 'a string that does not start so' : describeValue(connection);
    throw invalid('connection', 'a postgres:// URL (or no connection option: the PG* environment variables)', found);
  }
  if (typeof table !== 'string' || !/^[^.\s"]+(\.[^.\s"]+)?$/.test(table)) {
    throw invalid('table', 'a table name, `name` or `schema.name` (the table must exist)', describeValue(table));
  }
  let writeMode: WriteMode;
  if (mode === 'append') {
    if (keyColumns !== undefined) throw invalid('keyColumns', "no keyColumns with mode 'append'", 'keyColumns');
    writeMode = { kind: 'append' };
  } else if (mode === 'upsert') {
    if (
      !Array.isArray(keyColumns) ||
      keyColumns.length === 0 ||
      !keyColumns.every((key) => typeof key === 'string' && key.length > 0)
    ) {
      throw invalid('keyColumns', "with mode 'upsert', a non-empty array of column names", describeValue(keyColumns));
    }
    writeMode = { kind: 'upsert', keyColumns: keyColumns as string[] };
  } else {
    throw invalid('mode', "'append' or 'upsert'", describeValue(mode));
  }
  return {
    connection: connection as string | undefined,
    table,
    mode: writeMode,
    lockTimeoutMs: positiveMs('lockTimeoutMs', lockTimeoutMs, LOCK_TIMEOUT_MS_DEFAULT),
    retryMs: positiveMs('retryMs', retryMs, RETRY_MS_DEFAULT),
  };
}

/** What the sink writes to, without credentials (for the fingerprint, messages and the event log). */
export function describePostgresTarget(options: ResolvedPostgresSinkOptions): string {
  let where = 'the PG* environment';
  if (options.connection !== undefined) {
    try {
      const url = new URL(options.connection);
      where = `${url.hostname}${url.port === '' ? '' : `:${url.port}`}${url.pathname}`;
    } catch {
      where = 'a connection URL';
    }
  }
  const mode = options.mode.kind === 'append' ? 'append' : `upsert on ${options.mode.keyColumns.join(', ')}`;
  return `postgres table ${options.table} at ${where} (${mode})`;
}

function positiveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(name, 'a number of milliseconds >= 0', describeValue(value));
  }
  return value;
}

function invalid(name: string, expected: string, found: string): PlanError {
  return new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `format('postgres'): option('${name}') expects ${expected}, found ${found}`,
  );
}
