// Test helper: seeded random records of every shape and value family the block format distinguishes.
import type { Rng } from '../../src/common/rng.js';

type Family = (rng: Rng) => unknown;

const specialDoubles = [0, -0, NaN, Infinity, -Infinity, 0.1, -1e300, 5e-324, 2 ** 31, -(2 ** 31) - 1];

function randomString(rng: Rng, alphabet: readonly string[]): string {
  let text = '';
  const length = rng.nextInt(12);
  for (let i = 0; i < length; i++) text += alphabet[rng.nextInt(alphabet.length)];
  return text;
}

const ascii = 'abcdefghijklmnopqrstuvwxyz0123456789 _-'.split('');
const unicode = ['a', 'é', 'ß', '日', '本', '😀', '\u0000', '\u007f', '\u0080', '\uffff'];
const broken = ['a', '\ud800', '\udfff', '😀'];

/** The value families; each maps to one column type when a column holds only it (plus nulls). */
export const families: Record<string, Family> = {
  int32: (rng) => (rng.nextUint32() | 0) >> rng.nextInt(32),
  double: (rng) =>
    rng.nextInt(4) === 0 ? specialDoubles[rng.nextInt(specialDoubles.length)] : rng.nextFloat() * 1e6 - 5e5,
  bool: (rng) => rng.nextInt(2) === 0,
  int64: (rng) => BigInt.asIntN(64, (BigInt(rng.nextUint32()) << 32n) | BigInt(rng.nextUint32())),
  hugeBigint: (rng) => 2n ** 64n + BigInt(rng.nextUint32()),
  asciiString: (rng) => randomString(rng, ascii),
  unicodeString: (rng) => randomString(rng, unicode),
  brokenString: (rng) => randomString(rng, broken),
  undefined: () => undefined,
  nested: (rng) => randomNested(rng, 3),
  mixed: (rng) => {
    const names = ['int32', 'double', 'bool', 'int64', 'asciiString', 'undefined', 'nested'];
    return families[names[rng.nextInt(names.length)]!]!(rng);
  },
};

function randomNested(rng: Rng, depth: number): unknown {
  const choice = rng.nextInt(depth <= 0 ? 4 : 9);
  switch (choice) {
    case 0:
      return rng.nextInt(100);
    case 1:
      return randomString(rng, unicode);
    case 2:
      return null;
    case 3:
      return BigInt(rng.nextInt(1000));
    case 4:
      return Array.from({ length: rng.nextInt(4) }, () => randomNested(rng, depth - 1));
    case 5:
      return { a: randomNested(rng, depth - 1), b: randomNested(rng, depth - 1) };
    case 6:
      return new Date(rng.nextInt(2 ** 31));
    case 7:
      return new Map([[randomNested(rng, depth - 1), randomNested(rng, depth - 1)]]);
    default:
      return new Uint16Array([rng.nextInt(65536), rng.nextInt(65536)]);
  }
}

function randomColumnValue(rng: Rng, family: Family, nullPercent: number): unknown {
  return rng.nextInt(100) < nullPercent ? null : family(rng);
}

/** A random batch of records: scalars, pairs or flat objects, with columns of random families and null rates. */
export function randomRecords(rng: Rng, rows: number): { description: string; records: unknown[] } {
  const names = Object.keys(families);
  const pickFamily = () => names[rng.nextInt(names.length)]!;
  const nullPercent = [0, 0, 5, 50, 100][rng.nextInt(5)]!;
  const shape = ['scalar', 'pair', 'object'][rng.nextInt(3)]!;
  const columnFamilies =
    shape === 'scalar'
      ? [pickFamily()]
      : shape === 'pair'
        ? [pickFamily(), pickFamily()]
        : [pickFamily(), pickFamily(), pickFamily()];
  const fields = ['x', 'y', 'z'];
  const records = Array.from({ length: rows }, () => {
    const values = columnFamilies.map((name) => randomColumnValue(rng, families[name]!, nullPercent));
    if (shape === 'scalar') return values[0];
    if (shape === 'pair') return values;
    return Object.fromEntries(values.map((value, i) => [fields[i]!, value]));
  });
  return { description: `${rows} ${shape} record(s) of ${columnFamilies.join(', ')}, ${nullPercent}% null`, records };
}
