/**
 * What releasing map outputs frees that the garbage collector does not: the files of spilled ones (DESIGN.md §6).
 * Outputs in shared memory need nothing: their buffers go when no thread holds them.
 */
import { rmSync } from 'node:fs';
import type { MapOutputRef } from '../../protocol/map-output.js';

/**
 * Deletes the spill files of released map outputs (a file already gone is fine: the spill dir may have been removed).
 *
 * @example
 * deleteSpilledOutputs(tracker.unregister(shuffleId));
 */
export function deleteSpilledOutputs(outputs: readonly MapOutputRef[]): void {
  for (const output of outputs) if (output.kind === 'spilled') rmSync(output.path, { force: true });
}
