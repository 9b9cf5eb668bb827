import type { ShippedFunction } from '../../protocol/shipped-function.js';

/**
 * Functions of kindling's own operations (`countByKey`'s sum, `distinct`'s pairing …), shipped like user functions
 * but written here, so they need no free-variable check.
 */
function builtin(label: string, source: string): ShippedFunction {
  return { kind: 'source', label, source, captures: {}, deterministic: true };
}

export const builtins = {
  sum: (label: string) => builtin(label, '(a, b) => a + b'),
  keepFirst: (label: string) => builtin(label, '(a, _b) => a'),
  pairWithNull: (label: string) => builtin(label, '(x) => [x, null]'),
  pairWithOne: (label: string) => builtin(label, '(x) => [x[0], 1]'),
  one: (label: string) => builtin(label, '(_v) => 1'),
  swap: (label: string) => builtin(label, '(pair) => [pair[1], pair[0]]'),
  concatArrays: (label: string) => builtin(label, '(a, b) => { for (const x of b) a.push(x); return a; }'),
  pushValue: (label: string) => builtin(label, '(a, v) => { a.push(v); return a; }'),
  singleton: (label: string) => builtin(label, '(v) => [v]'),
};
