import type { BuiltinNarrowOp } from '../../protocol/pipeline.js';
import { assertNever } from '../../common/assert.js';
import { AssertionError } from '../../common/errors.js';
import { Rng, deriveSeed } from '../../common/rng.js';
import { Combiner } from './combiner.js';
import { drain } from './record-stream.js';
import { expectPair } from './pairs.js';
import type { TaskContext } from '../task-context.js';
import { rowKinds } from '../loading/row-kinds-loader.js';

/** The executor's own partition operations (no user function): see `BuiltinNarrowOp`. */
export function applyBuiltin(
  input: Iterable<unknown>,
  op: BuiltinNarrowOp,
  partition: number,
  context: TaskContext,
): Iterable<unknown> {
  switch (op.name) {
    case 'glom':
      return [Array.from(input)];
    case 'keys':
      return mapEach(input, (record) => expectPair(record, 'keys()')[0]);
    case 'values':
      return mapEach(input, (record) => expectPair(record, 'values()')[1]);
    case 'sample':
      return sample(input, op.withReplacement, op.fraction, deriveSeed(op.seed, partition));
    case 'zip-with-index':
      return zipWithIndex(input, op.startIndex);
    case 'round-robin-key':
      return roundRobinKey(input, op.numPartitions, partition);
    case 'cogroup-filter-keys':
      return cogroupFilterKeys(input, op.nonEmpty, op.empty);
    case 'join-rows':
      return joinRows(input, op.how);
    case 'subtract-by-key':
      return subtractByKey(input);
    case 'combine-by-key': {
      // The reduce side of `reduceByKey` and friends over a partition already partitioned by key: no shuffle.
      const combiner = new Combiner(op.aggregator, false, context);
      const label = op.aggregator.mergeValue.label;
      drain(input, (record) => {
        const pair = expectPair(record, label);
        combiner.add(pair[0], pair[1]);
        context.tick();
      });
      return combiner.entries();
    }
    case 'update-state':
      return rowKinds('stateAndCheckpoints').updateState(input, op.spec, partition, context);
    case 'assign-windows':
      return rowKinds('stateAndCheckpoints').assignWindows(input, op.spec, context);
    case 'columnar':
      // buildPipeline turns columnar ops into `columnar` nodes; reaching here means a plan was built wrongly.
      throw new AssertionError('a columnar stage reached the record-wise narrow loop');
    default:
      return assertNever(op, 'builtin op');
  }
}

function* mapEach(input: Iterable<unknown>, fn: (record: unknown) => unknown): Generator<unknown> {
  for (const record of input) yield fn(record);
}

/** Bernoulli sampling, or Poisson sampling (each record repeated Poisson(fraction) times) with replacement. */
function* sample(input: Iterable<unknown>, withReplacement: boolean, fraction: number, seed: number) {
  const rng = new Rng(seed);
  for (const record of input) {
    if (withReplacement) {
      for (let n = rng.nextPoisson(fraction); n > 0; n--) yield record;
    } else if (rng.nextFloat() < fraction) {
      yield record;
    }
  }
}

function* zipWithIndex(input: Iterable<unknown>, startIndex: number) {
  let index = startIndex;
  for (const record of input) yield [record, index++];
}

/** Spark's `repartition`: targets in turn from a start seeded by the partition index, so partitions even out. */
function* roundRobinKey(input: Iterable<unknown>, numPartitions: number, partition: number) {
  let target = new Rng(deriveSeed(0x5eed, partition)).nextInt(numPartitions);
  for (const record of input) {
    yield [target, record];
    target = (target + 1) % numPartitions;
  }
}

type CoGrouped = [unknown, unknown[][]];

/** Keys whose value lists are non-empty for every input in `nonEmpty` and empty for every input in `empty`. */
function* cogroupFilterKeys(input: Iterable<unknown>, nonEmpty: readonly number[], empty: readonly number[]) {
  for (const record of input) {
    const [key, groups] = record as CoGrouped;
    if (nonEmpty.every((i) => groups[i]!.length > 0) && empty.every((i) => groups[i]!.length === 0)) yield key;
  }
}

/** Join rows from `[k, [leftValues, rightValues]]`, Spark's semantics: a missing side of an outer join is null. */
function* joinRows(input: Iterable<unknown>, how: 'inner' | 'left' | 'right' | 'full') {
  for (const record of input) {
    const [key, [lefts, rights]] = record as [unknown, [unknown[], unknown[]]];
    if (lefts.length > 0 && rights.length > 0) {
      for (const l of lefts) for (const r of rights) yield [key, [l, r]];
    } else if (lefts.length > 0 && (how === 'left' || how === 'full')) {
      for (const l of lefts) yield [key, [l, null]];
    } else if (rights.length > 0 && (how === 'right' || how === 'full')) {
      for (const r of rights) yield [key, [null, r]];
    }
  }
}

function* subtractByKey(input: Iterable<unknown>) {
  for (const record of input) {
    const [key, [lefts, rights]] = record as [unknown, [unknown[], unknown[]]];
    if (rights.length === 0) for (const l of lefts) yield [key, l];
  }
}
