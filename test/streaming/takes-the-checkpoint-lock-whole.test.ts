// The checkpoint lock appears whole or not at all (staged, then hard-linked), and leaves no staged file behind.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { lockCheckpoint } from '../../src/streaming/checkpoint-lock.js';
import { makeTempDir } from '../support/temp-dir.js';

function withDir(body: (dir: string) => void): void {
  const dir = makeTempDir('lock');
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the lock holds this process as owner, and neither taking nor releasing it leaves a staged file', () => {
  withDir((dir) => {
    const release = lockCheckpoint(dir);
    assert.deepEqual(readdirSync(dir), ['lock']);
    assert.equal((JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { pid: number }).pid, process.pid);
    release();
    assert.deepEqual(readdirSync(dir), []);
  });
});

test('a refused second lock leaves the first whole and no staged file', () => {
  withDir((dir) => {
    const release = lockCheckpoint(dir);
    const before = readFileSync(join(dir, 'lock'), 'utf8');
    assert.throws(() => lockCheckpoint(dir), { code: 'ERR_STREAM_CHECKPOINT_IN_USE' });
    assert.deepEqual(readdirSync(dir), ['lock']);
    assert.equal(readFileSync(join(dir, 'lock'), 'utf8'), before);
    release();
  });
});

test('a staged file left by a process killed before it linked the lock does not block the next query', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'lock.999999999.tmp'), '{"host":"h","pid":999999999}');
    const release = lockCheckpoint(dir);
    assert.ok(readdirSync(dir).includes('lock'));
    release();
  });
});
