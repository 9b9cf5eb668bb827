// Issue 11: the function parser (acorn), the event log writer, the UI's application state, the text output
// committer and fault injection load when a program first needs them, not with every Context. A child process
// lists every script its isolate has parsed (the inspector's Debugger domain reports them all when enabled): unlike a
// loader `load` hook, this sees the modules loaded with `require(esm)` too, as kindling's entry loads its whole surface
// (src/index.ts) and the rarely used modules load on demand (common/require-esm.ts). Each rarely used module is then
// checked by using it and by its effect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type * as Kindling from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

const INDEX_URL = new URL('../../src/index.js', import.meta.url).href;

/** Modules a job over a Context without observers, shipped functions, saves or injected faults does not need. */
const RARELY_USED = [
  /\/node_modules\/acorn\//,
  /\/src\/events\/event-log-writer\.js$/,
  /\/src\/events\/app-state\.js$/,
  /\/src\/io\/text\/text-output\.js$/,
  // The inline backend runs tasks on this thread; a worker thread loads it the same way (executor/run-task.ts).
  /\/src\/executor\/fault-inject\.js$/,
];

test('a Context that runs a job with no shipped function, observer, save or fault loads none of the rarely used modules', () => {
  const child = `
    import { Session } from 'node:inspector/promises';
    const { Context } = await import(${JSON.stringify(INDEX_URL)});
    const kc = new Context({ threads: 0 });
    const counted = await kc.range(0, 100, 1, 4).count();
    await kc.stop();
    const session = new Session();
    session.connect();
    const loaded = [];
    session.on('Debugger.scriptParsed', ({ params }) => loaded.push(params.url));
    await session.post('Debugger.enable');
    session.disconnect();
    console.log(JSON.stringify({ counted, loaded }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8' });
  const { counted, loaded } = JSON.parse(out) as { counted: number; loaded: string[] };
  assert.equal(counted, 100);
  // The listing saw the driver load: without this, an empty list would pass the check below.
  assert.ok(
    loaded.some((url) => url.endsWith('/src/api/context/context.js')),
    'the parsed scripts include api/context/context.js',
  );
  assert.deepEqual(
    loaded.filter((url) => RARELY_USED.some((pattern) => pattern.test(url))),
    [],
    'rarely used modules loaded with a Context that does not use them',
  );
});

test('each rarely used module loads, and works, at its first use', async (t) => {
  const { Context } = (await import(INDEX_URL)) as typeof Kindling;
  const dir = makeTempDir('first-use');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const kc = new Context({ threads: 0, eventLog: join(dir, 'events') });
  try {
    const doubled = kc.range(0, 4, 1, 2).map((x: number) => x * 2);
    assert.deepEqual(await doubled.collect(), [0, 2, 4, 6]);
    await doubled.saveAsTextFile(join(dir, 'out'));
    assert.ok(readdirSync(join(dir, 'out')).includes('_SUCCESS'));
    assert.match(await kc.explainAnalyze(doubled), /== Analyzed \(count: 4 records/);
  } finally {
    await kc.stop();
  }
  const logs = readdirSync(join(dir, 'events'));
  assert.equal(logs.length, 1);
  assert.match(readFileSync(join(dir, 'events', logs[0]!), 'utf8'), /"kind":"app-end"/);
});
