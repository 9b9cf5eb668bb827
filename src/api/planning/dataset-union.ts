/**
 * The planning of `Dataset.union` / `unionByName`: a union node over the two sides, each conformed to one schema
 * by a `conform` operator. A dataset's schema is known only once it runs, so the schemas are learned right before
 * the first job that reads the union: a probe job takes at most one row of each side (partition 0 first, the others
 * only if it is empty), then the driver checks them (column count or names, types) and resolves both operators.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import {
  CAST_TYPE_NAMES,
  commonBatchType,
  type BatchTypeName,
  type ConformColumn,
  type UnionResolution,
} from '../../protocol/columnar-reshape.js';
import type { ColumnarOp } from '../../protocol/columnar.js';
import type { JobRequest } from '../../scheduler/dag-scheduler.js';
import { parentsOf, type PlanNode } from '../../plan/plan-node.js';
import type { DatasetParts } from './dataset-join.js';
import { probeNode, probeSchema } from './schema-probe.js';
import type { Dataset } from '../dataset/dataset.js';

/** Options of `Dataset.unionByName`. */
export interface UnionByNameOptions {
  /**
   * Fill a column only one side has with nulls in the other side's rows (it comes after the left's columns).
   * @default false: different column names are a `PlanError`
   */
  allowMissingColumns?: boolean;
}

const UNION_BY_NAME_OPTIONS = optionNames<UnionByNameOptions>({ allowMissingColumns: true });

/** What resolving a union needs: both sides' probes (at most one row of their unconformed rows) and its kind. */
interface UnionSides {
  readonly left: PlanNode;
  readonly right: PlanNode;
  readonly byName: boolean;
  readonly allowMissingColumns: boolean;
  /** The verb errors name (`union()` …), and a column of both sides that they do not show (a set operation's tag). */
  readonly where: string;
  readonly hidden: string | null;
}

const sidesOf = new WeakMap<UnionResolution, UnionSides>();

/**
 * `left.union(right)` (by position) or `left.unionByName(right, { allowMissingColumns })` as plan nodes.
 *
 * @example
 * planUnion(leftParts, rightParts, true, { allowMissingColumns: true });
 */
export function planUnion(
  left: DatasetParts,
  right: DatasetParts,
  byName: boolean,
  options: UnionByNameOptions = {},
  verb: { readonly where: string; readonly hidden: string } | null = null,
): Dataset {
  const where = verb?.where ?? (byName ? 'unionByName()' : 'union()');
  refuseUnknownOptions(where, options, UNION_BY_NAME_OPTIONS);
  const allowMissingColumns = options.allowMissingColumns ?? false;
  if (typeof allowMissingColumns !== 'boolean') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where}: allowMissingColumns must be a boolean, found ${describeValue(allowMissingColumns)}`,
    );
  }
  if (left.context !== right.context) {
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `${where}: the two datasets belong to different Contexts`);
  }
  const plan = left.context.plan;
  const resolution: UnionResolution = { resolved: false, left: null, right: null };
  const leftRows = left.node({ kind: 'rows' }, `${where} left side`);
  const rightRows = right.node({ kind: 'rows' }, `${where} right side`);
  const probe = (rows: PlanNode): PlanNode => probeNode(plan, rows, `${where} schema probe`);
  sidesOf.set(resolution, {
    left: probe(leftRows),
    right: probe(rightRows),
    byName,
    allowMissingColumns,
    where,
    hidden: verb?.hidden ?? null,
  });
  const conformed = (rows: PlanNode, side: 'left' | 'right'): PlanNode => {
    const op: ColumnarOp = { kind: 'conform', side, byName, allowMissingColumns, resolution };
    return plan.narrow(rows, `${where} ${side} side conformed`, {
      kind: 'builtin',
      op: { name: 'columnar', stage: { ops: [op], sink: { kind: 'rows' } } },
    });
  };
  return left.over(plan.union([conformed(leftRows, 'left'), conformed(rightRows, 'right')]), []);
}

/**
 * Resolves every union in the lineage of `node` not yet resolved, running probe jobs through `runJob` (a job of
 * the Context, which resolves unions below the probe first); null when there is none. Rejects with `PlanError`
 * when the sides do not fit.
 *
 * @example
 * await resolveUnions(request.node, (probe) => this.#runJob(probe));
 */
export function resolveUnions(node: PlanNode, runJob: (request: JobRequest) => Promise<unknown>): Promise<void> | null {
  const pending = pendingUnions(node);
  // Null, not a resolved promise, when there is nothing to learn: most jobs start without an extra await.
  return pending.length === 0 ? null : resolveAll(pending, runJob);
}

async function resolveAll(
  pending: readonly UnionResolution[],
  runJob: (request: JobRequest) => Promise<unknown>,
): Promise<void> {
  for (const resolution of pending) {
    const sides = sidesOf.get(resolution);
    if (sides === undefined || resolution.resolved) continue;
    const [left, right] = [await sideSchema(sides.left, runJob), await sideSchema(sides.right, runJob)];
    const columns = resolveColumns(left, right, sides);
    resolution.left = columns?.left ?? null;
    resolution.right = columns?.right ?? null;
    resolution.resolved = true;
  }
}

type Schema = readonly { readonly name: string; readonly type: BatchTypeName }[];

/** The conformed columns of both sides, or null when a side has no row (its partner's rows pass as they are). */
function resolveColumns(
  left: Schema | null,
  right: Schema | null,
  sides: UnionSides,
): { left: ConformColumn[]; right: ConformColumn[] } | null {
  if (left === null || right === null) return null;
  const { byName, allowMissingColumns: allowMissing, where, hidden } = sides;
  const shown = (schema: Schema) => schema.filter((c) => c.name !== hidden);
  const list = (schema: Schema) =>
    shown(schema)
      .map((c) => `${c.name} ${CAST_TYPE_NAMES[c.type]}`)
      .join(', ');
  if (!byName) {
    if (left.length !== right.length) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `${where}: expected the same number of columns on both sides (matched by position), found ` +
          `${shown(left).length} on the left (${list(left)}) and ${shown(right).length} on the right ` +
          `(${list(right)})` +
          (hidden === null ? `; unionByName(other, { allowMissingColumns: true }) matches by name` : ''),
      );
    }
    const types = left.map((c, i) =>
      commonType(
        c.type,
        right[i]!.type,
        `${where}: column ${i + 1} ('${c.name}' on the left, '${right[i]!.name}' on the right)`,
        right[i]!.name,
      ),
    );
    return {
      left: left.map((c, i) => ({ name: c.name, from: i, type: types[i]! })),
      right: left.map((c, i) => ({ name: c.name, from: i, type: types[i]! })),
    };
  }
  const rightNames = right.map((c) => c.name);
  const leftNames = left.map((c) => c.name);
  const missingRight = leftNames.filter((n) => !rightNames.includes(n));
  const extraRight = rightNames.filter((n) => !leftNames.includes(n));
  if (!allowMissing && (missingRight.length > 0 || extraRight.length > 0)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `unionByName(): expected the same column names on both sides, found ` +
        [
          missingRight.length > 0 ? `${missingRight.map((n) => `'${n}'`).join(', ')} only on the left` : '',
          extraRight.length > 0 ? `${extraRight.map((n) => `'${n}'`).join(', ')} only on the right` : '',
        ]
          .filter((s) => s !== '')
          .join(' and ') +
        `; pass { allowMissingColumns: true } to fill the missing ones with nulls`,
    );
  }
  const names = [...leftNames, ...extraRight];
  const output = names.map((name) => {
    const l = left.find((c) => c.name === name);
    const r = right.find((c) => c.name === name);
    const type =
      l !== undefined && r !== undefined
        ? commonType(l.type, r.type, `${where}: column '${name}'`, name)
        : (l ?? r)!.type;
    return { name, type };
  });
  const side = (names: readonly string[]) =>
    output.map((c) => ({ name: c.name, type: c.type, from: names.includes(c.name) ? names.indexOf(c.name) : null }));
  return { left: side(leftNames), right: side(rightNames) };
}

/** The type both sides' values fit: equal types, a type with a column of only nulls, or the wider number. */
function commonType(a: BatchTypeName, b: BatchTypeName, what: string, rightName: string): BatchTypeName {
  const common = commonBatchType(a, b);
  if (common !== null) return common;
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${what} is ${CAST_TYPE_NAMES[a]} on the left and ${CAST_TYPE_NAMES[b]} on the right; cast one side first, e.g. ` +
      `right.withColumn('${rightName}', col('${rightName}').cast('${CAST_TYPE_NAMES[a]}'))`,
  );
}

/** The schema of the first row `probe` gives, or null when it has none; a column of objects is refused. */
async function sideSchema(probe: PlanNode, runJob: (request: JobRequest) => Promise<unknown>): Promise<Schema | null> {
  const schema = await probeSchema(probe, runJob);
  return (
    schema?.map(({ name, type }) => {
      if (type === null) {
        throw new PlanError(
          'ERR_PLAN_INVALID_ARGUMENT',
          `union: column '${name}' holds values of no column type (objects); select columns of values first`,
        );
      }
      return { name, type };
    }) ?? null
  );
}

/** Unresolved union resolutions in the lineage of `node`, deepest first (a union inside a union side first). */
function pendingUnions(node: PlanNode): UnionResolution[] {
  const found: UnionResolution[] = [];
  const seen = new Set<number>();
  const visit = (current: PlanNode): void => {
    if (seen.has(current.id)) return;
    seen.add(current.id);
    for (const parent of parentsOf(current)) visit(parent);
    const op = conformOp(current);
    if (op !== null && !op.resolution.resolved && !found.includes(op.resolution)) found.push(op.resolution);
  };
  visit(node);
  return found;
}

type ConformOp = Extract<ColumnarOp, { kind: 'conform' }>;

function conformOp(node: PlanNode): ConformOp | null {
  if (node.kind !== 'narrow' || node.op.kind !== 'builtin' || node.op.op.name !== 'columnar') return null;
  const op = node.op.op.stage.ops[0];
  return op?.kind === 'conform' ? op : null;
}
