// `kindling-history` serves the pages of finished applications from their event logs: the application list, and
// each application's jobs, stages and tasks with the numbers its Context reported; finished pages do not refresh.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { startHistoryServer } from '../../src/ui/history-server.js';
import { expectedWordCount, sortedPairs, wordCount } from '../faults/fault-fixtures.js';
import { get, stderrUntil, tableRows } from './http-get.js';
import { makeTempDir } from '../support/temp-dir.js';

test('the history view shows each logged application with the numbers of its jobs', async () => {
  const dir = makeTempDir('history');
  const apps: { appId: string; jobId: number; tasks: number; stages: number }[] = [];
  try {
    for (const threads of [0, 2]) {
      const kc = new Context({ threads, eventLog: dir });
      assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
      const m = kc.lastJobMetrics!;
      apps.push({ appId: kc.appId, jobId: m.jobId, tasks: m.tasksSucceeded, stages: m.stagesRun });
      await kc.stop();
    }
    const { server, apps: count } = await startHistoryServer(dir, { port: 0, host: '127.0.0.1' });
    try {
      assert.equal(count, 2);
      const index = await get(`${server.url}/`);
      const listed = tableRows(index.body, 'apps');
      assert.deepEqual(listed.map((row) => row[0]).sort(), apps.map((a) => a.appId).sort());
      for (const row of listed) assert.equal(row[4], 'finished');
      for (const app of apps) {
        const jobs = await get(`${server.url}/history/${app.appId}/jobs`);
        assert.doesNotMatch(jobs.body, /http-equiv="refresh"/, 'a finished application does not refresh');
        const [row] = tableRows(jobs.body, 'jobs');
        assert.equal(row![6], `${app.tasks}/${app.tasks}`);
        const job = await get(`${server.url}/history/${app.appId}/jobs/${app.jobId}`);
        assert.equal(tableRows(job.body, 'stages').length, app.stages);
        assert.match(job.body, new RegExp(`href="/history/${app.appId}/stages/\\d+"`), 'links stay in the app');
      }
      assert.equal((await get(`${server.url}/history/no-such-app/jobs`)).status, 404);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the kindling-history command prints its URL and serves; a missing directory is a clear error', async () => {
  const cli = fileURLToPath(new URL('../../src/ui/history-cli.js', import.meta.url));
  const dir = makeTempDir('history');
  try {
    const kc = new Context({ threads: 0, eventLog: dir });
    await kc.range(0, 10).count();
    await kc.stop();
    const child = spawn(process.execPath, [cli, dir, '--port', '0']);
    try {
      const line = await stderrUntil(child, /\n/);
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
      assert.match(line, /^kindling history: 1 application\(s\) from /);
      assert.equal((await get(`${url}/`)).status, 200);
    } finally {
      child.kill();
    }
    const missing = spawn(process.execPath, [cli, join(dir, 'nope')]);
    let stderr = '';
    missing.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => missing.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /event log directory .*nope cannot be read: expected a directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
