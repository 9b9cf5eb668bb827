/**
 * Records of a partition flow either pulled (`for … of`, so `take` can stop early) or pushed: a consumer that
 * wants everything calls {@link drain}, and sources that can push (fused narrow chains, decoded blocks) do so with
 * a plain callback per record — no generator resumption, no iterator result object on the hot path.
 */
export interface Pushable<T> extends Iterable<T> {
  pushInto(sink: (record: T) => void): void;
}

export type Sink = (record: unknown) => void;

/** Feeds every record of `records` to `sink`, pushing when the source can. */
export function drain(records: Iterable<unknown>, sink: Sink): void {
  const pushable = records as Partial<Pushable<unknown>>;
  if (typeof pushable.pushInto === 'function') {
    pushable.pushInto(sink);
    return;
  }
  if (Array.isArray(records)) {
    for (let i = 0; i < records.length; i++) sink(records[i]);
    return;
  }
  for (const record of records) sink(record);
}

/** All records as an array. */
export function toArray(records: Iterable<unknown>): unknown[] {
  if (Array.isArray(records)) return records;
  const all: unknown[] = [];
  drain(records, (record) => all.push(record));
  return all;
}
