// The UI in a real browser (headless Chromium driven over the DevTools protocol, test-browser/cdp-browser.ts): the
// live UI is opened during a running job and updates itself (server-sent events) when the job ends; links are
// clicked with mouse events jobs → job → stage; the numbers shown are checked against the job metrics; the stage
// graph is laid out by dagre; the history view of the saved log shows the same numbers; the Streaming page draws
// its uPlot charts; hostile strings are text in the DOM (no element made from them). Screenshots are saved under
// test-output/browser/. Not part of `npm test`: run `npm run test:browser`; without a browser it skips with a
// message (CI sets KINDLING_BROWSER_REQUIRED=1 and installs chromium).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context } from '../src/index.js';
import { writeHostileLog } from '../test/ui/hostile-log.js';
import { startHistoryServer } from '../src/ui/history-server.js';
import { BROWSER_REQUIRED, findChromium, HOW_TO_RUN } from './chromium.js';
import { CdpBrowser, type CdpPage } from './cdp-browser.js';

const chromium = findChromium();
if (chromium === null && BROWSER_REQUIRED) throw new Error(HOW_TO_RUN);
const skip = chromium === null ? HOW_TO_RUN : false;

/** Text cells of the rows of table `id` as the browser shows them. */
function rows(page: CdpPage, id: string): Promise<string[][]> {
  return page.evaluate(`[...document.querySelectorAll('#${id} tbody tr')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()))`);
}

test('live UI during a running job, clicked through jobs → job → stage, then its history', { skip }, async () => {
  const browser = CdpBrowser.launch(chromium!);
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

    const page = await browser.open(`${url}/jobs`, 1280, 500);
    await page.waitUntil(`document.querySelector('#jobs tbody tr') !== null`, 'the running job');
    assert.match((await rows(page, 'jobs'))[0]![2]!, /running/);
    await page.screenshot('live-jobs-while-running.png');
    const updatesBefore = await page.evaluate<string | undefined>('document.body.dataset.updates');
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    assert.equal((await job).length, 10);
    const metrics = kc.lastJobMetrics!;
    // No reload: the page hears of the change over server-sent events and swaps in the new table.
    await page.waitUntil(
      `document.querySelector('#jobs tbody tr td:nth-child(3)')?.textContent.trim() === 'succeeded'`,
      'the job succeeded, without a reload',
    );
    assert.notEqual(await page.evaluate('document.body.dataset.updates'), updatesBefore, 'updated in place');
    const [jobRow] = await rows(page, 'jobs');
    assert.equal(jobRow![6], `${metrics.tasksSucceeded}/${metrics.tasksSucceeded}`);

    await page.click('#jobs tbody a');
    assert.match(await page.evaluate<string>('location.pathname'), /^\/jobs\/\d+$/);
    const graph = await page.evaluate<{ layout: string; boxes: number; edges: number }>(`(() => {
      const svg = document.querySelector('svg.dag');
      return { layout: svg.dataset.layout, boxes: svg.querySelectorAll('rect').length,
        edges: svg.querySelectorAll('polyline').length };
    })()`);
    assert.deepEqual(graph, { layout: 'dagre', boxes: metrics.stagesRun, edges: 1 }, 'map → reduce, laid out by dagre');
    const stageRows = await rows(page, 'stages');
    assert.equal(stageRows.length, metrics.stagesRun);
    assert.equal(
      stageRows.reduce((n, r) => n + Number(r[4]!.split('/')[0]), 0),
      metrics.tasksSucceeded,
    );
    assert.equal(
      stageRows.reduce((n, r) => n + Number(r[6]), 0),
      metrics.recordsWritten,
      'records out of the stages add up to the job’s',
    );
    await page.screenshot('live-job.png');

    const mapStage = stageRows.find((r) => r[2] === 'shuffle-map')!;
    await page.click(`#stages tbody a[href$="/stages/${mapStage[0]}"]`);
    const tasks = await rows(page, 'tasks');
    assert.equal(tasks.length, 6, 'one attempt per partition');
    assert.equal(
      tasks.reduce((n, t) => n + Number(t[5]), 0),
      Number(mapStage[6]),
      'task records out add up to the stage’s',
    );
    assert.ok(
      tasks.every((t) => Number(t[11]) > 0),
      'every task names its worker thread',
    );
    assert.equal((await rows(page, 'quantiles')).length, 7);
    // Sorting is a link: click "Duration" twice for the longest first.
    await page.click('#tasks thead a[href*="sort=duration"]');
    await page.click('#tasks thead a[href*="sort=duration"]');
    const durations = (await rows(page, 'tasks')).map((t) => t[4]!);
    assert.match(await page.evaluate<string>('location.search'), /sort=duration&order=desc/);
    assert.equal(durations.length, 6);
    await page.screenshot('live-stage.png');
    await kc.stop();

    const { server } = await startHistoryServer(dir, { port: 0, host: '127.0.0.1' });
    try {
      const history = await browser.open(`${server.url}/`, 1280, 400);
      await history.screenshot('history-index.png');
      await history.click(`#apps a[href*="${kc.appId}"]`);
      assert.deepEqual((await rows(history, 'jobs'))[0]!.slice(5), jobRow!.slice(5), 'history shows the live numbers');
      await history.click('#jobs tbody a');
      assert.deepEqual(
        (await rows(history, 'stages')).map((r) => r.slice(0, 7)),
        stageRows.map((r) => r.slice(0, 7)),
      );
      await history.screenshot('history-job.png');
    } finally {
      await server.close();
    }
  } finally {
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await kc.stop();
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Streaming page draws uPlot charts of a query’s batches', { skip }, async () => {
  const browser = CdpBrowser.launch(chromium!);
  const kc = new Context({ threads: 0, ui: { port: 0 }, progress: false });
  try {
    const input = kc.readStream.memory<[string, number]>({ maxRecordsPerTrigger: 2 });
    input.addData(['a', 1], ['b', 1], ['a', 1], ['c', 1], ['a', 1], ['d', 1], ['b', 1]);
    const query = input
      .updateStateByKey((values: number[], n: number | undefined) => (n ?? 0) + values.length)
      .writeStream.format('memory')
      .queryName('<b>browser</b> counts')
      .trigger({ availableNow: true })
      .start();
    await query.awaitTermination();
    const page = await browser.open(`${(await kc.uiUrl())!}/streaming`, 1400, 1000);
    await page.waitUntil(`document.body.dataset.charts === '4'`, 'four charts');
    const charts = await page.evaluate<{ titles: string[]; canvases: number; legend: string }>(`({
      titles: [...document.querySelectorAll('.uplot .u-title')].map((t) => t.textContent),
      canvases: document.querySelectorAll('.uplot canvas').length,
      legend: document.querySelector('.uplot .u-series:nth-child(2) .u-label')?.textContent ?? '',
    })`);
    assert.deepEqual(charts.titles, [
      'Input rows per second',
      'Processed rows per second',
      'Batch duration (ms)',
      'State rows',
    ]);
    assert.equal(charts.canvases, 4);
    assert.equal(charts.legend, '<b>browser</b> counts', 'the query name is a label, as text');
    assert.equal((await rows(page, 'batches')).length, 4, '7 records, 2 per batch');
    await page.screenshot('live-streaming.png');
  } finally {
    await kc.stop();
    await browser.close();
  }
});

test('hostile strings from a log are text in the browser’s DOM', { skip }, async () => {
  const browser = CdpBrowser.launch(chromium!);
  const dir = mkdtempSync(join(tmpdir(), 'kindling-browser-'));
  try {
    const script = '<script>document.title="pwned"</script>';
    writeHostileLog(dir, script, '"><img src=x onerror="document.title=1">');
    const { server } = await startHistoryServer(dir, { port: 0, host: '127.0.0.1' });
    try {
      const page = await browser.open(`${server.url}/history/hostile/jobs`);
      for (const path of ['jobs', 'jobs/0', 'stages/0', 'environment', 'storage', 'streaming']) {
        await page.goto(`${server.url}/history/hostile/${path}`);
        const found = await page.evaluate<{ foreignScripts: number; images: number; title: string }>(`({
          foreignScripts: [...document.scripts].filter((s) => !/\\/static\\/(live|uplot|charts)\\.js$/.test(s.src)).length,
          images: document.images.length,
          title: document.title,
        })`);
        assert.equal(found.foreignScripts, 0, `${path}: no script element made from the log`);
        assert.equal(found.images, 0, `${path}: no image element made from the log`);
        assert.match(found.title, /kindling$/, `${path}: the title was not rewritten`);
      }
      await page.goto(`${server.url}/history/hostile/jobs/0`);
      assert.ok((await page.evaluate<string>('document.body.textContent')).includes(script), 'shown as text');
      await page.goto(`${server.url}/history/hostile/stages/0`);
      await page.screenshot('hostile-strings-as-text.png');
    } finally {
      await server.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
