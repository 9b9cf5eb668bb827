// One written partition can hold timestamps of two units (a millisecond and a microsecond source, unioned and
// coalesced): the settled write schema counts both as 'timestamp'. The Arrow writer refused the second batch naming
// the task's staging file (`.<out>.kindling-staging-…/_temporary/attempt-0-0/part-00000.arrow`), which the user never
// sees; the Parquet writer compared type names only and wrote the microseconds under the first batch's
// milliseconds, so they read back a thousand times too late (year 55971) without a word. Both now refuse it naming
// the published file (with its Hive folder), the partition and both schemas, and publish nothing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Table } from 'apache-arrow';

import { Context, JobFailedError } from '../../src/index.js';
import { rejectsWith, temporaryDirectory } from '../api/helpers.js';
import { arrow } from '../../src/storage/arrow/arrow-module.js';

const dir = temporaryDirectory('write-two-units');

/** One row `{ day, t, x }` with `t` = 2024-01-01T12:00:00.123456Z in `unit`. */
function tableOf(unit: 'ms' | 'us', x: number): Table {
  const { TimestampMillisecond, TimestampMicrosecond, Int32, Utf8, vectorFromArray, Table } = arrow();
  const ms = Date.UTC(2024, 0, 1, 12, 0, 0, 123);
  const t =
    unit === 'ms'
      ? vectorFromArray([ms], new TimestampMillisecond('UTC'))
      : vectorFromArray([ms * 1000 + 456], new TimestampMicrosecond('UTC'));
  return new Table({ day: vectorFromArray(['d1'], new Utf8()), t, x: vectorFromArray([x], new Int32()) });
}

for (const format of ['arrow', 'parquet'] as const) {
  for (const partitionBy of [[], ['day']]) {
    test(`a ${format} partition of ms and µs timestamps fails naming the published file${partitionBy.length > 0 ? ' and its Hive folder' : ''}`, async () => {
      const kc = new Context({ threads: 0, taskAttemptsMax: 1 });
      const out = join(dir(), `${format}-${partitionBy.length}`);
      try {
        const both = kc
          .fromArrow(tableOf('ms', 1))
          .union(kc.fromArrow(tableOf('us', 2)))
          .coalesce(1);
        const writer = partitionBy.length > 0 ? both.write.partitionBy(...partitionBy) : both.write;
        const failed = await rejectsWith(writer.format(format).save(out), JobFailedError, 'ERR_JOB_FAILED');
        const file = join(out, ...(partitionBy.length > 0 ? ['day=d1'] : []), `part-00000.${format}`);
        const [t1, t2, x, day] =
          format === 'arrow'
            ? ['Timestamp<MILLISECOND, UTC>', 'Timestamp<MICROSECOND, UTC>', 'Int32', 'day: Utf8, ']
            : ['timestamp(ms, UTC)', 'timestamp(us, UTC)', 'i32', 'day: utf8, '];
        const other = partitionBy.length > 0 ? '' : day;
        const expected =
          `cannot write ${file} (partition 0): ${format === 'arrow' ? 'an Arrow' : 'a Parquet'} file holds one ` +
          `schema, but the partition's batches have [${other}t: ${t1}, x: ${x}] and [${other}t: ${t2}, x: ${x}]: ` +
          "expected every batch to have the first one's columns and types; cast the columns to one type before writing";
        assert.ok(failed.message.endsWith(expected), `${failed.message}\n  expected it to end with\n${expected}`);
        assert.doesNotMatch(failed.message, /staging|_temporary/);
        assert.equal(existsSync(out), false);
        // Each unit alone writes and reads back exactly.
        await kc.fromArrow(tableOf('us', 2)).write.format(format).save(`${out}-us`);
        const back = await kc.read[format](`${out}-us`).collect();
        assert.deepEqual(
          back.map((row) => (row as { x: number }).x),
          [2],
        );
      } finally {
        await kc.stop();
      }
    });
  }
}
