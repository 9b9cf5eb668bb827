// The live UI answers real HTTP requests on 127.0.0.1: jobs, a job's stage graph and stages, a stage's sortable
// task table, storage, streaming and environment pages, with numbers equal to the job metrics. It takes the next
// port when the first is taken, refuses other Host headers and methods, sends a CSP that allows only its own
// scripts, serves uPlot from its package, and tells live pages of changes with server-sent events.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { expectedWordCount, sortedPairs, wordCount } from '../faults/fault-fixtures.js';
import { get, openEventStream, tableRows } from './http-get.js';

test('the live UI shows the jobs, stages and tasks of a running Context, as the metrics count them', async () => {
  // Take a port, so the UI must move to a later one.
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const taken = (squatter.address() as { port: number }).port;
  const kc = new Context({ threads: 2, ui: { port: taken } });
  try {
    const url = (await kc.uiUrl())!;
    const port = Number(new URL(url).port);
    assert.ok(port > taken && port <= taken + 16, `${url} is after the taken port ${taken}`);
    assert.equal(new URL(url).hostname, '127.0.0.1');

    kc.setFaults({ seed: 1, rules: [{ kind: 'throw', stage: 0, partition: 1, attempt: 0 }] });
    assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
    const metrics = kc.lastJobMetrics!;

    const jobs = await get(`${url}/jobs`);
    assert.equal(jobs.status, 200);
    const csp = String(jobs.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe/, 'no inline script or style');
    assert.match(
      jobs.body,
      /<noscript><meta http-equiv="refresh" content="2" \/><\/noscript>/,
      'a running application’s page reloads itself when scripts are off',
    );
    assert.match(jobs.body, /<body data-live="true" data-base="" data-version="\d+">/);
    const [row] = tableRows(jobs.body, 'jobs');
    assert.equal(row![0], String(metrics.jobId));
    assert.match(row![1]!, /^collect at .*serves-live-pages-on-loopback\.test\.js:\d+:\d+$/);
    assert.equal(row![2], 'succeeded');
    assert.equal(row![5], `${metrics.stagesRun}/${metrics.stagesRun}`);
    assert.equal(row![6], `${metrics.tasksSucceeded}/${metrics.tasksSucceeded}`);
    assert.equal(row![7], String(metrics.failures.exception));

    const job = await get(`${url}/jobs/${metrics.jobId}`);
    const stages = tableRows(job.body, 'stages');
    assert.equal(stages.length, metrics.stagesRun);
    assert.match(
      job.body,
      /<svg\s+class="dag"\s+data-layout="dagre"[\s\S]*<polyline[^>]*marker-end/,
      'the stage graph, laid out by dagre, joins map and reduce',
    );
    const bytesOut = stages.map((s) => s[8]);
    assert.equal(bytesOut.length, 2);
    const mapStage = stages.find((s) => s[2] === 'shuffle-map')!;
    assert.equal(mapStage[4], '4/4');
    assert.equal(mapStage[5], '1', 'the thrown attempt');

    const stage = await get(`${url}/stages/${mapStage[0]}?sort=duration&order=desc`);
    const tasks = tableRows(stage.body, 'tasks');
    assert.equal(tasks.length, 5, '4 partitions, one of them twice');
    const failed = tasks.find((t) => t[3] === 'exception')!;
    assert.equal(failed[1], '1');
    assert.match(failed[12]!, /fault: throw/);
    const succeededTasks = tasks.filter((t) => t[3] === 'success');
    assert.ok(
      succeededTasks.every((t) => /^\d+$/.test(t[11]!) && Number(t[11]) > 0),
      'each task names the worker thread that ran it',
    );
    assert.equal(tableRows(stage.body, 'quantiles').length, 7);
    const sorted = await get(`${url}/stages/${mapStage[0]}?sort=partition&order=desc`);
    const partitions = tableRows(sorted.body, 'tasks').map((t) => Number(t[1]));
    assert.deepEqual(partitions, [3, 2, 1, 1, 0], 'sorted by partition, descending, then by task id');
    assert.match(stage.body, /<svg\s+class="timeline"/);

    for (const page of ['storage', 'streaming', 'environment']) assert.equal((await get(`${url}/${page}`)).status, 200);
    assert.match((await get(`${url}/environment`)).body, /&quot;threads&quot;: 2/);
    const css = await get(`${url}/static/style.css`);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    const uplot = await get(`${url}/static/uplot.js`);
    assert.match(String(uplot.headers['content-type']), /^text\/javascript/);
    assert.match(uplot.body, /uPlot/, 'uPlot is served from its package');
    assert.equal((await get(`${url}/static/uplot.css`)).status, 200);
    assert.equal(JSON.parse((await get(`${url}/api/streaming.json`)).body).queries.length, 0);

    // Server-sent events: a page that saw version v hears of the next job's events.
    const version = Number(/data-version="(\d+)"/.exec((await get(`${url}/jobs`)).body)![1]);
    const updates = await openEventStream(`${url}/api/updates?since=${version}`);
    try {
      assert.equal(updates.status, 200);
      assert.match(String(updates.headers['content-type']), /^text\/event-stream/);
      assert.equal(await kc.range(0, 10, 1, 2).count(), 10);
      const message = await updates.next(/event: change\ndata: (\d+)\n\n/);
      assert.ok(Number(message[1]) > version, `the version moved on from ${version}: ${message[0]}`);
    } finally {
      updates.close();
    }

    assert.equal((await get(`${url}/jobs/999`)).status, 200, 'an unknown job is a page saying so');
    assert.match((await get(`${url}/jobs/999`)).body, /There is no job 999/);
    assert.equal((await get(`${url}/nothing-here`)).status, 404);
    assert.equal((await get(`${url}/jobs`, { method: 'POST' })).status, 405);
    assert.equal((await get(`${url}/jobs`, { host: `evil.example:${port}` })).status, 403, 'DNS rebinding');
    assert.equal((await get(`${url}/jobs`, { host: `localhost:${port}` })).status, 200);
  } finally {
    await kc.stop();
    squatter.close();
  }
  assert.equal(
    await kc
      .uiUrl()
      .then((u) => get(`${u}/jobs`))
      .catch(() => 'closed'),
    'closed',
    'stop() closes it',
  );
});

test('the UI is off by default and refuses a bad ui option', async () => {
  const kc = new Context({ threads: 0 });
  assert.equal(await kc.uiUrl(), null);
  await kc.stop();
  assert.throws(() => new Context({ ui: { port: 70000 } }), /ui\.port must be an integer in \[0, 65535\], found 70000/);
});
