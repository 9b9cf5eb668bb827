// The UI in a real browser (headless Chromium): the live UI during a running job and the history view of its saved
// log are opened, links are followed jobs → job → stage as a click would (from the DOM Chromium parsed), the numbers
// shown are checked against the job metrics, hostile strings are text in the parsed DOM (no element from them), and
// screenshots are saved under test-output/browser/. Not part of `npm test`: run `npm run test:browser`; without a
// browser it skips with a message (CI sets KINDLING_BROWSER_REQUIRED=1 and installs chromium).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context } from '../src/index.js';
import { writeHostileLog } from '../test/ui/hostile-log.js';
import { startHistoryServer } from '../src/ui/history-server.js';
import { BROWSER_REQUIRED, dumpDom, findChromium, HOW_TO_RUN, links, screenshot } from './chromium.js';

const chromium = findChromium();
if (chromium === null && BROWSER_REQUIRED) throw new Error(HOW_TO_RUN);
const skip = chromium === null ? HOW_TO_RUN : false;

/** Text cells of the rows of table `id` in a dumped DOM. */
function rows(dom: string, id: string): string[][] {
  const body = new RegExp(`<table id="${id}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(dom);
  assert.ok(body !== null, `table #${id} is in the page`);
  return [...body[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()),
  );
}

test('live UI during a running job, then jobs → job → stage, and the history view of its log', { skip }, async () => {
  const browser = chromium!;
  const dir = mkdtempSync(join(tmpdir(), 'kindling-browser-'));
  const kc = new Context({ threads: 2, ui: { port: 0 }, eventLog: dir, progress: false });
  const gate = new Int32Array(new SharedArrayBuffer(4));
  try {
    const url = (await kc.uiUrl())!;
    // Partition 5 waits on the gate: the job is running while the browser looks at it.
    const job = kc
      .range(0, 6000, 1, 6)
      .mapPartitionsWithIndex(
        (i: number, it: Iterable<number>) => {
          if (i === 5) Atomics.wait(gate, 0, 0, 60_000);
          return [...it].map((x) => [x % 10, 1] as [number, number]);
        },
        { gate },
      )
      .reduceByKey((a, b) => a + b, 3)
      .collect();

    const running = await dumpDom(browser, `${url}/jobs`);
    assert.match(rows(running, 'jobs')[0]![2]!, /running/);
    await screenshot(browser, `${url}/jobs`, 'live-jobs-while-running.png', '1280,500');
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    assert.equal((await job).length, 10);
    const metrics = kc.lastJobMetrics!;

    const jobs = await dumpDom(browser, `${url}/jobs`);
    const [jobRow] = rows(jobs, 'jobs');
    assert.equal(jobRow![2], 'succeeded');
    assert.equal(jobRow![6], `${metrics.tasksSucceeded}/${metrics.tasksSucceeded}`);
    const [jobLink] = links(jobs, /^\/jobs\/\d+$/);
    const jobDom = await dumpDom(browser, `${url}${jobLink}`);
    assert.match(jobDom, /<svg[^>]*class="dag"/);
    const stageRows = rows(jobDom, 'stages');
    assert.equal(stageRows.length, metrics.stagesRun);
    assert.equal(
      stageRows.reduce((n, r) => n + Number(r[4]!.split('/')[0]), 0),
      metrics.tasksSucceeded,
    );
    await screenshot(browser, `${url}${jobLink}`, 'live-job.png', '1280,1000');
    const stageLinks = links(jobDom, /^\/stages\/\d+$/);
    assert.ok(stageLinks.length >= metrics.stagesRun, 'every stage is linked from the graph and the table');
    const mapStage = stageRows.find((r) => r[2] === 'shuffle-map')!;
    const stageDom = await dumpDom(browser, `${url}/stages/${mapStage[0]}?sort=duration&order=desc`);
    assert.equal(rows(stageDom, 'tasks').length, 6);
    assert.equal(rows(stageDom, 'quantiles').length, 4);
    await screenshot(browser, `${url}/stages/${mapStage[0]}?sort=duration&order=desc`, 'live-stage.png', '1280,1100');
    await kc.stop();

    const { server } = await startHistoryServer(dir, { port: 0, host: '127.0.0.1' });
    try {
      const index = await dumpDom(browser, `${server.url}/`);
      const [appLink] = links(index, /^\/history\/[^/]+\/jobs$/);
      assert.ok(appLink !== undefined && appLink.includes(kc.appId));
      const historyJobs = await dumpDom(browser, `${server.url}${appLink}`);
      assert.deepEqual(rows(historyJobs, 'jobs')[0]!.slice(5), jobRow!.slice(5), 'history shows the live numbers');
      const historyJob = links(historyJobs, /\/jobs\/\d+$/)[0]!;
      const historyJobDom = await dumpDom(browser, `${server.url}${historyJob}`);
      assert.deepEqual(
        rows(historyJobDom, 'stages').map((r) => r.slice(0, 7)),
        stageRows.map((r) => r.slice(0, 7)),
      );
      await screenshot(browser, `${server.url}/`, 'history-index.png', '1280,400');
      await screenshot(browser, `${server.url}${historyJob}`, 'history-job.png', '1280,1000');
    } finally {
      await server.close();
    }
  } finally {
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile strings from a log are text in the browser’s DOM', { skip }, async () => {
  const browser = chromium!;
  const dir = mkdtempSync(join(tmpdir(), 'kindling-browser-'));
  try {
    const script = '<script>document.title="pwned"</script>';
    writeHostileLog(dir, script, '"><img src=x onerror="document.title=1">');
    const { server } = await startHistoryServer(dir, { port: 0, host: '127.0.0.1' });
    try {
      for (const page of ['jobs', 'jobs/0', 'stages/0', 'environment', 'storage', 'streaming']) {
        const dom = await dumpDom(browser, `${server.url}/history/hostile/${page}`);
        assert.doesNotMatch(dom, /<script|<img/i, `${page}: no element made from the log`);
        assert.match(dom, /<title>[^<]*kindling<\/title>/, `${page}: the title was not rewritten`);
      }
      assert.ok(
        (await dumpDom(browser, `${server.url}/history/hostile/jobs/0`)).includes(
          '&lt;script&gt;document.title="pwned"',
        ),
      );
      await screenshot(browser, `${server.url}/history/hostile/stages/0`, 'hostile-strings-as-text.png', '1280,700');
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
