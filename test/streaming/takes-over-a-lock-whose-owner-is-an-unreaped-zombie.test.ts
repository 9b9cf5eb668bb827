// A query killed with kill -9 stays a zombie until its parent reaps it, and kill(pid, 0) succeeds on a zombie. A
// supervisor that restarts the query before reaping the old one, or a container whose first process never reaps
// orphans, left a checkpoint lock that every restart refused as held by a "running process" (found by restarting
// the streaming word count right after `timeout -s KILL`). The lock of an exited, unreaped process is taken over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { hostTag, processIsAlive } from '../../src/io/owned-temp-dirs.js';
import { lockCheckpoint } from '../../src/streaming/checkpoint-lock.js';

const STATE_READS_MAX = 100_000;

/** The state letter of a Linux process (R, S, Z ...), or '' once it is gone. */
function stateOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return '';
  }
}

test(
  "a checkpoint lock whose owner exited but was not reaped (a zombie) is taken over; a live owner's is not",
  { skip: process.platform !== 'linux' },
  async () => {
    // `true` runs in the background of a shell that then becomes `sleep`, which never waits for children: `true`
    // exits and stays a zombie of that process until it ends.
    const parent = spawn('sh', ['-c', 'true & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dir = mkdtempSync(join(tmpdir(), 'kindling-zombie-lock-'));
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let text = '';
        parent.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) resolve(text.split('\n')[0]!);
        });
        parent.once('error', reject);
      });
      const zombie = Number(firstLine);
      assert.ok(Number.isInteger(zombie) && zombie > 0, `the shell printed a pid: ${firstLine}`);
      let reads = 0;
      while (stateOf(zombie) !== 'Z') {
        assert.ok(++reads < STATE_READS_MAX, `pid ${zombie} became a zombie (state now '${stateOf(zombie)}')`);
        await new Promise((resolve) => setImmediate(resolve));
      }
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
