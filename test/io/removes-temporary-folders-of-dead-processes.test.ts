// Temporary folders name their maker (host and pid); a later process removes those whose maker is gone, on this
// host only (issue 14).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  hostTag,
  ownerIsGone,
  ownerTag,
  parseOwner,
  processIsAlive,
  removeStaleScratchDirs,
  removeStaleTempDirs,
  SPILL_DIR_PREFIX,
} from '../../src/io/files/owned-temp-dirs.js';
import { writeLinesFile } from '../../src/io/text/lines-file.js';
import { TextOutputCommitter } from '../../src/io/text/text-output.js';
import { caseDirectories } from './io-fixtures.js';

/** A fresh, empty parent directory for one case. */
const freshParent = caseDirectories('stale');

/** The pid of a process that ran and ended: no process has it now (pids are not reused this soon). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(child.status, 0);
  assert.equal(processIsAlive(child.pid!), false, `pid ${child.pid} is free again`);
  return child.pid!;
}

/** Makes a folder with a file in it, as a killed process leaves it. */
function leave(parent: string, name: string): string {
  const path = join(parent, name);
  mkdirSync(join(path, '_temporary'), { recursive: true });
  writeFileSync(join(path, '_temporary', 'part-00000'), 'half');
  return path;
}

test('the owner is parsed from new names (host and pid) and old ones (pid only); anything else is not ours', () => {
  assert.deepEqual(parseOwner('h0a1b2c3d-4242-0'), { host: 'h0a1b2c3d', pid: 4242 });
  assert.deepEqual(parseOwner('h0a1b2c3d-4242-9f8e7d6c'), { host: 'h0a1b2c3d', pid: 4242 });
  assert.deepEqual(parseOwner('4242-7'), { host: null, pid: 4242 });
  assert.deepEqual(parseOwner('4242-1a2b3c4d'), { host: null, pid: 4242 });
  for (const name of ['', 'x', '4242', 'abc-1', '0-1', 'h0a1b2c3d-4242', '4242-1-old', 'h0a1b2c3d-4242-ab-old']) {
    assert.equal(parseOwner(name), null, name);
  }
  assert.match(ownerTag(), new RegExp(`^${hostTag()}-${process.pid}(-s[0-9a-f]{8})?$`));
  assert.match(hostTag('example'), /^h[0-9a-f]{8}$/);
  assert.equal(hostTag('example'), hostTag('example'));
  assert.notEqual(hostTag('example'), hostTag('example2'));
});

test('a maker is gone only when it is on this host and no process has its pid', () => {
  const dead = deadPid();
  const here = hostTag();
  assert.equal(ownerIsGone({ host: here, pid: dead }), true);
  assert.equal(ownerIsGone({ host: null, pid: dead }), true, 'old names count as this host');
  assert.equal(ownerIsGone({ host: hostTag('another-host'), pid: dead }), false, 'another host: never');
  assert.equal(ownerIsGone({ host: here, pid: process.pid }), false, 'this process');
  assert.equal(ownerIsGone({ host: here, pid: process.ppid }), false, 'a live process');
  assert.equal(
    ownerIsGone({ host: here, pid: 4242 }, () => true),
    false,
    'a pid the liveness check says is alive',
  );
});

test('removeStaleTempDirs removes the folders of dead makers under one prefix and counts them; it keeps the rest', () => {
  const parent = freshParent();
  const dead = deadPid();
  const other = hostTag('another-host');
  const gone = [
    leave(parent, `${SPILL_DIR_PREFIX}${hostTag()}-${dead}-1a2b3c4d`),
    leave(parent, `${SPILL_DIR_PREFIX}${dead}-5e6f7a8b`),
  ];
  const kept = [
    leave(parent, `${SPILL_DIR_PREFIX}${other}-${dead}-1a2b3c4d`),
    leave(parent, `${SPILL_DIR_PREFIX}${ownerTag()}-1a2b3c4d`),
    leave(parent, `${SPILL_DIR_PREFIX}${hostTag()}-${process.ppid}-1a2b3c4d`),
    leave(parent, `kindling-other-${hostTag()}-${dead}-1`),
    leave(parent, `${SPILL_DIR_PREFIX}not-ours`),
  ];
  assert.equal(removeStaleTempDirs(parent, SPILL_DIR_PREFIX), 2);
  for (const path of gone) assert.equal(existsSync(path), false, path);
  for (const path of kept) assert.equal(existsSync(path), true, path);
  assert.equal(removeStaleTempDirs(parent, SPILL_DIR_PREFIX), 0, 'nothing left to remove');
  assert.equal(removeStaleTempDirs(join(parent, 'missing'), SPILL_DIR_PREFIX), 0, 'a missing parent is no error');
});

test('removeStaleScratchDirs removes spill and local checkpoint folders of dead makers', () => {
  const parent = freshParent();
  const dead = deadPid();
  leave(parent, `kindling-spill-${hostTag()}-${dead}-1a2b3c4d`);
  leave(parent, `kindling-local-checkpoints-${hostTag()}-${dead}-AbC123`);
  leave(parent, `kindling-local-checkpoints-AbC123`);
  assert.equal(removeStaleScratchDirs(parent), 2);
  assert.deepEqual(readdirSync(parent), ['kindling-local-checkpoints-AbC123']);
});

test("setupJob removes the target's staging folders left by dead processes, and names its own with this process", () => {
  const parent = freshParent();
  const dead = deadPid();
  const target = join(parent, 'counts');
  const stale = [
    leave(parent, `.counts.kindling-staging-${hostTag()}-${dead}-0`),
    leave(parent, `.counts.kindling-staging-${dead}-3`),
  ];
  const kept = [
    leave(parent, `.counts.kindling-staging-${hostTag('another-host')}-${dead}-0`),
    leave(parent, `.other.kindling-staging-${hostTag()}-${dead}-0`),
    // An old output moved aside by a process killed before it renamed the new one: the only copy while the
    // target is missing.
    leave(parent, `.counts.kindling-old-${hostTag()}-${dead}-1`),
  ];
  const committer = new TextOutputCommitter(target);
  committer.setupJob();
  assert.equal(committer.staleDirsRemoved, 2);
  for (const path of stale) assert.equal(existsSync(path), false, path);
  for (const path of kept) assert.equal(existsSync(path), true, path);
  assert.match(committer.stagingDir, new RegExp(`\\.counts\\.kindling-staging-${ownerTag()}-\\d+$`));
  const path = committer.attemptPath(0, 0);
  writeLinesFile(path, ['a']);
  committer.commitTask(0, path);
  committer.commitJob(1);

  // Now the target exists: the old output a dead process moved aside is debris.
  const again = new TextOutputCommitter(target, { overwrite: true });
  again.setupJob();
  assert.equal(again.staleDirsRemoved, 1);
  assert.equal(existsSync(kept[2]!), false);
  again.abortJob();
});
