/**
 * Reads a module's state on every thread of a Context: one task per thread calls `method()` of the module at `url`
 * as that thread loaded it (a worker loads our modules once, so `require` of one gives the instance the thread runs
 * with, Node >= 20.19). With `parties` > 1 each task waits until `parties` tasks run at once (Atomics on
 * `gate[slot]`, no sleeps), so with as many threads every thread answers once.
 */
import type { RDD } from '../../src/index.js';

/**
 * @example
 * const held = await probeEveryThread<number[]>(kc.range(0, 2, 1, 2), 2, gate, 0, url, 'heldShuffleTables');
 */
export function probeEveryThread<R, T = unknown>(
  rdd: RDD<T>,
  parties: number,
  gate: Int32Array,
  slot: number,
  url: string,
  method: string,
): Promise<R[]> {
  return rdd
    .mapPartitions(
      (_rows: Iterable<T>): R[] => {
        let started = Atomics.add(gate, slot, 1) + 1;
        Atomics.notify(gate, slot);
        const deadline = Date.now() + 30_000;
        while (started < parties) {
          if (Date.now() > deadline) throw new Error(`only ${started} of ${parties} probe tasks started`);
          Atomics.wait(gate, slot, started, 1000);
          started = Atomics.load(gate, slot);
        }
        const { fileURLToPath } = process.getBuiltinModule('node:url');
        const { createRequire } = process.getBuiltinModule('node:module');
        const module = createRequire(url)(fileURLToPath(url)) as Record<string, () => R>;
        return [module[method]!()];
      },
      { gate, slot, parties, url, method },
    )
    .collect();
}
