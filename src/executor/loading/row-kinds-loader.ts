/**
 * The parts of the row executor a thread loads before its first task that needs them (issue 11), as it does the
 * columnar executor (`columnar-loader.ts`): shuffles and cached blocks, text files, and the rarest kinds (checkpoint
 * parts, streaming state, sinks). An idle worker isolate holds every module it has loaded, and these ~25 modules
 * cost each thread ~1.2 MiB at rest (the 2-thread idle Context measured in native-bench/SCALING.md, round 15); a
 * thread that ran only tasks of other kinds (a `range().count()`, a Dataset's columnar stages) never loads them.
 * `run-task.ts` awaits `loadRowKinds(rowKindsNeededBy(...))` before a task runs; the row executor reaches a group
 * through `rowKinds(group)`, which throws if the walk below did not foresee it (a bug to fix here).
 */
import type { PipelineNode } from '../../protocol/pipeline.js';
import type { TaskOutputSpec } from '../../protocol/task.js';
import { inputsOf, isStateBuiltin } from '../../protocol/functions-of.js';
import { AssertionError } from '../../common/errors.js';
import type * as Shuffles from './row-kinds-shuffles.js';
import type * as TextFiles from './row-kinds-text-files.js';
import type * as StateAndCheckpoints from './row-kinds-state-and-checkpoints.js';

/** Each group's module, by the name a task's needs use. */
interface RowKindGroups {
  readonly shuffles: typeof Shuffles;
  readonly textFiles: typeof TextFiles;
  readonly stateAndCheckpoints: typeof StateAndCheckpoints;
}

export type RowKindGroup = keyof RowKindGroups;

/** Which groups a task needs (or, from `loadedRowKinds`, which a thread has loaded). */
export type RowKindNeeds = { readonly [G in RowKindGroup]: boolean };

const GROUPS: readonly RowKindGroup[] = ['shuffles', 'textFiles', 'stateAndCheckpoints'];

const importers: { readonly [G in RowKindGroup]: () => Promise<RowKindGroups[G]> } = {
  shuffles: () => import('./row-kinds-shuffles.js'),
  textFiles: () => import('./row-kinds-text-files.js'),
  stateAndCheckpoints: () => import('./row-kinds-state-and-checkpoints.js'),
};

const loaded: { [G in RowKindGroup]?: RowKindGroups[G] } = {};

/**
 * Loads the groups a task needs that this thread has not loaded yet.
 *
 * @example
 * await loadRowKinds(rowKindsNeededBy(task.pipeline, task.output));
 */
export async function loadRowKinds(needs: RowKindNeeds): Promise<void> {
  for (const group of GROUPS) {
    if (needs[group] && loaded[group] === undefined)
      (loaded as Record<string, unknown>)[group] = await importers[group]();
  }
}

/**
 * A group of the row executor, loaded by `loadRowKinds`. Throws an `AssertionError` when this thread has not loaded
 * it: a task reached code that `rowKindsNeededBy` did not foresee.
 *
 * @example
 * rowKinds('shuffles').readShuffle(node, context);
 */
export function rowKinds<G extends RowKindGroup>(group: G): RowKindGroups[G] {
  const module = loaded[group];
  if (module === undefined) {
    throw new AssertionError(`a task reached the row executor's ${group}, which its thread had not loaded`);
  }
  return module as RowKindGroups[G];
}

/** Which groups this thread has loaded (for tests and memory diagnostics). */
export function loadedRowKinds(): RowKindNeeds {
  return {
    shuffles: 'shuffles' in loaded,
    textFiles: 'textFiles' in loaded,
    stateAndCheckpoints: 'stateAndCheckpoints' in loaded,
  };
}

/**
 * The groups a task may reach: shuffles for a shuffle write, a shuffle read or cached blocks anywhere in its
 * pipeline; text files for a `textFile` split or a text output; the rare group for checkpoints, streaming state and
 * a sink's prepare. When unsure, true: a task that reached an unloaded group would fail with an assertion.
 *
 * @example
 * rowKindsNeededBy(rangePipeline, { kind: 'partition-action', action: { kind: 'count' } }); // all false
 */
export function rowKindsNeededBy(pipeline: PipelineNode, output: TaskOutputSpec): RowKindNeeds {
  return {
    shuffles: output.kind === 'shuffle-write' || anyNode(pipeline, readsShufflesOrBlocks),
    textFiles: output.kind === 'save-text' || anyNode(pipeline, readsTextFile),
    stateAndCheckpoints: output.kind === 'sink-prepare' || anyNode(pipeline, usesStateOrCheckpoints),
  };
}

function anyNode(node: PipelineNode, test: (node: PipelineNode) => boolean): boolean {
  return test(node) || inputsOf(node).some((input) => anyNode(input, test));
}

function readsShufflesOrBlocks(node: PipelineNode): boolean {
  return node.kind === 'shuffle-read' || (node.kind === 'source' && node.source.kind === 'blocks');
}

function readsTextFile(node: PipelineNode): boolean {
  return node.kind === 'source' && (node.source.kind === 'text-split' || node.source.kind === 'json-values-split');
}

function usesStateOrCheckpoints(node: PipelineNode): boolean {
  switch (node.kind) {
    case 'checkpoint-write':
      return true;
    case 'source':
      return node.source.kind === 'checkpoint-part' || node.source.kind === 'state-partition';
    case 'narrow':
      return node.ops.some((op) => op.kind === 'builtin' && isStateBuiltin(op.op));
    default:
      return false;
  }
}
