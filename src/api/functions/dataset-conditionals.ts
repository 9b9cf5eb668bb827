/**
 * Conditional column expressions of the `Dataset` API: `coalesce` and `when(…).otherwise(…)`, which pick each row's
 * value from one of several columns (the executor's `chooseRows` kernel).
 */
import type { ColumnExpr } from '../../protocol/columnar.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { ColumnExpression, operand, type Operand } from './dataset-expressions.js';

/**
 * Per row, the first of `args` that is not null.
 *
 * @example
 * ds.select(coalesce(col('nickname'), col('name'), lit('?')).as('shown'))
 */
export function coalesce(...args: Operand[]): ColumnExpression {
  if (args.length === 0) throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'coalesce(): expected at least one column');
  return new ColumnExpression({ kind: 'coalesce', args: args.map((a) => operand(a, 'coalesce()').expr) });
}

/**
 * A conditional column, as Spark's `when(cond, value).when(…).otherwise(value)`; rows no branch takes are null
 * unless `otherwise` is given.
 *
 * @example
 * ds.select(when(col('n').lt(0), 'negative').when(col('n').eq(0), 'zero').otherwise('positive').as('sign'))
 */
export function when(condition: ColumnExpression, value: Operand): WhenExpression {
  return new WhenExpression([], null).when(condition, value);
}

/** The result of `when()`: a column expression that takes more branches with `when` and a default with `otherwise`. */
export class WhenExpression extends ColumnExpression {
  readonly #branches: readonly { readonly when: ColumnExpr; readonly then: ColumnExpr }[];

  /** @internal */
  constructor(branches: readonly { readonly when: ColumnExpr; readonly then: ColumnExpr }[], name: string | null) {
    super({ kind: 'when', branches, otherwise: null }, name ?? undefined);
    this.#branches = branches;
  }

  /** One more branch, tried after the earlier ones. */
  when(condition: ColumnExpression, value: Operand): WhenExpression {
    if (!(condition instanceof ColumnExpression)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `when(): expected a boolean column expression, found ${describeValue(condition)}`,
      );
    }
    return new WhenExpression([...this.#branches, { when: condition.expr, then: operand(value, 'when()').expr }], null);
  }

  /** The value of rows no branch takes. */
  otherwise(value: Operand): ColumnExpression {
    return new ColumnExpression({
      kind: 'when',
      branches: this.#branches,
      otherwise: operand(value, 'otherwise()').expr,
    });
  }
}
