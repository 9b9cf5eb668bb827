// A checkpoint lock names its owner by host and pid; a pid is reused once its process died, so a stale lock whose
// pid another live process later took looked held, and every restart was refused until that process ended. On
// Linux the lock (and a temporary folder's name) records the owner's start tag (boot id and start time from
// /proc); a live pid that started at another time is not the owner. Old records without the tag keep the pid rule.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { hostTag, ownerIsGone, parseOwner, ownerTag } from '../../src/io/files/owned-temp-dirs.js';
import { processStartTag } from '../../src/io/files/process-start.js';
import { lockCheckpoint } from '../../src/streaming/checkpoint-lock.js';
import { makeTempDir } from '../support/temp-dir.js';

test('a live pid is the owner only when it started when the owner recorded (injected readers)', () => {
  const here = hostTag();
  const alive = () => true;
  const owner = { host: here, pid: 4242, started: 's0000000a' };
  assert.equal(
    ownerIsGone(owner, alive, () => 's0000000b'),
    true,
    'another run of pid 4242',
  );
  assert.equal(
    ownerIsGone(owner, alive, () => 's0000000a'),
    false,
    'the same run',
  );
  assert.equal(
    ownerIsGone(owner, alive, () => null),
    false,
    'no /proc (macOS): the pid rule',
  );
  assert.equal(
    ownerIsGone({ host: here, pid: 4242 }, alive, () => 's0000000b'),
    false,
    'an old record: the pid rule',
  );
  assert.equal(
    ownerIsGone(
      owner,
      () => false,
      () => null,
    ),
    true,
    'a dead pid',
  );
  assert.equal(
    ownerIsGone({ ...owner, host: hostTag('another-host') }, alive, () => 's0000000b'),
    false,
  );
  assert.deepEqual(parseOwner('h0a1b2c3d-4242-s1a2b3c4d-9f8e7d6c'), {
    host: 'h0a1b2c3d',
    pid: 4242,
    started: 's1a2b3c4d',
  });
  assert.deepEqual(parseOwner('h0a1b2c3d-4242-9f8e7d6c'), { host: 'h0a1b2c3d', pid: 4242 });
});

/** A child that runs until killed, once it exists. */
function sleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
}

test(
  'a lock whose pid a later process reused is taken over; the live owner and an old record without a tag are not',
  { skip: process.platform !== 'linux' },
  async () => {
    assert.match(ownerTag(), new RegExp(`^${hostTag()}-${process.pid}-s[0-9a-f]{8}$`));
    const first = sleeper();
    const firstStart = processStartTag(first.pid!);
    assert.match(firstStart ?? '', /^s[0-9a-f]{8}$/);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // The kernel will not hand the dead pid out on demand: a live process that started long before plays the one
    // that reused it (this test's parent, the runner; a second child could start in the same clock tick).
    const live = process.ppid;
    const dir = makeTempDir('reused-pid-lock');
    const liveStart = processStartTag(live);
    assert.ok(liveStart !== null && liveStart !== firstStart);
    const lockAs = (record: object) => writeFileSync(join(dir, 'lock'), JSON.stringify(record));
    const held = { host: hostTag(), pid: live };
    for (const record of [{ ...held, started: liveStart }, held]) {
      lockAs(record);
      assert.throws(() => lockCheckpoint(dir), {
        code: 'ERR_STREAM_CHECKPOINT_IN_USE',
        message: `the checkpoint ${dir} is in use by running process ${live}: stop that query first (or delete ${join(dir, 'lock')} if you are sure it is not running)`,
      });
    }
    lockAs({ ...held, started: firstStart });
    const release = lockCheckpoint(dir);
    release();
  },
);
