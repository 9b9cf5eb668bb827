import type * as acorn from 'acorn';
import { onFirstUse } from '../common/require-esm.js';

/**
 * Turns a function's source text (`Function.prototype.toString`) into an AST plus an expression a worker can
 * evaluate to get the function back. The text is not always an expression on its own: method shorthand
 * (`{ f(x) { … } }.f` prints as `f(x) { … }`) only parses inside an object literal.
 */

/** A parsed function, or why it cannot be shipped. */
export type ParsedFunction =
  | {
      readonly kind: 'function';
      /** The function node to analyze. Its offsets are into the wrapped text, `sourceOffset` past the source. */
      readonly node: acorn.Function;
      /** Where the original source starts in the parsed text: subtract it from node offsets. */
      readonly sourceOffset: number;
      /** A JavaScript expression that evaluates to the function. */
      readonly expression: string;
    }
  | { readonly kind: 'unshippable'; readonly reason: string; readonly start?: number };

/**
 * Module code is strict, as the driver's code was; a worker compiles the expression in strict mode too, so both
 * sides accept the same programs.
 */
const PARSE_OPTIONS: acorn.Options = { ecmaVersion: 'latest', sourceType: 'module' };

/** The property name under which a computed-key method is re-declared (its original key may name a variable). */
const COMPUTED_METHOD_KEY = 'kindlingMethod';

/** acorn (~0.5 MiB of heap) loads at the first shipped function: many programs ship none (issue 11). */
const acornModule = onFirstUse<typeof acorn>(import.meta.resolve('acorn'));

/**
 * Parses `source`, the text `Function.prototype.toString` gave for a user function.
 *
 * The wrappers put the source on a line of its own so that a trailing line comment cannot swallow the closing
 * bracket.
 */
export function parseFunctionSource(source: string): ParsedFunction {
  // 1. Arrow functions, `function` expressions and declarations, async and generator forms, classes.
  const exprPrefix = '(\n';
  const asExpression = tryParse(`${exprPrefix}${source}\n)`);
  if (asExpression.ok) {
    const node = soleExpression(asExpression.program);
    if (node && node.start === exprPrefix.length && node.end === exprPrefix.length + source.length) {
      if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
        return { kind: 'function', node, sourceOffset: exprPrefix.length, expression: source };
      }
      if (node.type === 'ClassExpression') {
        const name = node.id ? ` \`${node.id.name}\`` : '';
        return { kind: 'unshippable', reason: `it is a class${name}, and a class cannot be called as a function` };
      }
    }
  }

  // 2. Method shorthand, including async, generator and computed-key methods; getters and setters are refused.
  const objectPrefix = '({\n';
  const asMethod = tryParse(`${objectPrefix}${source}\n})`);
  if (asMethod.ok) {
    const object = soleExpression(asMethod.program);
    const property = object?.type === 'ObjectExpression' ? object.properties[0] : undefined;
    if (
      object?.type === 'ObjectExpression' &&
      object.properties.length === 1 &&
      property?.type === 'Property' &&
      property.start === objectPrefix.length &&
      property.end === objectPrefix.length + source.length
    ) {
      if (property.kind !== 'init') {
        return {
          kind: 'unshippable',
          reason: `it is a ${property.kind === 'get' ? 'getter' : 'setter'}, which runs on property access, not as a function`,
        };
      }
      if (property.method && property.value.type === 'FunctionExpression') {
        const fn = property.value;
        const key = staticKey(property);
        let expression: string;
        if (key !== undefined) {
          expression = `({\n${source}\n})[${JSON.stringify(key)}]`;
        } else {
          // Rebuild the method under a fixed key: the original key expression would run (and fail) in the worker.
          const modifiers = `${fn.async ? 'async ' : ''}${fn.generator ? '*' : ''}`;
          const rest = source.slice(fn.start - objectPrefix.length);
          const key = JSON.stringify(COMPUTED_METHOD_KEY);
          expression = `({\n${modifiers}${key}${rest}\n})[${key}]`;
        }
        return { kind: 'function', node: fn, sourceOffset: objectPrefix.length, expression };
      }
    }
  }

  const error = asExpression.ok ? undefined : asExpression.error;
  const detail = error ? `: ${error.message.replace(/\s*\(\d+:\d+\)$/, '')}` : '';
  const start = error?.pos !== undefined ? Math.max(0, error.pos - exprPrefix.length) : undefined;
  return {
    kind: 'unshippable',
    reason: `its source does not parse as a strict-mode function expression${detail}`,
    ...(start !== undefined ? { start } : {}),
  };
}

type ParseAttempt = { ok: true; program: acorn.Program } | { ok: false; error: { message: string; pos?: number } };

function tryParse(text: string): ParseAttempt {
  try {
    return { ok: true, program: acornModule().parse(text, PARSE_OPTIONS) };
  } catch (error) {
    // acorn throws SyntaxError with a `pos` offset; anything else is a bug we should not hide.
    if (!(error instanceof SyntaxError)) throw error;
    const pos = (error as SyntaxError & { pos?: unknown }).pos;
    return { ok: false, error: { message: error.message, ...(typeof pos === 'number' ? { pos } : {}) } };
  }
}

function soleExpression(program: acorn.Program): acorn.Expression | acorn.Literal | undefined {
  const statement = program.body.length === 1 ? program.body[0] : undefined;
  return statement?.type === 'ExpressionStatement' ? statement.expression : undefined;
}

/** The property name of a non-computed key (`f`, `'f'`, `1`), or undefined for a computed one. */
function staticKey(property: acorn.Property): string | undefined {
  if (property.computed) return undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal') return String(property.key.value);
  return undefined;
}
