// A query killed with kill -9 stays a zombie until its parent reaps it, and kill(pid, 0) succeeds on a zombie. A
// supervisor that restarts the query before reaping the old one, or a container whose first process never reaps
// orphans, left a checkpoint lock that every restart refused as held by a "running process" (found by restarting
// the streaming word count right after `timeout -s KILL`). The lock of an exited, unreaped process is taken over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { test } from 'node:test';

import { hostTag, processIsAlive } from '../../src/io/files/owned-temp-dirs.js';
import { lockCheckpoint } from '../../src/streaming/checkpoint-lock.js';
import { makeTempDir } from '../support/temp-dir.js';

/** How long the shell may take to exec and the `read` to exit, even on a loaded machine. */
const STATE_WAIT_MS_MAX = 20_000;

/** The state letter of a Linux process (R, S, Z ...), or '' once it is gone. */
function stateOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return '';
  }
}

/** The command name of a Linux process, or '' once it is gone. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
}

/** Waits, a turn of the event loop at a time, until `holds()`; fails after STATE_WAIT_MS_MAX. */
async function until(holds: () => boolean, what: string): Promise<void> {
  const deadlineMs = Date.now() + STATE_WAIT_MS_MAX;
  while (!holds()) {
    assert.ok(Date.now() < deadlineMs, what);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test(
  "a checkpoint lock whose owner exited but was not reaped (a zombie) is taken over; a live owner's is not",
  { skip: process.platform !== 'linux' },
  async () => {
    // A background `read` on fd 3 waits for this process; the shell then becomes `sleep`, which never waits for
    // children. Once the exec is seen, closing fd 3 ends the `read`, which stays a zombie of `sleep` until it ends.
    // (A child that could end before the exec would be reaped by the shell.)
    const parent = spawn('sh', ['-c', 'read line <&3 & echo $!; exec sleep 600 3<&-'], {
      stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
    });
    const dir = makeTempDir('zombie-lock');
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let text = '';
        parent.stdout!.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) resolve(text.split('\n')[0]!);
        });
        parent.once('error', reject);
      });
      const zombie = Number(firstLine);
      assert.ok(Number.isInteger(zombie) && zombie > 0, `the shell printed a pid: ${firstLine}`);
      await until(() => commandOf(parent.pid!) === 'sleep', `the shell ${parent.pid} became sleep`);
      assert.equal(processIsAlive(zombie), true, 'the waiting read is alive');
      (parent.stdio[3] as Writable).end();
      await until(() => stateOf(zombie) === 'Z', `pid ${zombie} became a zombie`);
      assert.doesNotThrow(() => process.kill(zombie, 0), 'a zombie can still be signalled');
      assert.equal(processIsAlive(zombie), false, 'an exited process is not alive while unreaped');
      assert.equal(processIsAlive(parent.pid!), true, 'its sleeping parent is alive');

      writeFileSync(join(dir, 'lock'), JSON.stringify({ host: hostTag(), pid: zombie }));
      const release = lockCheckpoint(dir);
      assert.equal((JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { pid: number }).pid, process.pid);
      release();

      writeFileSync(join(dir, 'lock'), JSON.stringify({ host: hostTag(), pid: parent.pid }));
      assert.throws(() => lockCheckpoint(dir), {
        code: 'ERR_STREAM_CHECKPOINT_IN_USE',
        message: new RegExp(`in use by running process ${parent.pid}`),
      });
    } finally {
      parent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
