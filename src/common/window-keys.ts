/**
 * The key of an event-time window in a streaming query's shuffle and state (`reduceByKeyAndWindow`): the user's key
 * and the window's start. Users see `[key, windowStartMs]`; inside, a primitive key (a string, number, boolean,
 * bigint, null) travels as one string `<canonical key>|<start>`, so the batch's shuffle, the state map and the state
 * files handle a string instead of a composite key (a canonical string per lookup, `v8.serialize` per row: on a
 * 2 M-event window count these took more time than the counting). A composite user key keeps the pair.
 */
import { canonicalKey } from './keys.js';

/** The inside form of window `[key, startMs]`. */
export function windowKey(key: unknown, startMs: number): unknown {
  if (key !== null && (typeof key === 'object' || typeof key === 'function' || typeof key === 'symbol')) {
    return [key, startMs];
  }
  return `${canonicalKey(key)}|${startMs}`;
}

/** The window's start, from its inside form. */
export function windowStartOf(inside: unknown): number {
  if (typeof inside === 'string') return Number(inside.slice(inside.lastIndexOf('|') + 1));
  return (inside as [unknown, number])[1];
}

/** The window as users see it, `[key, windowStartMs]`, from its inside form. */
export function windowOf(inside: unknown): [unknown, number] {
  if (typeof inside !== 'string') return inside as [unknown, number];
  const bar = inside.lastIndexOf('|');
  return [primitiveOf(inside.slice(0, bar)), Number(inside.slice(bar + 1))];
}

/**
 * A state row of a window state (`readStateStore`) as columns a Dataset takes: `{ key, windowStartMs, value,
 * updatedMs }`. Shipped by module URL (`kc.fn`) to the threads that read the state files.
 */
export function windowStateRow(row: { key: unknown; value: unknown; updatedMs: number }): unknown {
  const [key, windowStartMs] = windowOf(row.key);
  return { key, windowStartMs, value: row.value, updatedMs: row.updatedMs };
}

/** The primitive `canonicalKey` wrote as `text`. */
function primitiveOf(text: string): unknown {
  switch (text[0]) {
    case '"':
      return JSON.parse(text) as string;
    case 'n':
      return Number(text.slice(1));
    case 'b':
      return BigInt(text.slice(1));
    case 't':
      return true;
    case 'f':
      return false;
    case 'z':
      return null;
    default:
      return undefined; // 'u'
  }
}
