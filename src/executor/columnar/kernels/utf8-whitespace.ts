/**
 * JavaScript `\s` over UTF-8 bytes, without decoding: the ASCII spaces (tab, LF, VT, FF, CR, space) by a table, and
 * the multi-byte ones (U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF) by their
 * exact byte sequences. Lead bytes of those sequences are never UTF-8 continuation bytes, so scanning byte by byte
 * can not match inside another character.
 */

/**
 * Per byte: 1 for an ASCII space, 2 for a lead byte that may start a multi-byte space (0xC2, 0xE1, 0xE2, 0xE3,
 * 0xEF: check with `wideSpaceBytes`), 0 otherwise. One load per byte on the scanning hot path.
 */
export const spaceClass: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (const b of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) table[b] = 1;
  for (const b of [0xc2, 0xe1, 0xe2, 0xe3, 0xef]) table[b] = 2;
  return table;
})();

/**
 * Bytes of the non-ASCII `\s` character starting at `bytes[i]` (a byte ≥ 0x80), or 0 when there is none.
 *
 * @example
 * wideSpaceBytes(new Uint8Array([0xe3, 0x80, 0x80]), 0, 3); // 3 (U+3000 IDEOGRAPHIC SPACE)
 */
export function wideSpaceBytes(bytes: Uint8Array, i: number, end: number): number {
  const b = bytes[i]!;
  if (b === 0xc2) return i + 1 < end && bytes[i + 1] === 0xa0 ? 2 : 0;
  if (b < 0xe1 || b > 0xef || i + 2 >= end) return 0;
  const b1 = bytes[i + 1]!;
  const b2 = bytes[i + 2]!;
  switch (b) {
    case 0xe1:
      return b1 === 0x9a && b2 === 0x80 ? 3 : 0;
    case 0xe2:
      if (b1 === 0x80) return (b2 >= 0x80 && b2 <= 0x8a) || b2 === 0xa8 || b2 === 0xa9 || b2 === 0xaf ? 3 : 0;
      return b1 === 0x81 && b2 === 0x9f ? 3 : 0;
    case 0xe3:
      return b1 === 0x80 && b2 === 0x80 ? 3 : 0;
    case 0xef:
      return b1 === 0xbb && b2 === 0xbf ? 3 : 0;
    default:
      return 0;
  }
}
