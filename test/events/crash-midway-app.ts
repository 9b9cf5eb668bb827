// A driver that dies in the middle of its second job: `uncaught` throws from the event loop (the process exits
// through 'exit' handlers), `sigkill` kills itself (no handler runs). Used by the crash test as a child process.
import { Context } from '../../src/index.js';

const [dir, mode] = process.argv.slice(2);
const kc = new Context({ threads: 2, eventLog: { dir: dir!, flushIntervalMs: 60_000 } });
await kc.range(0, 1000, 1, 4).count();
kc.onEvent((event) => {
  if (event.kind !== 'task-end' || event.jobId !== 1) return;
  if (mode === 'sigkill') process.kill(process.pid, 'SIGKILL');
  else
    process.nextTick(() => {
      throw new Error('the driver crashed');
    });
});
await kc
  .range(0, 1000, 1, 4)
  .map((x) => x * 2)
  .count();
process.stdout.write('not reached\n');
