/**
 * Global transaction ids of the PostgreSQL sink. `PREPARE TRANSACTION` takes a gid of at most 200 bytes that is
 * unique across the server; ours name the query, the batch, the partition and the task attempt, so a restart can
 * find everything one query prepared (`pg_prepared_xacts` by prefix) and tell batches apart:
 *
 *   kindling:<queryId>:<batchId>:<partition>:<attempt>
 */

/** Every gid of one query starts with this. */
export function queryGidPrefix(queryId: string): string {
  return `kindling:${queryId}:`;
}

/** The gid of one task attempt's transaction. */
export function gidOf(queryId: string, batchId: number, partition: number, attempt: number): string {
  return `${queryGidPrefix(queryId)}${batchId}:${partition}:${attempt}`;
}

/** The batch a gid of this query belongs to, or null when it is not one of ours. */
export function batchOfGid(queryId: string, gid: string): number | null {
  const prefix = queryGidPrefix(queryId);
  if (!gid.startsWith(prefix)) return null;
  const match = /^(\d+):\d+:\d+$/.exec(gid.slice(prefix.length));
  return match === null ? null : Number(match[1]);
}

/**
 * The gid as an SQL string literal: `PREPARE TRANSACTION` and `COMMIT PREPARED` take no parameters. Gids are ours
 * (a UUID and numbers), so quoting is a safeguard, not an escape of user text.
 */
export function gidLiteral(gid: string): string {
  return `'${gid.replaceAll("'", "''")}'`;
}
