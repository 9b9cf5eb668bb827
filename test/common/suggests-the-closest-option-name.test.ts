import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestName, didYouMean, editDistance } from '../../src/common/check-options.js';

test('edit distance counts insertions, deletions, substitutions and swaps of neighbours as one each', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['', 'abc', 3],
    ['threads', 'threads', 0],
    ['thredas', 'threads', 1], // swap
    ['thread', 'threads', 1], // insertion
    ['threadss', 'threads', 1], // deletion
    ['thraads', 'threads', 1], // substitution
    ['ui', 'threads', 7],
    ['ca', 'abc', 3], // optimal string alignment: a swapped pair is not edited again
  ];
  for (const [a, b, distance] of cases) {
    assert.equal(editDistance(a, b), distance, `${a} -> ${b}`);
    assert.equal(editDistance(b, a), distance, `${b} -> ${a}`);
  }
});

test('the closest name is suggested only when it is a likely typo', () => {
  const known = ['threads', 'seed', 'tmpDir', 'taskTimeoutMs', 'memoryBytesMax'];
  assert.equal(closestName('thredas', known), 'threads');
  assert.equal(closestName('tmpdir', known), 'tmpDir', 'case does not count');
  assert.equal(closestName('seeds', known), 'seed');
  assert.equal(closestName('taskTimeout', known), 'taskTimeoutMs');
  assert.equal(closestName('thrd', known), null, 'three letters off a four-letter word is too far');
  assert.equal(closestName('taskTimeoutMss', known), 'taskTimeoutMs');
  assert.equal(closestName('ui', known), null);
  assert.equal(closestName('x', known), null);
  assert.equal(closestName('threads', []), null);
  assert.equal(closestName('sed', ['seed', 'sad']), 'seed', 'a tie goes to the earlier candidate');
});

test('didYouMean is the tail of a message, empty when nothing is close or the value is not a string', () => {
  assert.equal(didYouMean('MEMORY_AND_DSK', ['MEMORY_ONLY', 'MEMORY_AND_DISK']), ": did you mean 'MEMORY_AND_DISK'?");
  assert.equal(didYouMean('DISK', ['MEMORY_ONLY', 'MEMORY_AND_DISK']), '');
  assert.equal(didYouMean(3, ['3']), '');
});
