import type { Accumulator } from '../api/context/accumulator.js';
import type { RDD } from '../api/rdd/rdd.js';

/** The same records, counted into `counter` once per partition (input rows of sources that cannot count offsets). */
export function countRecords(rdd: RDD<any>, counter: Accumulator<number, number>): RDD<any> {
  return rdd.mapPartitions(
    function* (records: Iterable<unknown>) {
      let n = 0;
      for (const record of records) {
        n++;
        yield record;
      }
      counter.add(n);
    },
    { counter },
    { preservesPartitioning: true },
  );
}
