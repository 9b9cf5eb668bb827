// A driver that dies in the middle of its second job: `uncaught` throws from the event loop (the process exits
// through 'exit' handlers), `sigkill` kills itself (no handler runs). Used by the crash test as a child process.
// Partition 3 of the second job waits (up to 60 s) on a gate nobody opens: the job is surely still running when
// the driver dies after another task of it ended.
import { Context } from '../../src/index.js';

const [dir, mode] = process.argv.slice(2);
// `node --test dist/test/` runs every file here: without the crash test's arguments there is nothing to do.
if (dir !== undefined) await crashMidway(dir, mode);

async function crashMidway(dir: string, mode: string | undefined): Promise<void> {
  const kc = new Context({ threads: 2, eventLog: { dir, flushIntervalMs: 60_000 } });
  await kc.range(0, 1000, 1, 4).count();
  kc.onEvent((event) => {
    if (event.kind !== 'task-end' || event.jobId !== 1) return;
    if (mode === 'sigkill') process.kill(process.pid, 'SIGKILL');
    else
      setImmediate(() => {
        throw new Error('the driver crashed');
      });
  });
  const gate = new Int32Array(new SharedArrayBuffer(4));
  await kc
    .range(0, 1000, 1, 4)
    .mapPartitionsWithIndex(
      (i: number, it: Iterable<number>) => {
        if (i === 3) Atomics.wait(gate, 0, 0, 60_000);
        return it;
      },
      { gate },
    )
    .count();
  process.stdout.write('not reached\n');
}
