// Job names, error messages, stacks, labels, options and application ids are data: a log full of markup renders
// as text on every page (no tag of it reaches the browser), and the CSP forbids scripts anyway.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { partFileName } from '../../src/events/event-log-writer.js';
import { startHistoryServer } from '../../src/ui/history-server.js';
import { get } from './http-get.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(2)>';

/** No tag from the log reached the page. */
function assertInert(body: string, where: string): void {
  assert.doesNotMatch(body, /<script|<img|onerror=alert\(2\)>/i, where);
}

test('a log full of markup renders as text in the history view', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-hostile-'));
  try {
    const appId = `x${SCRIPT}`;
    const failure = { name: IMG, message: `</pre>${SCRIPT}`, code: null, stack: `${IMG}\n  at ${SCRIPT}` };
    const events = [
      {
        kind: 'app-start',
        appId,
        options: { tmpDir: SCRIPT },
        versions: { kindling: IMG, node: '20', v8: '11' },
        threads: 1,
        pid: 1,
      },
      { kind: 'job-start', jobId: 0, description: SCRIPT, nodeId: 1, label: IMG, partitions: 1, plan: IMG },
      {
        kind: 'stage-submitted',
        jobId: 0,
        stageId: 0,
        label: SCRIPT,
        purpose: IMG,
        nodeId: 1,
        tasks: 1,
        partitions: 1,
        writesShuffle: null,
        readsShuffles: [],
        chain: IMG,
      },
      { kind: 'task-start', jobId: 0, stageId: 0, taskId: 0, partition: 0, attempt: 0, speculative: false },
      { kind: 'fault-injected', jobId: 0, stageId: 0, taskId: 0, partition: 0, attempt: 0, fault: SCRIPT },
      {
        kind: 'task-end',
        jobId: 0,
        stageId: 0,
        taskId: 0,
        partition: 0,
        attempt: 0,
        speculative: false,
        durationMs: 1,
        reason: 'exception',
        metrics: null,
        failure,
      },
      { kind: 'stage-completed', jobId: 0, stageId: 0, status: 'failed', durationMs: 2 },
      { kind: 'job-end', jobId: 0, status: 'failed', durationMs: 3, metrics: { [SCRIPT]: 1 }, failure },
      { kind: 'checkpoint-written', nodeId: 1, checkpointKind: 'reliable', dir: `/tmp/${IMG}`, partitions: 1 },
      {
        kind: 'streaming-batch-progress',
        queryId: SCRIPT,
        name: IMG,
        batchId: 0,
        numInputRows: 1,
        inputRowsPerSecond: 1,
        processedRowsPerSecond: 1,
        batchDurationMs: 1,
        stateRows: 0,
        jobIds: [0],
      },
      { kind: 'app-end', appId },
    ];
    const lines = events.map((e, seq) => JSON.stringify({ v: 1, seq, timeMs: 1_700_000_000_000 + seq, ...e }));
    writeFileSync(join(dir, partFileName('hostile', 0)), `${lines.join('\n')}\n`);
    const { server } = await startHistoryServer(dir, { port: 0, host: '127.0.0.1' });
    try {
      const base = `${server.url}/history/hostile`;
      const index = await get(`${server.url}/`);
      assertInert(index.body, 'index');
      for (const page of [
        'jobs',
        'jobs/0',
        'stages/0',
        'stages/0?sort=%3Cscript%3E',
        'storage',
        'streaming',
        'environment',
      ]) {
        const response = await get(`${base}/${page}`);
        assert.equal(response.status, 200, page);
        assertInert(response.body, page);
      }
      const job = (await get(`${base}/jobs/0`)).body;
      assert.ok(job.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the description is shown, as text');
      const stage = (await get(`${base}/stages/0`)).body;
      assert.ok(stage.includes('&lt;/pre&gt;&lt;script&gt;'), 'the error message is shown, as text');
      assert.ok(stage.includes('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'));
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a user error message and an input file name with markup render as text in the live UI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-hostile-'));
  const file = join(dir, `<img src=x onerror=alert(3)>.txt`);
  writeFileSync(file, 'a\nb\n');
  const kc = new Context({ threads: 0, ui: { port: 0 }, taskAttemptsMax: 1 });
  try {
    const message = '<script>alert(4)</script>';
    await assert.rejects(
      kc
        .textFile(file)
        .map(
          (line) => {
            throw new Error(`${message} ${line}`);
          },
          { message },
        )
        .collect(),
    );
    const url = (await kc.uiUrl())!;
    for (const page of ['jobs', 'jobs/0', 'stages/0']) {
      const body = (await get(`${url}/${page}`)).body;
      assert.doesNotMatch(body, /<script|<img/i, page);
    }
    assert.match((await get(`${url}/stages/0`)).body, /&lt;script&gt;alert\(4\)&lt;\/script&gt;/);
    assert.match((await get(`${url}/jobs/0`)).body, /textFile: .*&lt;img src=x onerror=alert\(3\)&gt;\.txt/);
  } finally {
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
