/**
 * SQL `LIKE` patterns compiled to byte segments, as Spark reads them: `_` matches one character, `%` any run of
 * characters (none too), and the escape character (default `\`) makes the next `_`, `%` or escape character
 * literal; anything else after it is an error, as in Spark. Shared by the API (which refuses a bad pattern when
 * the plan is built) and the executor's matcher.
 */

/** `_` in a segment; other entries are bytes. */
export const ANY_CHAR = -1;

/** A compiled `LIKE` pattern: the byte segments between its `%`s (one segment when there is no `%`). */
export interface LikePattern {
  readonly segments: readonly Int16Array[];
}

/**
 * The compiled pattern, or a message saying what is wrong with it (an escape before another character, or a
 * pattern ending in the escape character).
 *
 * @example
 * compileLike('a\\%%', '\\'); // segments [[0x61, 0x25], []]: starts with 'a%'
 */
export function compileLike(pattern: string, escape: string): LikePattern | string {
  const segments: Int16Array[] = [];
  let current: number[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === escape) {
      const next = chars[i + 1];
      if (next === undefined) return `the pattern '${pattern}' ends with the escape character '${escape}'`;
      if (next !== '_' && next !== '%' && next !== escape) {
        return `the escape character '${escape}' may only precede '_', '%' or itself, found '${next}' in '${pattern}'`;
      }
      current.push(...Buffer.from(next, 'utf8'));
      i++;
    } else if (c === '%') {
      segments.push(Int16Array.from(current));
      current = [];
    } else if (c === '_') current.push(ANY_CHAR);
    else current.push(...Buffer.from(c, 'utf8'));
  }
  segments.push(Int16Array.from(current));
  return { segments };
}
