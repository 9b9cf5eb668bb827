// Child of ends-idle-worker-threads-after-workerIdleTimeoutMs.test.ts: runs one job on a 2-thread Context with the
// default idle timeout, prints its answer and returns without kc.stop(); the parent checks that the process exits.
import { Context } from '../../src/index.js';

// `node --test dist/test/` runs every file it finds, this one too: without the `child` argument it does nothing.
if (process.argv[2] === 'child') {
  const kc = new Context({ threads: 2 });
  const sum = await kc
    .range(0, 400, 1, 8)
    .map((x: number): [number, number] => [x % 4, x])
    .reduceByKey((a: number, b: number) => a + b, 2)
    .values()
    .sum();
  console.log(`done ${sum}`);
}
