/**
 * The planning of `Dataset.join`: checks the arguments, picks a broadcast or a shuffled hash join (see
 * `Dataset.join`), and builds the plan nodes. The executor's `executor/columnar/joins/hash-join.ts` runs it.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { ColumnarOp, ColumnarSink, JoinSpec, JoinType } from '../../protocol/columnar.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import type { PlanNode } from '../../plan/plan-node.js';
import type { ContextInternals } from '../context/context-internals.js';
import { joinKeyTypes } from './join-key-resolution.js';
import type { Dataset } from '../dataset/dataset.js';

/** What join planning needs of each side (private parts of a `Dataset`, handed over by it). @internal */
export interface DatasetParts {
  readonly context: ContextInternals;
  /** The plan node the pending operators read. */
  readonly base: PlanNode;
  /** Operators not yet cut into a stage. */
  readonly ops: readonly ColumnarOp[];
  /** The pending operators as one stage ending in `sink`. */
  node(sink: ColumnarSink, label: string): PlanNode;
  /** Every row (after the pending operators, then `mapOps`) in one partition: the shuffled node. */
  gathered(label: string, mapOps?: readonly ColumnarOp[]): PlanNode;
  /** A dataset of the same context over `base` with `ops` pending. */
  over(base: PlanNode, ops: readonly ColumnarOp[]): Dataset;
}

const joinTypes: readonly JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti', 'cross'];

/**
 * The keys of a join: a column name or several, the same on both sides, or `{ leftOn, rightOn }` pairing columns
 * named differently (the answer keeps the left's names).
 */
export type JoinOn =
  | string
  | readonly string[]
  | { readonly leftOn: string | readonly string[]; readonly rightOn: string | readonly string[] };

/**
 * The most tasks a co-located join of two cached sides may have. Each of its tasks reads the key columns of every
 * row of both sides (hashing them, or comparing one int key with its key range:
 * `executor/columnar/joins/co-located-split.ts`), so that work grows with the task count, while a shuffle hashes each
 * row once but writes and re-reads every column. Measured at 2 tasks (the db-benchmark's joins on 2 threads: 0.6–0.8×
 * the shuffle's CPU); past a few tasks the repeated hashing outgrows the copying it saves, so more tasks go through the
 * shuffle.
 */
export const CO_LOCATED_TASKS_MAX = 8;

/**
 * `left.join(right, on, how)` as plan nodes.
 *
 * @example
 * planJoin(leftParts, rightParts, 'id', 'left', undefined);
 */
export function planJoin(
  left: DatasetParts,
  right: DatasetParts,
  on: JoinOn | undefined,
  how: JoinType,
  numPartitions: number | undefined,
): Dataset {
  if (!joinTypes.includes(how)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `join(): how must be one of ${joinTypes.map((t) => `'${t}'`).join(', ')}, found ${describeValue(how)}`,
    );
  }
  const { leftKeys: keys, rightKeys } = joinKeys(on, how);
  const plan = left.context.plan;
  // Keys of different number types are widened to one type on both sides, learned before the first job runs.
  const keyTypes =
    how === 'cross'
      ? undefined
      : joinKeyTypes(
          plan,
          left.node({ kind: 'rows' }, 'join (left side)'),
          right.node({ kind: 'rows' }, 'join (right side)'),
          keys,
          rightKeys,
        );
  const max = left.context.options.broadcastJoinBytesMax;
  const leftBytes = estimatedBytes(left) ?? Infinity;
  const rightBytes = estimatedBytes(right) ?? Infinity;
  // A side hinted `hint('broadcast')` is broadcast whatever its estimate, as Spark's hint overrides its threshold.
  const [leftHinted, rightHinted] = [broadcastHinted(left), broadcastHinted(right)];
  const fits = (bytes: number, hinted: boolean) => hinted || (bytes <= max && max > 0);
  // The broadcast side must be one whose unmatched rows the join drops: right for left/semi/anti, left for right.
  const rightOk =
    how === 'cross' ||
    ((how === 'inner' || how === 'left' || how === 'semi' || how === 'anti') && fits(rightBytes, rightHinted));
  const leftOk = how === 'cross' || ((how === 'inner' || how === 'right') && fits(leftBytes, leftHinted));
  const preferRight = leftHinted !== rightHinted ? rightHinted : rightBytes <= leftBytes;
  const broadcast = rightOk && (!leftOk || preferRight) ? 'right' : leftOk ? 'left' : null;
  if (broadcast !== null) {
    const gathered = (broadcast === 'right' ? right : left).gathered('join (broadcast side)');
    const streamed = (broadcast === 'right' ? left : right).node({ kind: 'rows' }, 'join (streamed side)');
    const node = broadcast === 'right' ? plan.cartesian(streamed, gathered) : plan.cartesian(gathered, streamed);
    const join: JoinSpec = {
      how,
      leftKeys: keys,
      rightKeys,
      build: broadcast,
      strategy: 'broadcast-hash',
      ...(keyTypes && { keyTypes }),
    };
    return left.over(node, [{ kind: 'join', join }]);
  }
  const partitions = checkPartitionCount(numPartitions ?? left.context.options.defaultParallelism, 'join()');
  const build = how === 'right' ? 'left' : 'right';
  if (how !== 'cross' && partitions <= CO_LOCATED_TASKS_MAX && isCachedNow(left) && isCachedNow(right)) {
    // Both sides' blocks are cached: every task reads them all and keeps its key-hash share
    // (`executor/columnar/joins/co-located-join.ts`), instead of a shuffle that writes and re-reads every column of
    // both sides.
    const everyBlock = (parts: DatasetParts, name: string, tasks: number) => {
      const node = parts.node({ kind: 'rows' }, `join (${name} side)`);
      const all = Array.from({ length: node.numPartitions }, (_, i) => i);
      return plan.coalesce(
        node,
        Array.from({ length: tasks }, () => all),
        `join (every cached block, ${name} side)`,
      );
    };
    const node = plan.cartesian(everyBlock(left, 'left', partitions), everyBlock(right, 'right', 1), 'join');
    const join: JoinSpec = {
      how,
      leftKeys: keys,
      rightKeys,
      build,
      strategy: 'co-located-hash',
      partitions,
      ...(keyTypes && { keyTypes }),
    };
    return left.over(node, [{ kind: 'join', join }]);
  }
  const sink = (sideKeys: readonly string[]): ColumnarSink => ({
    kind: 'hash-partition',
    keys: sideKeys,
    ...(keyTypes && { keyTypes }),
  });
  const node = plan.cogroup(
    [left.node(sink(keys), 'join (left map side)'), right.node(sink(rightKeys), 'join (right map side)')],
    plan.hashPartitioner(partitions),
    'join',
  );
  // A cross join has no key to bucket by: its task holds its build side whole, as before.
  const spill =
    how === 'cross'
      ? {}
      : { spill: { dir: left.context.spillDir, buildBytesMax: left.context.options.joinBuildBytesMax } };
  const join: JoinSpec = {
    how,
    leftKeys: keys,
    rightKeys,
    build,
    strategy: 'shuffled-hash',
    ...spill,
    ...(keyTypes && { keyTypes }),
  };
  return left.over(node, [{ kind: 'join', join }]);
}

/**
 * The key columns of `join(other, on, how)` on each side: one name or several, the same on both sides, or
 * `{ leftOn, rightOn }` (Polars' names) pairing columns named differently; none for a cross join.
 */
function joinKeys(on: unknown, how: JoinType): { leftKeys: string[]; rightKeys: string[] } {
  const names = (value: unknown): string[] | null => {
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...(value as unknown[])] : null;
    return list !== null && list.every((k) => typeof k === 'string' && k !== '') ? (list as string[]) : null;
  };
  const paired = typeof on === 'object' && on !== null && !Array.isArray(on);
  const leftKeys = on === undefined ? [] : paired ? names((on as { leftOn?: unknown }).leftOn) : names(on);
  const rightKeys = on === undefined ? [] : paired ? names((on as { rightOn?: unknown }).rightOn) : leftKeys;
  const fits = leftKeys !== null && rightKeys !== null && leftKeys.length === rightKeys.length;
  if (!fits || (how === 'cross') !== (leftKeys.length === 0)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      how === 'cross'
        ? `join(): a cross join takes no key columns, found ${describeValue(on)}`
        : `join(): expected key column names, or { leftOn, rightOn } of as many names each, found ${describeValue(on)}`,
    );
  }
  return { leftKeys, rightKeys };
}

/**
 * True when the side is a cached dataset whose every partition is in the block cache now, seen through a selection
 * of its columns (renamed or not) at most: reading all its blocks in every task then costs only key hashing. A side
 * cached later, or lost later, is still right on this path (a missing block is recomputed from lineage by the task
 * that reads it), only slower.
 */
function isCachedNow(parts: DatasetParts): boolean {
  const base = parts.base;
  return (
    base.persisted &&
    parts.context.isFullyCached(base) &&
    parts.ops.every((op) => op.kind === 'select' && op.columns.every((c) => c.expr.kind === 'col'))
  );
}

/**
 * True when the dataset's rows passed a `hint('broadcast')` in the stage that computes them (its pending operators,
 * or the columnar stages its base reads in the same stage, as a cached dataset's).
 */
function broadcastHinted(parts: DatasetParts): boolean {
  const hinted = (ops: readonly ColumnarOp[]) => ops.some((op) => op.kind === 'hint' && op.name === 'broadcast');
  if (hinted(parts.ops)) return true;
  let base = parts.base;
  while (base.kind === 'narrow' && base.op.kind === 'builtin' && base.op.op.name === 'columnar') {
    if (hinted(base.op.op.stage.ops)) return true;
    base = base.parent;
  }
  return false;
}

/**
 * Bytes a dataset is estimated to hold, for choosing a broadcast join: a source's blocks or file splits, seen
 * through the columnar stages above it (a cached dataset is such a stage). Filters, selections and aggregations
 * can only shrink that; a generator (`splitToRows`) or a join may grow it: then, and for other inputs, unknown.
 */
function estimatedBytes(parts: DatasetParts): number | null {
  return mayGrow(parts.ops) ? null : nodeBytes(parts.base);
}

function mayGrow(ops: readonly ColumnarOp[]): boolean {
  return ops.some(
    (op) => op.kind === 'join' || (op.kind === 'select' && op.columns.some((c) => c.expr.kind === 'split-to-rows')),
  );
}

function nodeBytes(base: PlanNode): number | null {
  if (base.kind === 'narrow' && base.op.kind === 'builtin' && base.op.op.name === 'columnar') {
    return mayGrow(base.op.op.stage.ops) ? null : nodeBytes(base.parent);
  }
  if (base.kind !== 'source') return null;
  let bytes = 0;
  for (const spec of base.partitions) {
    if (spec.kind === 'blocks') for (const block of spec.blocks) bytes += block.byteLength;
    else if (spec.kind === 'csv-split' || spec.kind === 'jsonl-split' || spec.kind === 'text-split') {
      bytes += spec.split.length;
    } else if (spec.kind === 'parquet-split') {
      for (const group of spec.parquet.rowGroups) bytes += group.bytes; // compressed: a low estimate
    } else if (spec.kind !== 'empty') return null;
  }
  return bytes;
}
