// TextOutputCommitter: the target appears whole or not at all; first committer wins; abort leaves nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { AssertionError, OutputError } from '../../src/common/errors.js';
import { expandInputPaths } from '../../src/io/files/expand-paths.js';
import { writeLinesFile } from '../../src/io/text/lines-file.js';
import { TextOutputCommitter } from '../../src/io/text/text-output.js';
import { caseDirectories } from './io-fixtures.js';

/** A fresh, empty parent directory for one case. */
const freshParent = caseDirectories('commit');

/** Runs one task attempt the way the engine will: ask for a path, write it, commit it. */
function runAttempt(committer: TextOutputCommitter, partition: number, attempt: number, lines: string[]): boolean {
  const path = committer.attemptPath(partition, attempt);
  writeLinesFile(path, lines);
  return committer.commitTask(partition, path);
}

test('commitJob publishes every part file and _SUCCESS together, and nothing else', () => {
  const parent = freshParent();
  const target = join(parent, 'out');
  const committer = new TextOutputCommitter(target);
  committer.setupJob();
  assert.ok(runAttempt(committer, 1, 0, ['b1', 'b2']));
  assert.ok(runAttempt(committer, 0, 0, ['a1']));
  assert.equal(existsSync(target), false, 'nothing is visible before commitJob');
  committer.commitJob(2);
  assert.deepEqual(readdirSync(target).sort(), ['_SUCCESS', 'part-00000', 'part-00001']);
  assert.equal(readFileSync(join(target, 'part-00000'), 'utf8'), 'a1\n');
  assert.equal(readFileSync(join(target, 'part-00001'), 'utf8'), 'b1\nb2\n');
  assert.equal(readFileSync(join(target, '_SUCCESS'), 'utf8'), '');
  assert.deepEqual(readdirSync(parent), ['out'], 'no staging directory is left behind');
  // Reading the output back skips _SUCCESS, as Hadoop's input listing does.
  assert.deepEqual(expandInputPaths([target]), [join(target, 'part-00000'), join(target, 'part-00001')]);
  committer.abortJob(); // a no-op once committed
  assert.ok(existsSync(join(target, 'part-00000')));
});

test('the first attempt to commit a partition wins; later attempts are refused and deleted', () => {
  const parent = freshParent();
  const target = join(parent, 'out');
  const committer = new TextOutputCommitter(target);
  committer.setupJob();
  const slow = committer.attemptPath(0, 0);
  writeLinesFile(slow, ['from attempt 0']);
  assert.ok(runAttempt(committer, 0, 1, ['from attempt 1']));
  assert.equal(committer.commitTask(0, slow), false);
  assert.equal(existsSync(slow), false);
  committer.commitJob(1);
  assert.equal(readFileSync(join(target, 'part-00000'), 'utf8'), 'from attempt 1\n');
});

test('abortJob removes everything it created, is idempotent, and leaves the parent as it was', () => {
  const parent = freshParent();
  writeFileSync(join(parent, 'unrelated.txt'), 'keep me\n');
  const committer = new TextOutputCommitter(join(parent, 'out'));
  committer.setupJob();
  runAttempt(committer, 0, 0, ['x']);
  writeLinesFile(committer.attemptPath(1, 0), ['uncommitted']);
  committer.abortJob();
  committer.abortJob();
  assert.deepEqual(readdirSync(parent), ['unrelated.txt']);
  assert.throws(() => committer.commitJob(2), AssertionError);
});

test('an existing target is ERR_OUTPUT_EXISTS at setup, pointing at { overwrite: true }', () => {
  const parent = freshParent();
  const target = join(parent, 'out');
  mkdirSync(target);
  const committer = new TextOutputCommitter(target);
  assert.throws(
    () => committer.setupJob(),
    (e: unknown) =>
      e instanceof OutputError &&
      e.code === 'ERR_OUTPUT_EXISTS' &&
      e.message.includes(target) &&
      e.message.includes('{ overwrite: true }'),
  );
  assert.deepEqual(readdirSync(parent), ['out']);
});

test('overwrite replaces the old target at commit, and only then; abort keeps the old target', () => {
  const parent = freshParent();
  const target = join(parent, 'out');
  mkdirSync(target);
  writeFileSync(join(target, 'old-file'), 'old\n');

  const aborted = new TextOutputCommitter(target, { overwrite: true });
  aborted.setupJob();
  runAttempt(aborted, 0, 0, ['new']);
  aborted.abortJob();
  assert.deepEqual(readdirSync(target), ['old-file']);

  const committer = new TextOutputCommitter(target, { overwrite: true });
  committer.setupJob();
  runAttempt(committer, 0, 0, ['new']);
  assert.deepEqual(readdirSync(target), ['old-file'], 'the old output stays readable until commitJob');
  committer.commitJob(1);
  assert.deepEqual(readdirSync(target).sort(), ['_SUCCESS', 'part-00000']);
  assert.deepEqual(readdirSync(parent), ['out'], 'the old output moved aside is deleted');
});

test('a target created by someone else during the job fails the commit and is left untouched', () => {
  const parent = freshParent();
  const target = join(parent, 'out');
  const committer = new TextOutputCommitter(target);
  committer.setupJob();
  runAttempt(committer, 0, 0, ['mine']);
  mkdirSync(target);
  writeFileSync(join(target, 'theirs'), 'theirs\n');
  assert.throws(
    () => committer.commitJob(1),
    (e: unknown) => e instanceof OutputError && e.code === 'ERR_OUTPUT_EXISTS' && e.message.includes(target),
  );
  assert.deepEqual(readdirSync(target), ['theirs']);
  assert.deepEqual(readdirSync(parent), ['out'], 'the staging directory was removed');
});

test('commitJob refuses to publish with a partition missing; abort then cleans up', () => {
  const parent = freshParent();
  const committer = new TextOutputCommitter(join(parent, 'out'));
  committer.setupJob();
  runAttempt(committer, 0, 0, ['a']);
  assert.throws(() => committer.commitJob(2), /uncommitted partitions \[1\]/);
  committer.abortJob();
  assert.deepEqual(readdirSync(parent), []);
});

test('a late attempt after commitJob is refused, and its debris removed, without touching the output', () => {
  const parent = freshParent();
  const target = join(parent, 'out');
  const committer = new TextOutputCommitter(target);
  committer.setupJob();
  const late = committer.attemptPath(0, 1);
  runAttempt(committer, 0, 0, ['winner']);
  committer.commitJob(1);
  writeLinesFile(late, ['loser']); // recreates the staging path under its old name
  assert.equal(committer.commitTask(0, late), false);
  assert.deepEqual(readdirSync(parent), ['out']);
  assert.equal(readFileSync(join(target, 'part-00000'), 'utf8'), 'winner\n');
});

test('missing parents of the target are created; the staging directory is a hidden sibling', () => {
  const parent = freshParent();
  const target = join(parent, 'a', 'b', 'out');
  const committer = new TextOutputCommitter(target);
  committer.setupJob();
  assert.match(committer.stagingDir, /[/\\]\.out\.kindling-staging-h[0-9a-f]{8}-\d+(-s[0-9a-f]{8})?-\d+$/);
  assert.equal(join(committer.stagingDir, '..'), join(parent, 'a', 'b'));
  runAttempt(committer, 0, 0, []);
  committer.commitJob(1);
  assert.equal(readFileSync(join(target, 'part-00000'), 'utf8'), '');
});

test('a zero-partition job publishes just _SUCCESS', () => {
  const parent = freshParent();
  const committer = new TextOutputCommitter(join(parent, 'out'));
  committer.setupJob();
  committer.commitJob(0);
  assert.deepEqual(readdirSync(join(parent, 'out')), ['_SUCCESS']);
});
