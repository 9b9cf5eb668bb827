// Child of releases-shuffle-outputs.test.ts, run with --expose-gc: drops every reference to one shuffled dataset,
// collects garbage until the Context's cleaner has released it (at most ROUNDS_MAX rounds, no timers), and prints what the
// storage status said before and after, as one JSON line.
import { Context, type LoggedEvent, type RDD } from '../../src/index.js';

// `node --test dist/test/` runs every file it finds, this one too: without the `child` argument it does nothing.
if (process.argv[2] === 'child') await main();

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const ROUNDS_MAX = 50;

  const kc = new Context({ threads: 2 });
  let shuffleBytes = 0;
  let mapStages = 0;
  kc.onEvent((event: LoggedEvent) => {
    if (event.kind === 'storage-status') shuffleBytes = event.shuffleBytesInMemory;
    if (event.kind === 'stage-submitted' && event.writesShuffle !== null) mapStages++;
  });

  function summed(n: number): RDD<[number, number]> {
    return kc
      .range(0, n, 1, 4)
      .map((x: number): [number, number] => [x % 100, 1])
      .reduceByKey((a: number, b: number) => a + b, 3);
  }

  const kept = summed(20_000);
  await kept.count();
  const keptBytes = shuffleBytes;
  // In a function, so no variable of this module keeps the dataset (or its shuffle dependency) alive.
  await (async () => {
    await summed(50_000).count();
  })();
  const bytesBefore = shuffleBytes;

  let rounds = 0;
  while (rounds < ROUNDS_MAX && shuffleBytes !== keptBytes) {
    rounds++;
    gc();
    // FinalizationRegistry callbacks run as tasks of their own after a collection; then a job, so that a storage
    // status reports the bytes held now.
    await new Promise((resolve) => setImmediate(resolve));
    await kc.range(0, 1, 1, 1).count();
  }
  const bytesAfter = shuffleBytes;

  mapStages = 0;
  const keptSum = await kept.values().sum();
  const keptMapStages = mapStages;
  await kc.stop();
  process.stdout.write(`${JSON.stringify({ bytesBefore, bytesAfter, keptBytes, rounds, keptMapStages, keptSum })}\n`);
}
