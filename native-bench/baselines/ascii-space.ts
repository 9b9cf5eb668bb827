/**
 * Whitespace bytes of the native baselines: ASCII `\t \n \v \f \r` and space. The generated corpus holds no other
 * whitespace (its multi-byte words are letters), so on it this splits exactly as JS `\s` does; the benchmark run
 * checks that by comparing the baseline's counts with the engine's.
 */

/** 1 for a whitespace byte, else 0. */
export const SPACE_BYTE: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (const b of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) table[b] = 1;
  return table;
})();
