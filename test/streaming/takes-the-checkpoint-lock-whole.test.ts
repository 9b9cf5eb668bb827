// The checkpoint lock appears whole or not at all (staged, then hard-linked), and leaves no staged file behind.
import assert from 'node:assert/strict';
import { linkSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { lockCheckpoint } from '../../src/streaming/checkpoint-lock.js';
import { hostTag } from '../../src/io/files/owned-temp-dirs.js';
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

test("a dead owner's lock that another starting process took over first is left to it, not removed", () => {
  // Two queries started together after a kill -9 both read the dead owner; the slower one once removed the lock the
  // faster had just taken and linked its own, so both ran on one checkpoint (5 times in 25 with real processes).
  withDir((dir) => {
    const path = join(dir, 'lock');
    const dead = { host: hostTag(), pid: deadPid() };
    writeFileSync(path, JSON.stringify(dead));
    const faster = JSON.stringify({ host: hostTag(), pid: process.ppid }); // alive, and not this process
    writeFileSync(join(dir, 'faster.tmp'), faster); // staged before it tried the lock, as lockCheckpoint does
    const takeOverFirst = (): void => {
      rmSync(path);
      linkSync(join(dir, 'faster.tmp'), path);
      rmSync(join(dir, 'faster.tmp'));
    };
    assert.throws(() => lockCheckpoint(dir, { beforeTakeover: takeOverFirst }), {
      code: 'ERR_STREAM_CHECKPOINT_IN_USE',
      message: new RegExp(`in use by running process ${process.ppid}`),
    });
    assert.equal(readFileSync(path, 'utf8'), faster);
    assert.deepEqual(readdirSync(dir), ['lock']);
  });
});

test("a dead owner's lock is taken over when nobody else took it", () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'lock'), JSON.stringify({ host: hostTag(), pid: deadPid() }));
    const release = lockCheckpoint(dir);
    assert.equal((JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { pid: number }).pid, process.pid);
    release();
    assert.deepEqual(readdirSync(dir), []);
  });
});

test("a claim on a dead owner's lock left by a claimer killed mid-takeover is taken over too; a live claimer's is not", () => {
  withDir((dir) => {
    const dead = deadPid();
    writeFileSync(join(dir, 'lock'), JSON.stringify({ host: hostTag(), pid: dead }));
    writeFileSync(join(dir, `lock.takeover-${dead}`), JSON.stringify({ host: hostTag(), pid: dead + 1 }));
    const release = lockCheckpoint(dir);
    assert.deepEqual(readdirSync(dir), ['lock']);
    assert.equal((JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { pid: number }).pid, process.pid);
    release();
  });
  withDir((dir) => {
    const dead = deadPid();
    const lock = JSON.stringify({ host: hostTag(), pid: dead });
    writeFileSync(join(dir, 'lock'), lock);
    writeFileSync(join(dir, `lock.takeover-${dead}`), JSON.stringify({ host: hostTag(), pid: process.ppid }));
    assert.throws(() => lockCheckpoint(dir), {
      code: 'ERR_STREAM_CHECKPOINT_IN_USE',
      message: new RegExp(`in use by running process ${process.ppid}`),
    });
    assert.equal(readFileSync(join(dir, 'lock'), 'utf8'), lock, 'left to the live claimer');
  });
});

test('a lock naming this pid that this process does not hold (an earlier process with the same pid) is taken over', () => {
  // A container restarted after an OOM kill runs its query as the same pid on the same host name: every restart
  // was refused as "in use by another query in this process".
  withDir((dir) => {
    writeFileSync(join(dir, 'lock'), JSON.stringify({ host: hostTag(), pid: process.pid }));
    const release = lockCheckpoint(dir);
    assert.deepEqual(readdirSync(dir), ['lock']);
    assert.throws(() => lockCheckpoint(dir), {
      code: 'ERR_STREAM_CHECKPOINT_IN_USE',
      message: /in use by another query in this process/,
    });
    release();
    assert.deepEqual(readdirSync(dir), []);
    const again = lockCheckpoint(dir); // released: free for the next query of this process
    again();
  });
});

test('taking the lock removes the claims, staged files and moved-aside locks of gone processes, and only those', () => {
  withDir((dir) => {
    const dead = deadPid();
    const record = (pid: number, host = hostTag()): string => JSON.stringify({ host, pid });
    const leave = (name: string, text: string): void => writeFileSync(join(dir, name), text);
    leave(`lock.takeover-${dead + 7}`, record(dead)); // a claimer killed mid-takeover
    leave(`lock.${dead}.tmp`, record(dead)); // killed between staging and linking
    leave(`lock.${dead}.stale`, record(dead + 7)); // an older version's mover killed with the lock aside
    leave(`lock.takeover-${dead + 8}`, record(process.ppid)); // a live claimer: its own to remove
    leave(`lock.${process.ppid}.tmp`, record(process.ppid)); // a live process about to link
    leave(`lock.${process.ppid}.stale`, record(dead)); // its live mover may put it back
    leave(`lock.${dead}.tmp.x`, record(dead)); // not a name of ours
    leave(`lock.${dead + 1}.tmp`, record(dead + 1, hostTag('another-host'))); // another host's
    leave(`lock.${dead + 2}.stale`, '{'); // unreadable: no host to trust
    const release = lockCheckpoint(dir);
    assert.deepEqual(
      readdirSync(dir).sort(),
      [
        'lock',
        `lock.${dead + 1}.tmp`,
        `lock.${dead + 2}.stale`,
        `lock.${dead}.tmp.x`,
        `lock.${process.ppid}.stale`,
        `lock.${process.ppid}.tmp`,
        `lock.takeover-${dead + 8}`,
      ].sort(),
    );
    release();
  });
});

/** A pid no process has: past Linux's largest (2^22). */
function deadPid(): number {
  return 4_194_304 + 1;
}
