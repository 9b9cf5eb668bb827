// ByteKeyTable (the string and tuple keys of groupBy, dedupe, joins) gives every distinct byte key one group, as a
// Map of strings does: keys of every length 0–40 around the 12 bytes a slot holds inline, keys that share those
// bytes and differ only past them, keys that differ in one byte inside them, multi-byte UTF-8, and the empty key
// beside the reserved (null) group. Run once with real hashes and once with every key given the same hash, so
// every probe walks past other keys and only the length, inline words and tail bytes tell keys apart: a probe that
// trusted the hash, skipped a word or the tail would merge keys. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ByteKeyTable } from '../../../src/executor/columnar/kernels/byte-key-table.js';
import { hashBytes } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import { Rng, randomWord, testSeed } from '../random-rows.js';

const seed = testSeed('byte-key-table-groups-as-a-map');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Keys built to collide in every part but one: prefix, inline bytes, length, tail. */
function trickyKeys(rng: Rng): string[] {
  const keys: string[] = ['', 'a', 'a\u0000', '\u0000', '\u0000\u0000\u0000\u0000'];
  for (let length = 0; length <= 40; length++) {
    const base = Array.from({ length }, () => String.fromCharCode(97 + rng.nextInt(26))).join('');
    keys.push(base);
    // One byte changed at each position: inside word 0, 1, 2 and in the tail.
    for (let at = 0; at < length; at++) keys.push(`${base.slice(0, at)}#${base.slice(at + 1)}`);
  }
  const shared = 'id0000012345';
  for (let i = 0; i < 50; i++) keys.push(`${shared}${randomWord(rng)}`, `${shared}-${i}`);
  for (let i = 0; i < 200; i++) keys.push(`id${String(rng.nextInt(1e6)).padStart(10, '0')}`, `é${randomWord(rng)}€`);
  return keys;
}

function check(sameHash: boolean): void {
  const rng = new Rng(seed + (sameHash ? 1 : 0));
  const distinct = trickyKeys(rng);
  const rows = Array.from({ length: sameHash ? 8_000 : 60_000 }, () => distinct[rng.nextInt(distinct.length)]!);
  const table = new ByteKeyTable(16);
  const reserved = table.reserveGroup();
  const model = new Map<string, number>();
  rows.forEach((key, r) => {
    // The key sits at a different offset of a bigger buffer each time, as a column's strings do.
    const pad = r % 7;
    const bytes = encoder.encode(`${'.'.repeat(pad)}${key}..`);
    const end = bytes.length - 2;
    const hash = sameHash ? 12345 : hashBytes(bytes, pad, end);
    const g = table.findOrInsert(bytes, pad, end, hash);
    const expected = model.get(key) ?? (model.set(key, g), g);
    assert.equal(g, expected, `key ${JSON.stringify(key)} (row ${r}) is one group`);
    assert.notEqual(g, reserved, 'no key reaches the reserved group');
    assert.equal(table.find(bytes, pad, end, hash), g);
  });
  assert.equal(table.size, model.size + 1, 'one group per distinct key, and the reserved one');
  for (const [key, g] of model) {
    assert.equal(decoder.decode(table.arena.subarray(table.keyStarts[g]!, table.keyEnds[g]!)), key);
  }
  const absent = encoder.encode('never-inserted-key');
  assert.equal(table.find(absent, 0, absent.length, sameHash ? 12345 : hashBytes(absent, 0, absent.length)), -1);
  table.clear();
  assert.equal(table.size, 0);
  const again = encoder.encode(distinct[3]!);
  assert.equal(table.find(again, 0, again.length, sameHash ? 12345 : hashBytes(again, 0, again.length)), -1);
  assert.equal(table.findOrInsert(again, 0, again.length, sameHash ? 12345 : hashBytes(again, 0, again.length)), 0);
}

test(`distinct byte keys are distinct groups, through rehashes and clear() (seed ${seed})`, () => check(false));

test(`keys sharing one hash are told apart by length, inline words and tail bytes (seed ${seed})`, () => check(true));
