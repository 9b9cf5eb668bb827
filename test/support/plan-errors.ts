// Shared by tests of definition-time checks: each call must throw exactly this PlanError.
import { strict as assert } from 'node:assert';
import { PlanError } from '../../src/index.js';

/**
 * Asserts that each `define` throws a `PlanError` `ERR_PLAN_INVALID_ARGUMENT` with exactly `message`.
 *
 * @example
 * assertPlanErrors([[() => kc.read.arrow(5 as never), 'readArrow() expects a path, glob or list of them, found 5']]);
 */
export function assertPlanErrors(cases: readonly (readonly [define: () => unknown, message: string])[]): void {
  for (const [define, message] of cases) {
    assert.throws(define, (error: unknown) => {
      assert.ok(error instanceof PlanError, `${message}: got ${String(error)}`);
      assert.equal(error.code, 'ERR_PLAN_INVALID_ARGUMENT');
      assert.equal(error.message, message);
      return true;
    });
  }
}
