// The glob parser on its own: brace expansion and segment compilation, without touching the file system.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PlanError } from '../../src/common/errors.js';
import { compileSegment, expandBraces, hasGlobSyntax } from '../../src/io/files/glob-pattern.js';

function matches(segment: string, name: string): boolean {
  const compiled = compileSegment(segment);
  if (compiled.kind === 'literal') return compiled.name === name;
  if (compiled.kind === 'globstar') return true;
  return compiled.regex.test(name);
}

test('brace groups expand left to right, nested, across slashes; unbalanced braces stay literal', () => {
  assert.deepEqual(expandBraces('a{b,c}d'), ['abd', 'acd']);
  assert.deepEqual(expandBraces('{x,y}/{1,2}'), ['x/1', 'x/2', 'y/1', 'y/2']);
  assert.deepEqual(expandBraces('{a,b{c,d}}e'), ['ae', 'bce', 'bde']);
  assert.deepEqual(expandBraces('{a}'), ['a']);
  assert.deepEqual(expandBraces('{,a}'), ['', 'a']);
  assert.deepEqual(expandBraces('a{b'), ['a{b']);
  assert.deepEqual(expandBraces('\\{a,b\\}'), ['\\{a,b\\}']);
});

test('brace expansion is bounded', () => {
  assert.throws(() => expandBraces('{a,b}'.repeat(13)), PlanError);
  assert.equal(expandBraces('{a,b}'.repeat(12)).length, 4096);
});

test('segments: literal, wildcard, class, negated class, escapes, globstar', () => {
  assert.deepEqual(compileSegment('plain.txt'), { kind: 'literal', name: 'plain.txt' });
  assert.deepEqual(compileSegment('a\\*b'), { kind: 'literal', name: 'a*b' });
  assert.deepEqual(compileSegment('**'), { kind: 'globstar' });
  assert.ok(matches('*.txt', 'a.txt') && matches('*.txt', '.txt') && !matches('*.txt', 'a.txt.gz'));
  assert.ok(matches('a**b', 'axxb'));
  assert.ok(matches('?', '😀') && !matches('?', 'ab'));
  assert.ok(matches('[a-c]x', 'bx') && !matches('[a-c]x', 'dx'));
  assert.ok(matches('[!a-c]x', 'dx') && !matches('[!a-c]x', 'ax'));
  assert.ok(matches('[^a]', 'b') && !matches('[^a]', 'a'));
  assert.ok(matches('[]]', ']') && matches('[a-]', '-'));
  assert.ok(matches('a[b', 'a[b'), 'an unclosed [ is literal');
  assert.ok(matches('(x)+$.*', '(x)+$.anything'), 'regex characters are literal');
  assert.ok(matches('*', 'line\nbreak'));
});

test('wildcards skip hidden names unless the segment starts with . or _', () => {
  const star = compileSegment('*');
  const dot = compileSegment('.*');
  assert.ok(star.kind === 'pattern' && !star.matchesHidden);
  assert.ok(dot.kind === 'pattern' && dot.matchesHidden);
});

test('hasGlobSyntax sees *, ?, [ and {', () => {
  for (const pattern of ['*', 'a?', 'x[1]', '{a,b}']) assert.ok(hasGlobSyntax(pattern), pattern);
  assert.ok(!hasGlobSyntax('/plain/path.txt'));
});

test('an invalid class range is a PlanError naming the segment', () => {
  assert.throws(
    () => compileSegment('[z-a]'),
    (e: unknown) => e instanceof PlanError && e.message.includes('[z-a]'),
  );
});
