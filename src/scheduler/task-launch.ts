import type { MapOutputRef, MapOutputTable } from '../protocol/map-output.js';
import type { PipelineNode } from '../protocol/pipeline.js';
import type { ShippedFunction } from '../protocol/shipped-function.js';
import { isAccumulatorMarker, isBroadcastMarker } from '../protocol/shipped-function.js';
import type { TaskDescriptor, TaskOutputSpec, TaskValue } from '../protocol/task.js';
import { shippedFunctionsOf, shippedFunctionsOfOutput } from '../protocol/functions-of.js';
import { chooseFault, type FaultsOption, type InjectedFault } from '../common/faults.js';
import { buildPipeline, type PipelineInputs } from '../plan/build-pipeline.js';
import type { PlanNode } from '../plan/plan-node.js';
import type { JobMetrics } from './job-metrics.js';
import { MapOutputMissingError } from './map-output-tracker.js';

/** What building a task attempt needs from the task set's host. */
export interface LaunchHost {
  readonly options: { readonly taskTimeoutMs: number };
  readonly metrics: JobMetrics;
  readonly pipelineInputs: PipelineInputs;
  nextTaskId(): number;
  faults(): FaultsOption | null;
}

/** A task attempt ready to run, and the shuffles its pipeline reads (their blocks are fixed in it). */
export interface LaunchedAttempt {
  readonly task: TaskDescriptor;
  readonly shufflesRead: ReadonlySet<number>;
  /** The cached partitions (dataset id, partition) its pipeline reads instead of computing them. */
  readonly cachedRead: readonly (readonly [number, number])[];
}

/**
 * Builds the attempt's descriptor, with its fault chosen, or returns the missing input block that makes running it
 * pointless.
 *
 * @example
 * const launched = launchAttempt(host, { stageId: 3, node }, 0, 0, { kind: 'collect' });
 */
export function launchAttempt(
  host: LaunchHost,
  stage: { readonly stageId: number; readonly node: PlanNode },
  partition: number,
  attempt: number,
  output: TaskOutputSpec,
): LaunchedAttempt | MapOutputMissingError {
  let pipeline: PipelineNode;
  const shufflesRead = new Set<number>();
  const shuffleTables = new Map<number, MapOutputTable>();
  const cachedRead: [number, number][] = [];
  try {
    pipeline = buildPipeline(stage.node, partition, {
      ...host.pipelineInputs,
      shuffleTable: (shuffleId, reducePartition, complete) => {
        shufflesRead.add(shuffleId);
        const table = host.pipelineInputs.shuffleTable(shuffleId, reducePartition, complete);
        shuffleTables.set(shuffleId, table);
        return table;
      },
      cachedBlock: (datasetId, partition) => {
        const block = host.pipelineInputs.cachedBlock(datasetId, partition);
        if (block !== undefined) cachedRead.push([datasetId, partition]);
        return block;
      },
    });
  } catch (error: unknown) {
    if (error instanceof MapOutputMissingError) return error;
    throw error;
  }
  const functions = [...shippedFunctionsOf(pipeline), ...shippedFunctionsOfOutput(output)];
  let fault: InjectedFault | null = chooseFault(host.faults(), {
    stageId: stage.stageId,
    partition,
    attempt,
    writesShuffle: output.kind === 'shuffle-write',
  });
  const timeoutMs = host.options.taskTimeoutMs;
  // A hang with no timeout to end it would hang the job: the rule cannot apply.
  if (fault?.kind === 'hang' && !(timeoutMs > 0 && Number.isFinite(timeoutMs))) fault = null;
  const task: TaskDescriptor = {
    taskId: host.nextTaskId(),
    jobId: host.metrics.jobId,
    stageId: stage.stageId,
    partition,
    attempt,
    pipeline,
    output,
    broadcastIds: broadcastIdsIn(functions),
    progress: new SharedArrayBuffer(4),
    fault,
    ...(shuffleTables.size === 0 ? {} : { shuffleTables: [...shuffleTables.values()] }),
  };
  return { task, shufflesRead, cachedRead };
}

/**
 * Counts a block fault that hit a block; returns the reduce partition a `lose-block` drops.
 *
 * @example
 * const lost = blockFault(task.fault, reason.value, metrics); // e.g. 2, or null
 */
export function blockFault(fault: InjectedFault | null, value: TaskValue, metrics: JobMetrics): number | null {
  if (fault === null || (fault.kind !== 'lose-block' && fault.kind !== 'corrupt-block') || value.kind !== 'shuffle') {
    return null;
  }
  const index = value.faultedPartition ?? null;
  if (index === null) return null;
  metrics.faultsInjected[fault.kind]++;
  return fault.kind === 'lose-block' ? index : null;
}

/**
 * The map output of `mapPartition` that a task read from shuffle `shuffleId` (from the table it was launched with).
 *
 * @example
 * outputRead(task, 0, 2); // { output } or undefined
 */
export function outputRead(
  task: TaskDescriptor,
  shuffleId: number,
  mapPartition: number,
): { output: MapOutputRef } | undefined {
  const output = task.shuffleTables?.find((table) => table.shuffleId === shuffleId)?.outputs[mapPartition];
  return output === undefined ? undefined : { output };
}

function broadcastIdsIn(functions: readonly ShippedFunction[]): number[] {
  const ids = new Set<number>();
  for (const fn of functions) {
    if (fn.kind !== 'source') continue;
    for (const value of Object.values(fn.captures)) {
      // Accumulator markers look like broadcast markers but need no fetch: the executor makes them task-local.
      if (isBroadcastMarker(value) && !isAccumulatorMarker(value)) ids.add(value.kindlingBroadcastId);
    }
  }
  return [...ids];
}
