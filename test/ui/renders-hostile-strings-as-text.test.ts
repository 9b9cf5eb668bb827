// Job names, error messages, stacks, labels, options and application ids are data: a log full of markup renders
// as text on every page (no tag of it reaches the browser), and the CSP forbids scripts anyway.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { startHistoryServer } from '../../src/ui/history-server.js';
import { get } from './http-get.js';
import { writeHostileLog } from './hostile-log.js';
import { makeTempDir } from '../support/temp-dir.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(2)>';

/** The page's own scripts, all loaded from this server: the only script elements a page may hold. */
const OWN_SCRIPTS = /<script src="\/static\/(?:live|uplot|charts)\.js" defer><\/script>/g;

/** No tag from the log reached the page. */
function assertInert(body: string, where: string): void {
  assert.doesNotMatch(body.replace(OWN_SCRIPTS, ''), /<script|<img|onerror=alert\(2\)>/i, where);
}

test('a log full of markup renders as text in the history view', async () => {
  const dir = makeTempDir('hostile');
  try {
    writeHostileLog(dir, SCRIPT, IMG);
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
  const dir = makeTempDir('hostile');
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
      assertInert(body, page);
    }
    assert.match((await get(`${url}/stages/0`)).body, /&lt;script&gt;alert\(4\)&lt;\/script&gt;/);
    assert.match((await get(`${url}/jobs/0`)).body, /textFile: .*&lt;img src=x onerror=alert\(3\)&gt;\.txt/);
  } finally {
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
