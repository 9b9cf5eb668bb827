// A block whose bytes or descriptor were damaged is reported as BlockCorruptError naming where it was read; a
// damaged descriptor never makes the reader go out of bounds or loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import type { Block, BufferRange, ColumnDescriptor } from '../../src/protocol/block.js';
import { BlockCorruptError } from '../../src/storage/blocks/block-corrupt-error.js';
import { decodeBlock, forEachRecord } from '../../src/storage/blocks/block-reader.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import { crc32 } from '../../src/storage/blocks/crc32.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableColumn = Mutable<Omit<ColumnDescriptor, 'validity' | 'offsets' | 'data'>> & {
  validity: Mutable<BufferRange> | null;
  offsets: Mutable<BufferRange> | null;
  data: Mutable<BufferRange> | null;
};

/** A deep copy of the descriptor over a copy of the bytes, so tests can damage either freely. */
function copyBlock(block: Block): Mutable<Omit<Block, 'columns'>> & { columns: MutableColumn[] } {
  const buffer = new SharedArrayBuffer(block.buffer.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(block.buffer));
  const columns = block.columns.map((c) => ({
    ...c,
    validity: c.validity && { ...c.validity },
    offsets: c.offsets && { ...c.offsets },
    data: c.data && { ...c.data },
  }));
  return { ...block, shape: structuredClone(block.shape), columns, buffer };
}

/** Recomputes the checksum, as a buggy writer would have: only the structural checks can catch what follows. */
function reseal(block: { buffer: SharedArrayBuffer; byteLength: number; checksum: number }): void {
  block.checksum = crc32(new Uint8Array(block.buffer, 0, block.byteLength));
}

function isCorrupt(where: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof BlockCorruptError, `expected BlockCorruptError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_BLOCK_CORRUPT');
    assert.equal(error.where, where);
    assert.match(error.message, new RegExp(`at ${where}`));
    assert.match(error.message, pattern);
    return true;
  };
}

const sample = encodeBlock([
  { word: 'alpha', count: 1, extra: undefined },
  { word: null, count: 2, extra: new Date(3) },
  { word: 'gamma', count: null, extra: null },
]);

test('a flipped byte fails the checksum, with expected and found values', () => {
  const block = copyBlock(sample);
  new Uint8Array(block.buffer)[block.columns[0]!.data!.offset]! ^= 0x01;
  const expected = `0x${sample.checksum.toString(16).padStart(8, '0')}`;
  assert.throws(
    () => verifyBlock(block, 'shuffle 1, map 2'),
    isCorrupt('shuffle 1, map 2', new RegExp(`checksum mismatch over \\d+ bytes: expected ${expected}.*found 0x`)),
  );
});

test('an intact block verifies and a copy of it too', () => {
  verifyBlock(sample, 'original');
  verifyBlock(copyBlock(sample), 'copy');
});

const structuralDamage: [string, (block: ReturnType<typeof copyBlock>) => void, RegExp][] = [
  ['data past the end', (b) => void (b.columns[1]!.data!.length = b.byteLength), /data buffer .* inside/],
  ['misaligned data', (b) => void (b.columns[1]!.data!.offset += 4), /8-byte aligned/],
  ['too little data for the rows', (b) => void (b.rows = 1000), /expected at least/],
  ['a nullCount the bitmap disagrees with', (b) => void (b.columns[0]!.nullCount = 2), /null\(s\) as recorded/],
  ['nulls without a bitmap', (b) => void (b.columns[0]!.validity = null), /validity bitmap for 1 null/],
  ['a renamed column', (b) => void (b.columns[0]!.name = 'other'), /named 'word', found 'other'/],
  ['a missing column', (b) => void b.columns.pop(), /expected 3 column/],
  ['an unknown type', (b) => void ((b.columns[1] as { type: string }).type = 'u64'), /unknown column type u64/],
  ['an unknown shape', (b) => void (b.shape = { kind: 'tuple' } as never), /found tuple/],
  ['a negative row count', (b) => void (b.rows = -1), /row count/],
  ['byteLength past the buffer', (b) => void (b.byteLength = b.buffer.byteLength + 8), /byteLength within/],
  [
    'decreasing offsets',
    (b) => {
      const offsets = new Int32Array(b.buffer, b.columns[0]!.offsets!.offset, 4);
      offsets[1] = 4;
      offsets[2] = 2;
      reseal(b);
    },
    /non-decreasing, found 4 then 2/,
  ],
  [
    'offsets past the data',
    (b) => {
      new Int32Array(b.buffer, b.columns[0]!.offsets!.offset, 4)[3] = 1000;
      reseal(b);
    },
    /within 10 data bytes, found 1000/,
  ],
  [
    'a v8 payload that does not deserialize',
    (b) => {
      new Uint8Array(b.buffer, b.columns[2]!.data!.offset, b.columns[2]!.data!.length).fill(0xff);
      reseal(b);
    },
    /column 'extra', row 0: v8 payload does not deserialize/,
  ],
];

for (const [name, damage, pattern] of structuralDamage) {
  test(`reports ${name}`, () => {
    const block = copyBlock(sample);
    damage(block);
    if (!/row count|byteLength/.test(name)) reseal(block);
    assert.throws(() => decodeBlock(block, 'cache rdd 4, partition 0'), isCorrupt('cache rdd 4, partition 0', pattern));
    assert.throws(() => forEachRecord(block, () => {}, 'here'), isCorrupt('here', pattern));
  });
}

test('randomly damaged descriptors decode or throw BlockCorruptError, never anything else', () => {
  const seed = seedFromEnvironment();
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  const rng = new Rng(seed);
  const blocks = [
    sample,
    encodeBlock([
      ['a', 1],
      ['bb', null],
      [null, 3],
    ]),
    encodeBlock([true, null, false, true]),
    encodeBlock([1n, 2n, null]),
    encodeBlock([1.5, null, -0]),
    encodeBlock([null, null]),
  ];
  const numbers = (byteLength: number) => [-1, 0, 1, 3, 7, 8, 16, byteLength, byteLength + 8, 2 ** 31, NaN, 0.5];
  let decoded = 0;
  for (let round = 0; round < 3000; round++) {
    const block = copyBlock(blocks[rng.nextInt(blocks.length)]!);
    const pick = (values: readonly number[]) => values[rng.nextInt(values.length)]!;
    const candidates = numbers(block.byteLength).concat(rng.nextInt(block.byteLength + 16));
    const column = block.columns[rng.nextInt(block.columns.length)]!;
    switch (rng.nextInt(6)) {
      case 0:
        block.rows = pick(candidates.concat(block.rows - 1, block.rows + 1));
        break;
      case 1:
        column.nullCount = pick(candidates);
        break;
      case 2:
      case 3: {
        const key = (['validity', 'offsets', 'data'] as const)[rng.nextInt(3)]!;
        const range = column[key];
        if (range === null) column[key] = { offset: pick(candidates), length: pick(candidates) };
        else if (rng.nextInt(2) === 0) column[key] = { ...range, offset: pick(candidates) };
        else column[key] = { ...range, length: pick(candidates) };
        break;
      }
      case 4: {
        // Damage bytes and reseal, as a buggy writer would.
        const bytes = new Uint8Array(block.buffer, 0, block.byteLength);
        for (let k = 0; k < 4; k++) bytes[rng.nextInt(bytes.length)] = rng.nextInt(256);
        reseal(block);
        break;
      }
      case 5: {
        // Descriptors arrive as plain data from other threads and files: any field may be missing or mistyped.
        const key = (['validity', 'offsets', 'data'] as const)[rng.nextInt(3)]!;
        if (rng.nextInt(2) === 0) (column as Record<string, unknown>)[key] = [undefined, 42, 'x'][rng.nextInt(3)];
        else (block.columns as unknown[])[rng.nextInt(block.columns.length)] = [null, undefined, 7][rng.nextInt(3)];
        break;
      }
    }
    try {
      const records = decodeBlock(block, 'fuzz');
      assert.equal(records.length, block.rows);
      decoded++;
    } catch (error) {
      assert.ok(error instanceof BlockCorruptError, `round ${round}: ${String((error as Error).stack)}`);
    }
  }
  assert.ok(decoded > 0, 'some damage is harmless (for example a shorter row count)');
});
