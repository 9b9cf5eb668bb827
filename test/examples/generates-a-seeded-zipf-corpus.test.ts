// The corpus generator writes exactly the bytes asked for, the same bytes for the same seed, valid UTF-8 with the
// texture the word count needs: Zipf-distributed words, ~2 % multi-byte, Capitalized words, empty lines and CRLF.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { seedFromEnvironment } from '../../src/common/rng.js';
import { generateCorpus } from '../../examples/word-count/generate-corpus.js';
import { makeTempDir, removeTempDir } from './word-count-fixtures.js';

const seed = seedFromEnvironment();
console.log(`seed ${seed} (rerun with SEED=${seed})`);
const dir = makeTempDir('generator');
after(() => removeTempDir(dir));

function generate(name: string, bytes: number, corpusSeed: number): Buffer {
  const path = join(dir, name);
  const stats = generateCorpus(path, { bytes, seed: corpusSeed, vocabularySize: 20_000 });
  const content = readFileSync(path);
  assert.equal(stats.bytes, bytes);
  assert.equal(content.length, bytes);
  return content;
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

test('writes exactly the bytes asked for, ending with a line end, for tiny and odd sizes', () => {
  for (const bytes of [0, 1, 2, 17, 4095, 70_001]) {
    const content = generate(`size-${bytes}.txt`, bytes, seed);
    if (bytes > 0) assert.equal(content.at(-1), 0x0a, `size ${bytes}`);
    new TextDecoder('utf-8', { fatal: true }).decode(content);
  }
});

test('the same seed gives the same bytes; another seed, others', () => {
  const a = generate('a.txt', 300_000, seed);
  const b = generate('b.txt', 300_000, seed);
  const c = generate('c.txt', 300_000, seed + 1);
  assert.equal(sha(a), sha(b));
  assert.notEqual(sha(a), sha(c));
});

test('looks like text: Zipf frequencies, ~2 % multi-byte words, capitals, empty lines, some CRLF', () => {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(generate('texture.txt', 2_000_000, seed));
  const words = text.split(/\s+/u).filter((w) => w !== '');
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const frequencies = [...counts.values()].sort((a, b) => b - a);
  // Zipf with exponent 1: the 1st word is ~10x the 10th (less here: punctuation and capitals split variants off).
  assert.ok(frequencies[0]! > 4 * frequencies[9]!, `top frequencies ${frequencies.slice(0, 10).join(', ')}`);
  assert.ok(counts.size > 10_000, `only ${counts.size} distinct words`);
  const multiByte = words.filter((w) => Buffer.byteLength(w) !== w.length).length / words.length;
  assert.ok(multiByte > 0.01 && multiByte < 0.035, `multi-byte share ${multiByte}`);
  assert.ok(
    words.some((w) => /[\u{1F600}-\u{1F64F}]/u.test(w)),
    'some emoji (4-byte UTF-8)',
  );
  assert.ok(words.filter((w) => /^[A-Z][a-z]/.test(w)).length > words.length * 0.03, 'some Capitalized words');
  assert.ok(
    words.some((w) => /^[a-z]+[,.;:!?]$/.test(w)),
    'punctuation attached to words',
  );
  const lines = text.split('\n');
  const crlf = lines.filter((line) => line.endsWith('\r')).length / lines.length;
  assert.ok(crlf > 0.01 && crlf < 0.06, `CRLF share ${crlf}`);
  assert.ok(lines.filter((line) => line.trim() === '').length > lines.length * 0.03, 'some empty lines');
  const lengths = lines.map((line) => line.length);
  assert.ok(Math.max(...lengths) > 4 * (text.length / lines.length), 'lines of varied length');
});
