import type { NarrowOp, RecordWiseKind } from '../../protocol/pipeline.js';
import { assertNever } from '../../common/assert.js';
import { describeValue } from '../../common/describe-value.js';
import { InputError } from '../../common/errors.js';
import { applyBuiltin } from './builtin-ops.js';
import { expectPair } from './pairs.js';
import { drain, type Pushable } from './record-stream.js';
import type { TaskContext, UserFunction } from '../task-context.js';

type Step = (record: unknown) => void;

/**
 * Runs a stage's fused narrow chain over one partition. Consecutive record-wise operations (`map`, `flatMap`,
 * `filter`) are composed into one function per record, so a chain of ten of them costs one loop and no
 * intermediate collections; partition-wise operations (`mapPartitions`, builtins such as `glom`) take and return
 * whole iterables.
 */
export function applyNarrowOps(
  input: Iterable<unknown>,
  ops: readonly NarrowOp[],
  partition: number,
  context: TaskContext,
): Iterable<unknown> {
  let current = input;
  let index = 0;
  while (index < ops.length) {
    const op = ops[index]!;
    if (op.kind !== 'mapPartitions' && op.kind !== 'builtin') {
      let end = index;
      while (end < ops.length && isRecordWise(ops[end]!)) end++;
      current = fuseRecordWise(current, ops.slice(index, end), context);
      index = end;
      continue;
    }
    if (op.kind === 'mapPartitions') {
      const fn = context.fn(op.fn);
      const result: unknown = op.withIndex ? fn(partition, current) : fn(current);
      current = asIterable(result, op.fn.label, partition);
    } else {
      current = applyBuiltin(current, op.op, partition, context);
    }
    index++;
  }
  return current;
}

function isRecordWise(op: NarrowOp): op is Extract<NarrowOp, { kind: RecordWiseKind }> {
  return op.kind !== 'mapPartitions' && op.kind !== 'builtin';
}

function fuseRecordWise(input: Iterable<unknown>, ops: readonly NarrowOp[], context: TaskContext): Pushable<unknown> {
  // Compose the chain front to back around a final sink: step(record) runs every op and hands results on.
  // Every input record beats the heartbeat (sinks beat per output record too): a slow filter that drops most
  // records, or a slow flatMap, still shows progress.
  const compose = (sink: Step): Step => {
    let step = sink;
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i]!;
      if (isRecordWise(op)) step = recordStep(op.kind, context.fn(op.fn), op.fn.label, step);
    }
    const first = step;
    return (record) => {
      context.tick();
      first(record);
    };
  };
  return {
    pushInto(sink: Step) {
      drain(input, compose(sink));
    },
    *[Symbol.iterator]() {
      // Pull mode (for consumers that may stop early, such as take): results of one input record are buffered.
      const out: unknown[] = [];
      const first = compose((record) => {
        out.push(record);
      });
      for (const record of input) {
        first(record);
        if (out.length === 0) continue;
        const batch = out.splice(0, out.length);
        yield* batch;
      }
    },
  };
}

/** One record-wise operation composed in front of `next`. */
function recordStep(kind: RecordWiseKind, fn: UserFunction, label: string, next: Step): Step {
  const each = (many: unknown, emit: (item: unknown) => void) => {
    if (Array.isArray(many)) for (let j = 0; j < many.length; j++) emit(many[j]);
    else for (const item of asIterable(many, label, -1)) emit(item);
  };
  switch (kind) {
    case 'map':
      return (record) => next(fn(record));
    case 'filter':
      return (record) => {
        if (fn(record)) next(record);
      };
    case 'flatMap':
      return (record) => each(fn(record), next);
    case 'keyBy':
      return (record) => next([fn(record), record]);
    case 'mapValues':
      return (record) => {
        const [key, value] = expectPair(record, label);
        next([key, fn(value)]);
      };
    case 'flatMapValues':
      return (record) => {
        const [key, value] = expectPair(record, label);
        each(fn(value), (item) => next([key, item]));
      };
    default:
      return assertNever(kind, 'record-wise op');
  }
}

/** Checks that a user function returned something iterable (a flatMap result, a mapPartitions result). */
export function asIterable(value: unknown, label: string, partition: number): Iterable<unknown> {
  if (value !== null && typeof value === 'object' && Symbol.iterator in value) return value as Iterable<unknown>;
  if (typeof value === 'string') return value;
  const where = partition >= 0 ? ` in partition ${partition}` : '';
  throw new InputError(
    'ERR_INPUT_INVALID_RECORD',
    `${label} must return an iterable (an array, a Set, a generator …), but returned ${describeValue(value)}${where}`,
  );
}
