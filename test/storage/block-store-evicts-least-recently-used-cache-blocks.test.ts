// The block store keeps blocks under a byte budget by evicting least-recently-used, unpinned cache blocks only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Block } from '../../src/protocol/block.js';
import { BlockStore, type BlockKind } from '../../src/storage/block-store.js';

/** A stand-in block of exactly `bytes` bytes; the store only looks at the buffer size. */
function blockOf(bytes: number): Block {
  return {
    rows: 0,
    shape: { kind: 'scalar' },
    columns: [],
    buffer: new SharedArrayBuffer(bytes),
    byteLength: 0,
    checksum: 0,
  };
}

function recordingStore(memoryBytesMax: number, pinned: ReadonlySet<string> = new Set()) {
  const evicted: [string, BlockKind, number][] = [];
  const store = new BlockStore({
    memoryBytesMax,
    pinned: (id) => pinned.has(id),
    onEvict: (id, kind, bytes) => evicted.push([id, kind, bytes]),
  });
  return { store, evicted };
}

test('stores, finds and counts blocks', () => {
  const { store } = recordingStore(1000);
  const block = blockOf(100);
  store.put('a', block, 'result');
  assert.equal(store.get('a'), block);
  assert.equal(store.get('missing'), undefined);
  assert.equal(store.has('a'), true);
  assert.equal(store.kindOf('a'), 'result');
  assert.equal(store.bytesUsed, 100);
  assert.equal(store.count, 1);
  assert.equal(store.overBudgetBytes, 0);
});

test('replacing a block under the same id counts its bytes once', () => {
  const { store } = recordingStore(1000);
  store.put('a', blockOf(100), 'cache');
  store.put('a', blockOf(300), 'cache');
  assert.equal(store.bytesUsed, 300);
  assert.equal(store.count, 1);
});

test('evicts the least recently used cache blocks first, and reports them', () => {
  const { store, evicted } = recordingStore(300);
  store.put('c1', blockOf(100), 'cache');
  store.put('c2', blockOf(100), 'cache');
  store.put('c3', blockOf(100), 'cache');
  store.get('c1'); // c2 is now the least recently used
  assert.deepEqual(store.put('c4', blockOf(150), 'cache'), ['c2', 'c3']);
  assert.deepEqual(evicted, [
    ['c2', 'cache', 100],
    ['c3', 'cache', 100],
  ]);
  assert.equal(store.bytesUsed, 250);
  assert.equal(store.has('c1'), true);
  assert.equal(store.has('c4'), true);
});

test('never evicts shuffle or result blocks', () => {
  const { store, evicted } = recordingStore(200);
  store.put('s1', blockOf(100), 'shuffle');
  store.put('r1', blockOf(100), 'result');
  store.put('c1', blockOf(100), 'cache');
  assert.deepEqual(evicted, []);
  store.put('s2', blockOf(100), 'shuffle');
  assert.deepEqual(evicted, [['c1', 'cache', 100]]);
  assert.equal(store.bytesUsed, 300);
  assert.equal(store.overBudgetBytes, 100);
});

test('never evicts pinned cache blocks', () => {
  const { store, evicted } = recordingStore(200, new Set(['c1']));
  store.put('c1', blockOf(100), 'cache');
  store.put('c2', blockOf(100), 'cache');
  store.put('c3', blockOf(100), 'cache');
  assert.deepEqual(
    evicted.map(([id]) => id),
    ['c2'],
  );
});

test('keeps a block larger than the budget and records the overage', () => {
  const { store, evicted } = recordingStore(100);
  store.put('c1', blockOf(50), 'cache');
  store.put('big', blockOf(500), 'cache');
  assert.deepEqual(
    evicted.map(([id]) => id),
    ['c1'],
  );
  assert.equal(store.has('big'), true);
  assert.equal(store.overBudgetBytes, 400);
  store.remove('big');
  assert.equal(store.overBudgetBytes, 0);
});

test('calls onEvict after the store is consistent, so it may use the store', () => {
  const seen: [string, boolean, number][] = [];
  const store: BlockStore = new BlockStore({
    memoryBytesMax: 100,
    onEvict: (id) => seen.push([id, store.has(id), store.bytesUsed]),
  });
  store.put('c1', blockOf(100), 'cache');
  store.put('c2', blockOf(100), 'cache');
  assert.deepEqual(seen, [['c1', false, 100]]);
});

test('remove and removeWhere drop blocks without reporting evictions', () => {
  const { store, evicted } = recordingStore(10_000);
  store.put('shuffle-1/0', blockOf(10), 'shuffle');
  store.put('shuffle-1/1', blockOf(10), 'shuffle');
  store.put('shuffle-2/0', blockOf(10), 'shuffle');
  store.put('rdd-1/0', blockOf(10), 'cache');
  assert.equal(store.remove('rdd-1/0'), true);
  assert.equal(store.remove('rdd-1/0'), false);
  assert.deepEqual(
    store.removeWhere((id) => id.startsWith('shuffle-1/')),
    ['shuffle-1/0', 'shuffle-1/1'],
  );
  assert.deepEqual(
    store.removeWhere((_id, kind) => kind === 'shuffle'),
    ['shuffle-2/0'],
  );
  assert.equal(store.bytesUsed, 0);
  assert.equal(store.count, 0);
  assert.deepEqual(evicted, []);
});

test('rejects a budget that is not a byte count', () => {
  for (const memoryBytesMax of [-1, NaN, '100' as unknown as number]) {
    assert.throws(() => new BlockStore({ memoryBytesMax }), { code: 'ERR_OPTIONS_INVALID' });
  }
});
