import { KeyMap } from '../../common/keys.js';
import { sortPairsByKey } from '../../common/sort-pairs-by-key.js';
import { Combiner } from '../rdd/combiner.js';
import { expectPair } from '../rdd/pairs.js';
import { recordsOfBlockRows } from './read-blocks.js';
import { shuffleInputRows, type ShuffleReadNode } from './shuffle-input.js';
import { readSortedShuffle } from './sorted-shuffle-read.js';
import { drain } from '../rdd/record-stream.js';
import type { TaskContext } from '../task-context.js';

/**
 * The reduce side of a shuffle: reads every map output's block for this partition and applies the aggregation
 * (`combine` with the aggregator, `group` into arrays, or `none`), then sorts by key when asked (`sortByKey`; one
 * that only sorts reads its input as columns, see sorted-shuffle-read.ts).
 */
export function readShuffle(node: ShuffleReadNode, context: TaskContext): Iterable<unknown> {
  const reduce = node.reduce;
  if (reduce.aggregation.kind === 'none' && reduce.sortByKey !== null) {
    return readSortedShuffle(node, context, reduce.sortByKey.ascending);
  }
  const records = recordsOfBlockRows(() => shuffleInputRows(node, `shuffle ${node.shuffleId} input`, context));
  let output: Iterable<unknown>;
  const aggregation = reduce.aggregation;
  switch (aggregation.kind) {
    case 'none':
      output = records;
      break;
    case 'group': {
      const groups = new KeyMap<unknown[]>();
      drain(records, (record) => {
        const [key, value] = expectPair(record, 'groupByKey()');
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [value]);
        else group.push(value);
        context.tick();
      });
      output = groups.entries();
      break;
    }
    case 'combine': {
      const combiner = new Combiner(aggregation.aggregator, aggregation.mapSideCombined, context);
      const label = aggregation.aggregator.mergeValue.label;
      drain(records, (record) => {
        const pair = expectPair(record, label);
        combiner.add(pair[0], pair[1]);
        context.tick();
      });
      output = combiner.entries();
      break;
    }
  }
  if (reduce.sortByKey === null) return output;
  return sortPairsByKey(Array.from(output), reduce.sortByKey.ascending);
}
