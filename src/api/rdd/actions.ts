import type { PartitionAction, TaskValue } from '../../protocol/task.js';
import { KindlingError, PlanError } from '../../common/errors.js';
import { canonicalKey, compareValues, hashPartition } from '../../common/keys.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import { shipFunction } from '../../plan/capture.js';
import { ModuleFunction } from '../../plan/module-function.js';
import { decodeBlock } from '../../storage/blocks/block-reader.js';
import { verifyBlock } from '../../storage/blocks/block-verify.js';
import type { Captures } from '../context/context-internals.js';
import type { RDD } from './rdd.js';

/** Actions: each runs one job (or, for `take`, a few small ones) and combines the partition results on the driver. */

function allPartitions(rdd: RDD<any>): number[] {
  return Array.from({ length: rdd.getNumPartitions() }, (_, i) => i);
}

/** Runs `action` on the given partitions and returns the per-partition values, indexed by partition. */
async function runAction(rdd: RDD<any>, action: PartitionAction, partitions = allPartitions(rdd)): Promise<unknown[]> {
  const results: unknown[] = new Array(rdd.getNumPartitions());
  await rdd.context.runJob({
    node: rdd.node,
    partitions,
    output: () => ({ kind: 'partition-action', action }),
    onResult: (partition, value) => {
      results[partition] = expectValue(value);
    },
  });
  return partitions.map((p) => results[p]);
}

function expectValue(value: TaskValue): unknown {
  if (value.kind !== 'value') throw new Error(`expected a value from the task, got ${value.kind}`);
  return value.value;
}

export function collect<T>(rdd: RDD<T>): Promise<T[]> {
  return collectPartitions(rdd, allPartitions(rdd));
}

/** The records of the given partitions, in that order, from one job (`toLocalIterator` runs one per partition). */
export async function collectPartitions<T>(rdd: RDD<T>, partitions: readonly number[]): Promise<T[]> {
  const blocks: (unknown[] | undefined)[] = new Array(rdd.getNumPartitions());
  await rdd.context.runJob({
    node: rdd.node,
    partitions: [...partitions],
    output: () => ({ kind: 'collect' }),
    onResult: (partition, value) => {
      if (value.kind !== 'block') throw new Error(`expected a block from the task, got ${value.kind}`);
      verifyBlock(value.block, `result of partition ${partition}`);
      blocks[partition] = decodeBlock(value.block);
    },
  });
  return partitions.flatMap((p) => blocks[p] ?? []) as T[];
}

export async function count(rdd: RDD<any>): Promise<number> {
  const counts = (await runAction(rdd, { kind: 'count' })) as number[];
  return counts.reduce((a, b) => a + b, 0);
}

/** Spark's `take`: one partition first, then more partitions each round (4× as many), until `n` records are found. */
export async function take<T>(rdd: RDD<T>, n: number): Promise<T[]> {
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`take(): n must be a non-negative integer, found ${String(n)}`);
  const taken: T[] = [];
  const total = rdd.getNumPartitions();
  let scanned = 0;
  while (taken.length < n && scanned < total) {
    let tryCount = 1;
    if (scanned > 0) {
      tryCount =
        taken.length === 0 ? scanned * 4 : Math.max(1, Math.ceil((1.5 * n * scanned) / taken.length) - scanned);
      tryCount = Math.min(tryCount, scanned * 4);
    }
    const partitions = Array.from({ length: Math.min(tryCount, total - scanned) }, (_, i) => scanned + i);
    const results = (await runAction(rdd, { kind: 'take', n: n - taken.length }, partitions)) as T[][];
    for (const records of results) {
      for (const record of records) if (taken.length < n) taken.push(record);
    }
    scanned += partitions.length;
  }
  return taken;
}

export async function first<T>(rdd: RDD<T>): Promise<T> {
  const taken = await take(rdd, 1);
  if (taken.length === 0) throw empty('first()');
  return taken[0]!;
}

export async function takeOrdered<T>(
  rdd: RDD<T>,
  n: number,
  keyFn: unknown,
  captures: Captures | undefined,
  descending: boolean,
): Promise<T[]> {
  const label = descending ? 'top()' : 'takeOrdered()';
  if (!Number.isSafeInteger(n) || n < 0)
    throw invalid(`${label}: n must be a non-negative integer, found ${String(n)}`);
  const shipped = keyFn === undefined ? null : shipFunction(keyFn, { label, captures: captures ?? {} });
  const perPartition = (await runAction(rdd, { kind: 'take-ordered', n, keyFn: shipped, descending })) as T[][];
  // Merge on the driver: the key function is the user's own, so it runs here as it is.
  const keyOf = keyFn === undefined ? (x: T) => x : await onDriver<(x: T) => unknown>(keyFn);
  const sign = descending ? -1 : 1;
  const all = perPartition.flat().map((record) => ({ record, key: shipped === null ? record : keyOf(record) }));
  all.sort((a, b) => sign * compareValues(a.key, b.key));
  return all.slice(0, n).map((entry) => entry.record);
}

export async function reduce<T>(rdd: RDD<T>, fn: unknown, captures?: Captures): Promise<T> {
  const shipped = shipFunction(fn, { label: 'reduce()', captures: captures ?? {} });
  const results = (await runAction(rdd, { kind: 'fold', fn: shipped, hasZero: false, zero: undefined })) as {
    hasValue: boolean;
    value: T;
  }[];
  const present = results.filter((r) => r.hasValue).map((r) => r.value);
  if (present.length === 0) throw empty('reduce()');
  const merge = await onDriver<(a: T, b: T) => T>(fn);
  return present.reduce((a, b) => merge(a, b));
}

export async function fold<T>(rdd: RDD<T>, zero: T, fn: unknown, captures?: Captures): Promise<T> {
  const shipped = shipFunction(fn, { label: 'fold()', captures: captures ?? {} });
  const results = (await runAction(rdd, { kind: 'fold', fn: shipped, hasZero: true, zero })) as { value: T }[];
  const merge = await onDriver<(a: T, b: T) => T>(fn);
  return results.reduce((acc, r) => merge(acc, r.value), structuredClone(zero));
}

export async function aggregate<T, U>(
  rdd: RDD<T>,
  zero: U,
  seqOp: unknown,
  combOp: (a: U, b: U) => U,
  captures?: Captures,
): Promise<U> {
  const shipped = shipFunction(seqOp, { label: 'aggregate() seqOp', captures: captures ?? {} });
  if (typeof combOp !== 'function') throw invalid(`aggregate(): combOp must be a function, found ${String(combOp)}`);
  const results = (await runAction(rdd, { kind: 'fold', fn: shipped, hasZero: true, zero })) as { value: U }[];
  return results.reduce((acc, r) => combOp(acc, r.value), structuredClone(zero));
}

export async function foreach(
  rdd: RDD<any>,
  fn: unknown,
  captures: Captures | undefined,
  perPartition: boolean,
): Promise<void> {
  const label = perPartition ? 'foreachPartition()' : 'foreach()';
  const shipped = shipFunction(fn, { label, captures: captures ?? {} });
  await runAction(rdd, perPartition ? { kind: 'foreach-partition', fn: shipped } : { kind: 'foreach', fn: shipped });
}

export async function countByValue<T>(rdd: RDD<T>): Promise<Map<T, number>> {
  const results = (await runAction(rdd, { kind: 'count-by-value' })) as [T, number][][];
  return mergeCounts(results);
}

export async function countByKey<K>(rdd: RDD<any>): Promise<Map<K, number>> {
  const keys = rdd.keys();
  return countByValue(keys);
}

/** Merges per-partition counts; keys compared by value (composite keys merge too). */
function mergeCounts<T>(results: [T, number][][]): Map<T, number> {
  const byCanonical = new Map<unknown, [T, number]>();
  for (const entries of results) {
    for (const [key, n] of entries) {
      const id = canonicalId(key);
      const existing = byCanonical.get(id);
      if (existing === undefined) byCanonical.set(id, [key, n]);
      else existing[1] += n;
    }
  }
  return new Map([...byCanonical.values()]);
}

function canonicalId(key: unknown): unknown {
  return key !== null && typeof key === 'object' ? `\u0000${canonicalKey(key)}` : key;
}

export async function collectAsMap<K, V>(rdd: RDD<any>): Promise<Map<K, V>> {
  const pairs = await collect(rdd);
  return new Map(pairs.map(([k, v]) => [k, v]));
}

export async function lookup<K, V>(rdd: RDD<any>, key: K): Promise<V[]> {
  const partitioner = rdd.node.partitioner;
  const partitions =
    partitioner !== null && partitioner.kind === 'hash'
      ? [hashPartition(key, checkPartitionCount(partitioner.numPartitions, 'lookup()'))]
      : allPartitions(rdd);
  const results = (await runAction(rdd, { kind: 'lookup', key }, partitions)) as V[][];
  return results.flat();
}

/**
 * A user function as the driver calls it when it merges partition results: the function itself, or the export of
 * a module function (imported here too).
 */
async function onDriver<F>(fn: unknown): Promise<F> {
  if (fn instanceof ModuleFunction) {
    const module = (await import(fn.moduleUrl)) as Record<string, unknown>;
    return module[fn.exportName] as F;
  }
  return fn as F;
}

function empty(operation: string): KindlingError {
  return new KindlingError('ERR_EMPTY_DATASET', `${operation} needs at least one record, but the dataset is empty`);
}

function invalid(message: string): PlanError {
  return new PlanError('ERR_PLAN_INVALID_ARGUMENT', message);
}
