/**
 * Learning a dataset's column types before a job that needs them (a dataset's schema is known only once it runs):
 * a probe job takes at most one row of a plan node, partition 0 first and the others only if it has none. A union
 * learns both sides' schemas this way (`dataset-union.ts`), a join its key types (`join-key-resolution.ts`).
 */
import type { ColumnType } from '../../protocol/block.js';
import type { BatchTypeName } from '../../protocol/columnar-reshape.js';
import type { ColumnarOp } from '../../protocol/columnar.js';
import type { JobRequest } from '../../scheduler/dag-scheduler.js';
import type { PlanBuilder } from '../../plan/plan-builder.js';
import type { PlanNode } from '../../plan/plan-node.js';

/** Column names and types of a probed row; a type null for a column of no column type (objects). */
export type ProbedSchema = readonly { readonly name: string; readonly type: BatchTypeName | null }[];

const BATCH_TYPES: Record<ColumnType, BatchTypeName | null> = {
  null: 'null',
  bool: 'bool',
  i32: 'i32',
  f64: 'f64',
  i64: 'i64',
  utf8: 'utf8',
  'utf8-dict': 'utf8',
  'binary-v8': null,
  date32: 'date',
  'timestamp-ms': 'timestamp',
  'timestamp-us': 'timestamp',
};

/**
 * The probe node of `rows`: the operators `ops` (a selection or filter) then the first row of each partition.
 *
 * @example
 * const probe = probeNode(plan, leftRows, 'union() schema probe');
 */
export function probeNode(plan: PlanBuilder, rows: PlanNode, label: string, ops: readonly ColumnarOp[] = []): PlanNode {
  return plan.narrow(rows, label, {
    kind: 'builtin',
    op: { name: 'columnar', stage: { ops: [...ops, { kind: 'limit', n: 1 }], sink: { kind: 'rows' } } },
  });
}

/**
 * The schema of the first row `probe` gives (partition 0 first, then the others), or null when it has none.
 *
 * @example
 * const schema = await probeSchema(probe, (request) => context.runJob(request));
 */
export async function probeSchema(
  probe: PlanNode,
  runJob: (request: JobRequest) => Promise<unknown>,
): Promise<ProbedSchema | null> {
  const all = Array.from({ length: probe.numPartitions }, (_, i) => i);
  for (const partitions of [all.slice(0, 1), all.slice(1)]) {
    if (partitions.length === 0) continue;
    const found = new Map<number, ProbedSchema>();
    await runJob({
      node: probe,
      partitions,
      output: () => ({ kind: 'collect' }),
      onResult: (partition, value) => {
        if (value.kind !== 'block' || value.block.rows === 0) return;
        found.set(
          partition,
          value.block.columns.map((c) => ({ name: c.name, type: BATCH_TYPES[c.type] })),
        );
      },
    });
    for (const partition of partitions) {
      const schema = found.get(partition);
      if (schema !== undefined) return schema;
    }
  }
  return null;
}
