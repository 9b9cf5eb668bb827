/**
 * Where the db-benchmark groupby table G1_<n>_<k>_0_0 lives: db-benchmark itself names it with both numbers in
 * exponent form (`G1_1e7_1e2_0_0.csv`), our runner used to write `k` in full (`G1_1e7_100_0_0.csv`). Either name
 * is accepted, so a file written under one is not generated again (0.5 GB, minutes) under the other.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `1e7` for 10_000_000, `1e2` for 100, `2e0` for 2: db-benchmark's form of a count. */
function exponentForm(count: number): string {
  return count.toExponential().replace('+', '');
}

/**
 * The path of the groupby table for `rows` rows and `groups` groups in `dir`: the first of the db-benchmark name
 * (`kindling-G1_1e7_1e2_0_0.csv`) and our former name (`kindling-G1_1e7_100_0_0.csv`) that `exists`, else the
 * db-benchmark name (where a runner that generates the table writes it).
 *
 * @example
 * groupbyCsvPath(1e7, 100); // '/tmp/kindling-G1_1e7_1e2_0_0.csv' when it (or neither) exists
 */
export function groupbyCsvPath(
  rows: number,
  groups: number,
  dir: string = tmpdir(),
  exists: (path: string) => boolean = existsSync,
): string {
  const names = [`${exponentForm(groups)}`, `${groups}`].map((k) => `kindling-G1_${exponentForm(rows)}_${k}_0_0.csv`);
  const paths = names.map((name) => join(dir, name));
  return paths.find(exists) ?? paths[0]!;
}
