// Batches' rows partitioned at random into a map output, one chunk per partition, as output.ts writes them: for the
// tests of shuffle chunks. (node --test loads this; no tests here.)
import type { Batch } from '../../src/executor/columnar/batches/batch.js';
import { chunkOfSources } from '../../src/executor/columnar/shuffle/shuffle-chunks.js';
import type { MapOutputRef } from '../../src/protocol/map-output.js';
import { MapOutputWriter, type MapOutputSpillTarget } from '../../src/storage/map-outputs/map-output-writer.js';
import type { Rng } from './random-rows.js';

/**
 * Every row of `batches` sent to a partition drawn from `rng`; per partition, its rows (batch and row) in chunk order.
 *
 * @example
 * const { ref, rowsOf } = randomMapOutput(rng, [grouped, passed], 3, null);
 */
export function randomMapOutput(
  rng: Rng,
  batches: readonly Batch[],
  partitions: number,
  spill: MapOutputSpillTarget | null,
): { ref: MapOutputRef; rowsOf: { from: number; row: number }[][] } {
  const rowsOf: { from: number; row: number }[][] = Array.from({ length: partitions }, () => []);
  batches.forEach((batch, from) => {
    for (let row = 0; row < batch.rows; row++) rowsOf[rng.nextInt(partitions)]!.push({ from, row });
  });
  const writer = new MapOutputWriter(partitions, spill);
  for (let p = 0; p < partitions; p++) {
    const rows = rowsOf[p]!;
    const from = batches.length === 1 ? null : Uint8Array.from(rows, (r) => r.from);
    writer.addChunk(
      chunkOfSources(
        batches,
        from,
        Int32Array.from(rows, (r) => r.row),
      ),
      p,
      [rows.length],
    );
  }
  return { ref: writer.finish(), rowsOf };
}
