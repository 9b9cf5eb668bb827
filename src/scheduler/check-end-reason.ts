import { TASK_END_KINDS, type TaskEndReason } from '../protocol/task.js';
import { describeValue } from '../common/describe-value.js';

const END_KINDS: ReadonlySet<string> = new Set(TASK_END_KINDS);

/** Where an attempt ran, for the message of a malformed end. */
export interface AttemptSite {
  readonly taskId: number;
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
}

/**
 * Checks what a backend handed back for an attempt before the scheduler switches on it. A backend promises a
 * `TaskEndReason`, but a worker thread of a broken or stale build can return anything (seen: `undefined`), and
 * Piscina passes it through unchecked: reading `kind` of it would crash the driver's event loop instead of failing
 * one task. A malformed end becomes an `exception` (not user code, so retried within `taskAttemptsMax`) whose
 * message names the attempt, what was expected and what was found.
 *
 * @example
 * checkEndReason(undefined, site).kind; // 'exception' ("… expected an object whose kind is one of …, found undefined")
 */
export function checkEndReason(found: unknown, site: AttemptSite): TaskEndReason {
  const problem = endReasonProblem(found);
  if (problem === null) return found as TaskEndReason;
  const { taskId, stageId, partition, attempt } = site;
  return {
    kind: 'exception',
    name: 'TaskResultError',
    message:
      `task ${taskId} (stage ${stageId}, partition ${partition}, attempt ${attempt}) ended without a valid end ` +
      `reason: ${problem}; the worker thread runs code that does not match the driver's (a broken or stale build?)`,
    stack: undefined,
    code: 'ERR_TASK_RESULT_INVALID',
    userCode: false,
  };
}

/** What is wrong with a would-be end reason, or null when it has the shape the scheduler reads. */
function endReasonProblem(found: unknown): string | null {
  const kind = isObject(found) ? found['kind'] : undefined;
  if (typeof kind !== 'string' || !END_KINDS.has(kind)) {
    return `expected an object whose kind is one of ${[...END_KINDS].join(', ')}, found ${describeValue(found)}`;
  }
  if (kind !== 'success') return null;
  const { value, cached, metrics } = found as Record<string, unknown>;
  if (!isObject(value) || typeof value['kind'] !== 'string') {
    return `expected a success with a task value ({ kind, … }), found value ${describeValue(value)}`;
  }
  if (!Array.isArray(cached)) return `expected a success with a list of cached blocks, found ${describeValue(cached)}`;
  if (!isObject(metrics)) return `expected a success with task metrics, found ${describeValue(metrics)}`;
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
