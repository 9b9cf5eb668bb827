/**
 * Native baseline of integer-key hash aggregation: sum, count and mean of float64 values per int32 key, in an
 * open-addressing table of typed arrays (Fibonacci hashing of the key, linear probing).
 */

/** One row per distinct key, in first-seen order. */
export interface IntAggregate {
  readonly groups: number;
  readonly keys: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly means: Float64Array;
}

/**
 * Groups `rows` rows by `keys[i]` and aggregates `values[i]`. The table starts small and doubles, as it must when
 * the number of keys is not known in advance.
 *
 * @example
 * aggregateInt32(new Int32Array([1, 2, 1]), new Float64Array([1, 2, 3]), 3); // groups 2, sums [4, 2]
 */
export function aggregateInt32(keys: Int32Array, values: Float64Array, rows: number): IntAggregate {
  let capacity = 1024;
  let bits = 11;
  let slots = new Int32Array(1 << bits);
  let groupKeys: Int32Array = new Int32Array(capacity);
  let sums: Float64Array = new Float64Array(capacity);
  let counts: Float64Array = new Float64Array(capacity);
  let groups = 0;
  for (let i = 0; i < rows; i++) {
    const key = keys[i]!;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - bits);
    const mask = slots.length - 1;
    let entry: number;
    while ((entry = slots[slot]!) !== 0 && groupKeys[entry - 1] !== key) slot = (slot + 1) & mask;
    if (entry !== 0) {
      sums[entry - 1] = sums[entry - 1]! + values[i]!;
      counts[entry - 1]!++;
      continue;
    }
    const g = groups++;
    if (g === capacity) {
      capacity *= 2;
      groupKeys = grownInt(groupKeys, capacity);
      sums = grownFloat(sums, capacity);
      counts = grownFloat(counts, capacity);
    }
    groupKeys[g] = key;
    sums[g] = values[i]!;
    counts[g] = 1;
    slots[slot] = g + 1;
    if (groups * 2 > slots.length) {
      bits++;
      slots = new Int32Array(1 << bits);
      const m = slots.length - 1;
      for (let h = 0; h < groups; h++) {
        let s = Math.imul(groupKeys[h]!, 0x9e3779b1) >>> (32 - bits);
        while (slots[s] !== 0) s = (s + 1) & m;
        slots[s] = h + 1;
      }
    }
  }
  const means = new Float64Array(groups);
  for (let g = 0; g < groups; g++) means[g] = sums[g]! / counts[g]!;
  return {
    groups,
    keys: groupKeys.subarray(0, groups),
    sums: sums.subarray(0, groups),
    counts: counts.subarray(0, groups),
    means,
  };
}

function grownInt(old: Int32Array, capacity: number): Int32Array {
  const next = new Int32Array(capacity);
  next.set(old);
  return next;
}

function grownFloat(old: Float64Array, capacity: number): Float64Array {
  const next = new Float64Array(capacity);
  next.set(old);
  return next;
}
