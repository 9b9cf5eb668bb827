/**
 * A join's key types, resolved before its first job: keys of different number types are widened to one type on
 * both sides (`protocol/join-key-types.ts`), keys that can never match (a string with a number) are a `PlanError`
 * naming both columns and types, before any task of the join runs. A dataset's types are known only once it runs,
 * so, as a union does, a probe job per side reads its first row whose keys are all non-null (a row with a null key
 * matches nothing, so only those rows' types matter).
 */
import { PlanError } from '../../common/errors.js';
import type { ColumnarOp, ColumnarSink } from '../../protocol/columnar.js';
import { joinKeyMismatchMessage, widenedKeyType, type JoinKeyTypes } from '../../protocol/join-key-types.js';
import type { JobRequest } from '../../scheduler/dag-scheduler.js';
import type { PlanBuilder } from '../../plan/plan-builder.js';
import { parentsOf, type PlanNode } from '../../plan/plan-node.js';
import { probeNode, probeSchema, type ProbedSchema } from './schema-probe.js';

/** What resolving a join's key types needs: each side's probe and key columns. */
interface JoinKeySides {
  readonly left: PlanNode;
  readonly right: PlanNode;
  readonly leftKeys: readonly string[];
  readonly rightKeys: readonly string[];
}

const sidesOf = new WeakMap<JoinKeyTypes, JoinKeySides>();

/**
 * The key types of a join of `leftRows` and `rightRows` on `leftKeys` = `rightKeys`, unresolved: the first job that
 * reads the join resolves them (`resolveJoinKeys`). The join's spec and its shuffle's map sides share the object.
 *
 * @example
 * const keyTypes = joinKeyTypes(plan, leftRows, rightRows, ['id'], ['id']);
 */
export function joinKeyTypes(
  plan: PlanBuilder,
  leftRows: PlanNode,
  rightRows: PlanNode,
  leftKeys: readonly string[],
  rightKeys: readonly string[],
): JoinKeyTypes {
  const keyTypes: JoinKeyTypes = { resolved: false, types: leftKeys.map(() => null) };
  const probe = (rows: PlanNode, keys: readonly string[], side: string) => {
    const names = [...new Set(keys)];
    const ops: ColumnarOp[] = [
      { kind: 'select', columns: names.map((name) => ({ name, expr: { kind: 'col', name } })) },
      ...names.map((name): ColumnarOp => ({
        kind: 'filter',
        predicate: { kind: 'is-null', negated: true, arg: { kind: 'col', name } },
      })),
    ];
    return probeNode(plan, rows, `join() ${side} key types probe`, ops);
  };
  sidesOf.set(keyTypes, {
    left: probe(leftRows, leftKeys, 'left'),
    right: probe(rightRows, rightKeys, 'right'),
    leftKeys,
    rightKeys,
  });
  return keyTypes;
}

/**
 * Resolves the key types of every join in the lineage of `node` not yet resolved, running probe jobs through
 * `runJob` (a job of the Context, which resolves the joins below the probe first); null when there is none.
 * Rejects with `PlanError` when two keys can never match.
 *
 * @example
 * await resolveJoinKeys(request.node, (probe) => this.runJob(probe));
 */
export function resolveJoinKeys(
  node: PlanNode,
  runJob: (request: JobRequest) => Promise<unknown>,
): Promise<void> | null {
  const pending = pendingJoinKeys(node);
  // Null, not a resolved promise, when there is nothing to learn: most jobs start without an extra await.
  return pending.length === 0 ? null : resolveAll(pending, runJob);
}

async function resolveAll(
  pending: readonly JoinKeyTypes[],
  runJob: (request: JobRequest) => Promise<unknown>,
): Promise<void> {
  for (const keyTypes of pending) {
    const sides = sidesOf.get(keyTypes);
    if (sides === undefined || keyTypes.resolved) continue;
    const left = await probeSchema(sides.left, runJob);
    const right = await probeSchema(sides.right, runJob);
    // A side without a row of non-null keys matches nothing: every row keeps its types.
    if (left !== null && right !== null) keyTypes.types = widenedTypes(sides, left, right);
    keyTypes.resolved = true;
  }
}

function widenedTypes(sides: JoinKeySides, left: ProbedSchema, right: ProbedSchema): JoinKeyTypes['types'] {
  return sides.leftKeys.map((leftKey, k) => {
    const rightKey = sides.rightKeys[k]!;
    const leftType = left.find((c) => c.name === leftKey)?.type;
    const rightType = right.find((c) => c.name === rightKey)?.type;
    if (leftType === undefined || rightType === undefined) return null;
    if (leftType === null || rightType === null) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `join(): key column '${leftType === null ? leftKey : rightKey}' holds values of no column type (objects) ` +
          `on the ${leftType === null ? 'left' : 'right'}; join on columns of numbers, strings, booleans or dates`,
      );
    }
    const widened = widenedKeyType(leftType, rightType);
    if (widened !== 'mismatch') return widened;
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', joinKeyMismatchMessage(leftKey, leftType, rightKey, rightType));
  });
}

/** Unresolved key types of the joins in the lineage of `node`, deepest first. */
function pendingJoinKeys(node: PlanNode): JoinKeyTypes[] {
  const found: JoinKeyTypes[] = [];
  const seen = new Set<number>();
  const visit = (current: PlanNode): void => {
    if (seen.has(current.id)) return;
    seen.add(current.id);
    for (const parent of parentsOf(current)) visit(parent);
    if (current.kind !== 'narrow' || current.op.kind !== 'builtin' || current.op.op.name !== 'columnar') return;
    const { ops, sink } = current.op.op.stage;
    for (const keyTypes of [...ops.map(keyTypesOfOp), keyTypesOfSink(sink)]) {
      if (keyTypes !== undefined && !keyTypes.resolved && !found.includes(keyTypes)) found.push(keyTypes);
    }
  };
  visit(node);
  return found;
}

function keyTypesOfOp(op: ColumnarOp): JoinKeyTypes | undefined {
  return op.kind === 'join' ? op.join.keyTypes : undefined;
}

function keyTypesOfSink(sink: ColumnarSink): JoinKeyTypes | undefined {
  return sink.kind === 'hash-partition' ? sink.keyTypes : undefined;
}
