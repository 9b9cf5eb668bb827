// The db-benchmark join questions q1–q5 on a 1e5-row x table (and its small, medium and big y tables, keys absent
// on each side): kindling's answers equal DuckDB's (row count, sums of v1, v2 and an int column, string bytes and
// non-null counts), with the planner's choice (broadcast for small and medium, shuffled for big) and with every
// join shuffled (broadcastJoinBytesMax: 0). SEED=<n> replays a run with other tables.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { generateJoinTables, writeJoinCsv } from '../../native-bench/db-benchmark-join-data.js';
import {
  JOIN_QUESTIONS,
  type JoinCsvFiles,
  type JoinEngineResult,
  runDuckDbJoins,
  runKindlingJoins,
} from '../../native-bench/db-benchmark-join-questions.js';
import { temporaryDirectory } from '../api/helpers.js';
import { testSeed } from '../columnar/random-rows.js';

const seed = testSeed('db-benchmark-joins-answer-as-duckdb-does');
const ROWS = 100_000;
const directory = temporaryDirectory('join-bench');
let files: JoinCsvFiles;
let duck: JoinEngineResult;

before(async () => {
  const dir = directory();
  const tables = generateJoinTables(ROWS, seed);
  files = {} as JoinCsvFiles;
  for (const table of Object.values(tables)) {
    const path = join(dir, `${table.name}.csv`);
    writeJoinCsv(path, table);
    (files as Record<string, unknown>)[table.name] = { path, table };
  }
  duck = await runDuckDbJoins(files, 2);
});

function assertSameAnswers(ours: JoinEngineResult): void {
  for (const q of JOIN_QUESTIONS) {
    const d = duck.timings.find((t) => t.question === q)!;
    const o = ours.timings.find((t) => t.question === q)!;
    assert.ok(d.rows > 0.85 * ROWS, `${q}: DuckDB's answer has ${d.rows} rows`);
    assert.equal(o.rows, d.rows, `${q}: rows`);
    o.checksum.forEach((v, i) => {
      const expected = d.checksum[i]!;
      assert.ok(
        Math.abs(v - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
        `${q}: checksum part ${i}: kindling ${v}, DuckDB ${expected}`,
      );
    });
  }
}

test(`every join question's answer equals DuckDB's, broadcast where chosen (SEED=${seed})`, async () => {
  assertSameAnswers(await runKindlingJoins(files, 2, JOIN_QUESTIONS, { runs: 1 }));
});

test(`every join question's answer equals DuckDB's with every join shuffled (SEED=${seed})`, async () => {
  const ours = await runKindlingJoins(files, 2, JOIN_QUESTIONS, { runs: 1, context: { broadcastJoinBytesMax: 0 } });
  assertSameAnswers(ours);
});
