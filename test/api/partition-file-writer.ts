import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * A module function for `foreachPartition` (shipped with `kc.fn`, since it needs imports): writes one file per
 * non-empty partition into the directory named by its records, so the test can see the effect of every task.
 * Records are `[dir, value]`.
 */
export function writePartitionFile(records: Iterable<readonly [string, unknown]>): void {
  let dir: string | undefined;
  const values: unknown[] = [];
  for (const [recordDir, value] of records) {
    dir = recordDir;
    values.push(value);
  }
  if (dir !== undefined) writeFileSync(join(dir, `partition-${randomUUID()}.json`), JSON.stringify(values));
}
