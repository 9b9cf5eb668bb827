/**
 * The row executor's rarest task kinds: checkpoint part files, streaming state (`updateState` and the state read
 * back as rows) and two-phase-commit sinks. Loaded by a thread before its first task that has one
 * (`row-kinds-loader.ts`, issue 11).
 */
export { readCheckpointPart, writeCheckpointPart } from '../files-and-sinks/checkpoint-part-file.js';
export { loadStatePartition } from '../state/state-partition.js';
export { updateState } from '../state/update-state.js';
export { assignWindows } from '../rdd/assign-windows.js';
export { runSinkPrepare } from '../files-and-sinks/sink-prepare.js';
