// A driver that crashes mid-job leaves a log that is valid JSON lines up to the crash: an uncaught exception
// flushes the buffered events of the running job on the way out; a SIGKILL (no handler runs) loses only what was
// not flushed yet, and never leaves a torn line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { readEventLogs } from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

const APP = fileURLToPath(new URL('./crash-midway-app.js', import.meta.url));

function crash(mode: 'uncaught' | 'sigkill') {
  const dir = makeTempDir('crash');
  const child = spawnSync(process.execPath, [APP, dir, mode], { encoding: 'utf8', timeout: 60_000 });
  try {
    assert.doesNotMatch(child.stdout, /not reached/);
    const logs = readEventLogs(dir);
    assert.equal(logs.length, 1);
    return { child, log: logs[0]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an uncaught exception mid-job: every event up to the crash is in the log, as whole lines', () => {
  const { child, log } = crash('uncaught');
  assert.equal(child.status, 1, child.stderr);
  assert.match(child.stderr, /the driver crashed/);
  assert.equal(log.truncated, false);
  const kinds = log.events.map((e) => `${e.kind}${'jobId' in e ? ` ${e.jobId}` : ''}`);
  assert.ok(kinds.includes('job-end 0'));
  assert.ok(kinds.includes('job-start 1'), 'the running job’s events were flushed on exit');
  assert.ok(kinds.includes('task-end 1'));
  assert.ok(!kinds.includes('job-end 1') && !kinds.includes('app-end'), 'nothing after the crash');
  assert.deepEqual(
    log.events.map((e) => e.seq),
    log.events.map((_, i) => i),
  );
});

test('a SIGKILL mid-job: the log holds whole lines up to the last flush (the first job’s end)', () => {
  const { child, log } = crash('sigkill');
  assert.equal(child.signal, 'SIGKILL');
  assert.equal(log.truncated, false);
  assert.equal(log.events.at(-1)!.kind, 'job-end');
  assert.deepEqual(
    log.events.map((e) => e.seq),
    log.events.map((_, i) => i),
  );
});
