// The event log writer buffers lines off the scheduler's path (nothing reaches the file before a job end, a timer
// tick, a full buffer or close), rotates part files by size on line boundaries, and the reader gets every event
// back in order; a bad line is an InputError naming file and line, a crash-cut last line is skipped.
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mock, test } from 'node:test';

import { EventBus } from '../../src/events/event-bus.js';
import { EventLogWriter, partFileName } from '../../src/events/event-log-writer.js';
import { readEventLogs } from '../../src/events/event-log-reader.js';
import { InputError } from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

function taskStart(taskId: number) {
  return {
    kind: 'task-start',
    jobId: 0,
    stageId: 0,
    taskId,
    partition: taskId,
    attempt: 0,
    speculative: false,
  } as const;
}

test('lines stay buffered until a job ends, then reach the file whole and in order', () => {
  const dir = makeTempDir('eventlog');
  try {
    const writer = new EventLogWriter({ dir, fileBytesMax: 1 << 20, flushIntervalMs: 60_000 }, 'a1');
    const bus = new EventBus(() => 1000);
    bus.subscribe((e) => writer.append(e));
    for (let i = 0; i < 5; i++) bus.emit(taskStart(i));
    assert.equal(statSync(writer.path).size, 0, 'task events are only buffered');
    bus.emit({ kind: 'job-end', jobId: 0, status: 'succeeded', durationMs: 5, metrics: {}, failure: null });
    const lines = readFileSync(writer.path, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'the file ends with a whole line');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).seq),
      [0, 1, 2, 3, 4, 5],
    );
    assert.deepEqual(JSON.parse(lines[0]!), { v: 1, seq: 0, timeMs: 1000, ...taskStart(0) });
    writer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a timer flushes a long job’s lines, and close flushes the rest', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  const dir = makeTempDir('eventlog');
  try {
    const writer = new EventLogWriter({ dir, fileBytesMax: 1 << 20, flushIntervalMs: 500 }, 'a2');
    const bus = new EventBus();
    bus.subscribe((e) => writer.append(e));
    bus.emit(taskStart(0));
    mock.timers.tick(499);
    assert.equal(statSync(writer.path).size, 0);
    mock.timers.tick(1);
    assert.equal(readFileSync(writer.path, 'utf8').split('\n').length, 2, 'one line after the tick');
    bus.emit(taskStart(1));
    writer.close();
    assert.equal(readFileSync(writer.path, 'utf8').split('\n').length, 3, 'close wrote the last line');
    bus.emit(taskStart(2));
    writer.close();
    assert.equal(readEventLogs(dir)[0]!.events.length, 2, 'events after close are dropped');
  } finally {
    mock.timers.reset();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parts rotate before they pass fileBytesMax, never splitting a line, and read back as one log', () => {
  const dir = makeTempDir('eventlog');
  try {
    const fileBytesMax = 4096;
    const writer = new EventLogWriter({ dir, fileBytesMax, flushIntervalMs: 60_000 }, 'a3');
    const bus = new EventBus();
    bus.subscribe((e) => writer.append(e));
    for (let i = 0; i < 200; i++) {
      bus.emit(taskStart(i));
      if (i % 50 === 49) writer.flush();
    }
    writer.close();
    const files = readdirSync(dir).sort();
    assert.ok(files.length >= 4, `200 lines of ~120 bytes need at least 6 parts of 4 KiB, found ${files.length}`);
    assert.equal(files[0], partFileName('a3', 0));
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.ok(Buffer.byteLength(text) <= fileBytesMax, `${file} is within the bound`);
      assert.ok(text.endsWith('\n'));
      for (const line of text.trim().split('\n')) JSON.parse(line);
    }
    const [log] = readEventLogs(dir);
    assert.equal(log!.appId, 'a3');
    assert.deepEqual(
      log!.events.map((e) => e.seq),
      Array.from({ length: 200 }, (_, i) => i),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lines joined in chunks keep non-ASCII text exact and rotate within fileBytesMax', () => {
  const dir = makeTempDir('eventlog');
  try {
    // Parts of 192 KiB hold a few chunks each; 6,000 lines (~1.5 MiB) also fill the 1 MiB buffer once.
    const fileBytesMax = 192 * 1024;
    const writer = new EventLogWriter({ dir, fileBytesMax, flushIntervalMs: 60_000 }, 'a5');
    const bus = new EventBus(() => 1764617400123);
    bus.subscribe((e) => writer.append(e));
    const message = (i: number) => `task ${i} failed: ünïcødé 🔥 "quoted" \u2028 ${'ж'.repeat(i % 97)}`;
    for (let i = 0; i < 6000; i++) {
      if (i % 3 === 0) bus.emit(taskStart(i));
      else {
        const failure = { name: 'Error', message: message(i), code: null, stack: null };
        bus.emit({
          ...taskStart(i),
          kind: 'task-end',
          durationMs: i / 1000,
          reason: 'exception',
          metrics: null,
          failure,
        });
      }
    }
    writer.close();
    const files = readdirSync(dir).sort();
    assert.ok(files.length >= 8, `~1.5 MiB need at least 8 parts of 192 KiB, found ${files.length}`);
    for (const file of files) {
      const bytes = statSync(join(dir, file)).size;
      assert.ok(
        bytes <= fileBytesMax && bytes > fileBytesMax / 2,
        `${file} (${bytes} bytes) is filled within the bound`,
      );
    }
    const events = readEventLogs(dir)[0]!.events;
    assert.equal(events.length, 6000);
    events.forEach((e, i) => {
      assert.equal(e.seq, i);
      if (i % 3 !== 0) assert.equal(e.kind === 'task-end' && e.failure?.message, message(i));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the reader names file and line of a bad line, refuses other versions, and skips a crash-cut last line', () => {
  const dir = makeTempDir('eventlog');
  try {
    const file = join(dir, partFileName('a4', 0));
    const good = JSON.stringify({ v: 1, seq: 0, timeMs: 1, kind: 'app-end', appId: 'a4' });
    writeFileSync(file, `${good}\n{"v":1,"seq":1,"timeMs":2,"kind":"app-end"}\n`);
    assert.throws(
      () => readEventLogs(dir),
      (error: unknown) =>
        error instanceof InputError &&
        error.code === 'ERR_INPUT_INVALID_RECORD' &&
        error.message ===
          `${file}:2: app-end event does not match schema version 1: appId: expected string, found undefined`,
    );
    writeFileSync(file, `${good}\n${good.replace('"v":1', '"v":2')}\n`);
    assert.throws(() => readEventLogs(dir), new RegExp(`${file}:2: expected event log version 1, found 2`));
    writeFileSync(file, `${good}\nnot json\n`);
    assert.throws(() => readEventLogs(dir), /:2: expected one JSON object per line, found "not json"/);
    writeFileSync(file, `${good}\n`);
    appendFileSync(file, good.slice(0, 20));
    const [log] = readEventLogs(dir);
    assert.equal(log!.events.length, 1);
    assert.equal(log!.truncated, true);
    appendFileSync(file, `\n${JSON.stringify({ v: 1, seq: 2, timeMs: 3, kind: 'from-a-later-minor-version' })}\n`);
    assert.throws(() => readEventLogs(dir), /:2: expected one JSON object per line/, 'a cut line inside the file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
