import { missingGlobalHint } from './capture-globals.js';

/**
 * Messages for functions that cannot be shipped. They quote the user's own source line with a caret, as arquero's
 * parse errors do, because "uses `x`" alone does not say which of a dozen lambdas on a line is meant.
 */

/** Longest quoted source line, in characters; longer lines are cut to a window around the caret. */
const QUOTE_CHARS_MAX = 100;

/**
 * "filter() uses `a` and `b`, which a worker thread cannot see: pass them as filter(fn, { a, b })", then the
 * source line of the first missing name, then hints for well-known main-thread names (`process`, `require`).
 *
 * `captureNames` are the names already passed; the suggestion lists them too, so it can be pasted as is. A label
 * that is not a plain call (`aggregate() seqOp`) gets "pass it as captures: { a }" instead.
 */
export function freeVariableMessage(
  label: string,
  missing: readonly { readonly name: string; readonly start: number }[],
  captureNames: readonly string[],
  source: string,
): string {
  const names = missing.map((m) => m.name);
  const pronoun = names.length === 1 ? 'it' : 'them';
  const captures = `{ ${[...captureNames, ...names].join(', ')} }`;
  // `filter()` becomes `filter(fn, { … })`; a label that is more than a call (`aggregate() seqOp`) gets no call.
  const call = /^[\w$.]+\(\)$/.test(label) ? `${label.slice(0, -2)}(fn, ${captures})` : `captures: ${captures}`;
  const lines = [`${label} uses ${listNames(names)}, which a worker thread cannot see: pass ${pronoun} as ${call}`];
  const first = missing[0];
  if (first !== undefined) lines.push(quoteSource(source, first.start));
  const hints = new Set(names.map(missingGlobalHint).filter((hint) => hint !== undefined));
  lines.push(...hints);
  return lines.join('\n');
}

/** "`a`", "`a` and `b`", "`a`, `b` and `c`". */
export function listNames(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/**
 * The line of `source` holding offset `start`, indented by two spaces and trimmed, with a caret under `start` on
 * the next line.
 */
export function quoteSource(source: string, start: number): string {
  const offset = Math.min(Math.max(0, start), source.length);
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const newline = source.indexOf('\n', offset);
  const raw = source.slice(lineStart, newline === -1 ? source.length : newline).replace(/\s+$/, '');
  const indent = raw.length - raw.trimStart().length;
  let line = raw.trimStart();
  let column = Math.max(0, offset - lineStart - indent);
  if (line.length > QUOTE_CHARS_MAX) {
    // Keep the caret in view: a window that starts a little before it.
    const from = Math.max(0, Math.min(column - 20, line.length - (QUOTE_CHARS_MAX - 1)));
    const to = Math.min(line.length, from + QUOTE_CHARS_MAX - 2);
    line = `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
    column = column - from + (from > 0 ? 1 : 0);
  }
  return `  ${line}\n  ${' '.repeat(column)}^`;
}
