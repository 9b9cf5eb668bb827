import type { Aggregator, BuiltinNarrowOp, PipelineNode } from './pipeline.js';
import type { ShippedFunction } from './shipped-function.js';
import type { TaskOutputSpec } from './task.js';

/** The pipeline nodes a node reads from (none for the leaves: sources and shuffle reads). */
export function inputsOf(pipeline: PipelineNode): readonly PipelineNode[] {
  switch (pipeline.kind) {
    case 'source':
    case 'shuffle-read':
      return [];
    case 'concat':
    case 'cogroup':
      return pipeline.inputs;
    case 'cartesian':
      return [pipeline.left, pipeline.right];
    case 'narrow':
    case 'cache':
    case 'columnar':
    case 'checkpoint-write':
      return [pipeline.input];
  }
}

/** Every shipped function a pipeline runs, so the driver can list the broadcasts a task needs. */
export function shippedFunctionsOf(pipeline: PipelineNode): ShippedFunction[] {
  switch (pipeline.kind) {
    case 'source':
      return [];
    case 'shuffle-read': {
      const aggregation = pipeline.reduce.aggregation;
      if (aggregation.kind !== 'combine') return [];
      return aggregatorFunctions(aggregation.aggregator);
    }
    case 'narrow':
      return [
        ...pipeline.ops.flatMap((op) => {
          if (op.kind !== 'builtin') return [op.fn];
          if (op.op.name === 'update-state') return [op.op.spec.fn];
          if (op.op.name === 'assign-windows') {
            const { eventTime, pair } = op.op.spec;
            return pair === null ? [eventTime] : [eventTime, pair];
          }
          return op.op.name === 'combine-by-key' ? aggregatorFunctions(op.op.aggregator) : [];
        }),
        ...shippedFunctionsOf(pipeline.input),
      ];
    case 'concat':
    case 'cogroup':
      return pipeline.inputs.flatMap(shippedFunctionsOf);
    case 'cartesian':
      return [...shippedFunctionsOf(pipeline.left), ...shippedFunctionsOf(pipeline.right)];
    case 'cache':
    case 'columnar':
    case 'checkpoint-write':
      return shippedFunctionsOf(pipeline.input);
  }
}

/** Every shipped function a task's output step runs. */
export function shippedFunctionsOfOutput(output: TaskOutputSpec): ShippedFunction[] {
  switch (output.kind) {
    case 'collect':
    case 'save-text':
    case 'sink-prepare':
    case 'save-columnar':
      return [];
    case 'shuffle-write': {
      return output.mapSideCombine === null ? [] : aggregatorFunctions(output.mapSideCombine);
    }
    case 'partition-action': {
      const action = output.action;
      switch (action.kind) {
        case 'fold':
        case 'foreach':
        case 'foreach-partition':
          return [action.fn];
        case 'take-ordered':
          return action.keyFn === null ? [] : [action.keyFn];
        default:
          return [];
      }
    }
  }
}

function aggregatorFunctions(aggregator: Aggregator): ShippedFunction[] {
  const { createCombiner, mergeValue, mergeCombiners } = aggregator;
  return createCombiner === null ? [mergeValue, mergeCombiners] : [createCombiner, mergeValue, mergeCombiners];
}

/** Whether a builtin operation is streaming state's: the state update, or the window assignment before it. */
export function isStateBuiltin(op: BuiltinNarrowOp): boolean {
  return op.name === 'update-state' || op.name === 'assign-windows';
}
