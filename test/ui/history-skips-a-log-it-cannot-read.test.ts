// One bad log does not take the history view down (Spark's history server skips a log it cannot replay): the
// others are served, and the bad one is named with its file, line and reason on the application list and by the
// kindling-history command. Before, one bad line in any log made the server refuse to start at all.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { startHistoryServer } from '../../src/ui/history-server.js';
import { get, stderrUntil, tableRows } from './http-get.js';
import { makeTempDir } from '../support/temp-dir.js';

/** Two applications' logs in one folder, the second with its third line replaced by `bad`; returns both ids. */
async function twoLogsOneBad(dir: string, bad: string): Promise<{ good: string; broken: string; file: string }> {
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const kc = new Context({ threads: 0, eventLog: dir });
    assert.equal(await kc.range(0, 10, 1, 2).count(), 10);
    ids.push(kc.appId);
    await kc.stop();
  }
  const [good, broken] = ids as [string, string];
  const file = `${dir}/kindling-${broken}.0000.jsonl`;
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.ok(lines.length > 4, 'the log has lines after the bad one');
  lines[2] = bad;
  writeFileSync(file, lines.join('\n'));
  return { good, broken, file };
}

test('a log with a bad line is listed with its file and line, and the other logs are served', async () => {
  const dir = makeTempDir('history-bad');
  const { good, broken, file } = await twoLogsOneBad(dir, '{"v":1,"seq":2,"timeMs":1,"kind":"task-start"');
  const { server, apps, unreadable } = await startHistoryServer(dir, { port: 0, host: '127.0.0.1' });
  try {
    assert.equal(apps, 1);
    assert.deepEqual(
      unreadable.map((log) => [log.appId, log.files]),
      [[broken, [file]]],
    );
    assert.match(unreadable[0]!.reason, new RegExp(`^${file}:3: expected one JSON object per line, found `));
    const index = await get(`${server.url}/`);
    assert.deepEqual(
      tableRows(index.body, 'apps').map((row) => row[0]),
      [good],
    );
    const [row] = tableRows(index.body, 'unreadable');
    assert.equal(row![0], broken);
    assert.equal(row![1], file);
    assert.match(row![2]!, new RegExp(`^${file}:3: expected one JSON object per line`));
    assert.equal((await get(`${server.url}/history/${good}/jobs`)).status, 200);
    assert.equal((await get(`${server.url}/history/${broken}/jobs`)).status, 404);
  } finally {
    await server.close();
  }
});

test('kindling-history names each skipped log on stderr and serves the rest', async () => {
  const cli = fileURLToPath(new URL('../../src/ui/history-cli.js', import.meta.url));
  const dir = makeTempDir('history-bad-cli');
  const { broken, file } = await twoLogsOneBad(dir, '{"v":1,"seq":2,"timeMs":1,"kind":"task-start","jobId":"x"}');
  const child = spawn(process.execPath, [cli, dir, '--port', '0']);
  try {
    const text = await stderrUntil(child, / at http:\/\/\S+.*\n/);
    const [skipped, served] = text.trimEnd().split('\n');
    assert.equal(
      skipped,
      `kindling history: skipped ${broken}: ${file}:3: task-start event does not match schema version 1: ` +
        'jobId: expected number, found string; stageId: expected number, found undefined; taskId: expected number, ' +
        'found undefined; partition: expected number, found undefined; attempt: expected number, found undefined; ' +
        'speculative: expected boolean, found undefined',
    );
    assert.match(
      served!,
      /^kindling history: 1 application\(s\) from .* at http:\/\/127\.0\.0\.1:\d+ \(1 log\(s\) skipped/,
    );
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(served!)![1]!;
    assert.equal((await get(`${url}/`)).status, 200);
  } finally {
    child.kill();
  }
});
