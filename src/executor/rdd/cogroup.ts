import { KeyMap } from '../../common/keys.js';
import { expectPair } from './pairs.js';
import type { TaskContext } from '../task-context.js';

/** `[key, [values from input 0, values from input 1, …]]` for every key of any input (Spark's `cogroup`). */
export function cogroup(inputs: readonly Iterable<unknown>[], context: TaskContext): Iterable<unknown> {
  const groups = new KeyMap<unknown[][]>();
  inputs.forEach((input, index) => {
    for (const record of input) {
      const [key, value] = expectPair(record, 'cogroup()');
      let lists = groups.get(key);
      if (lists === undefined) {
        lists = inputs.map(() => []);
        groups.set(key, lists);
      }
      lists[index]!.push(value);
      context.tick();
    }
  });
  return groups.entries();
}
