// The console progress bar (drawn by cli-progress) shows Spark's `[Stage 3:=====>     (12 + 2) / 32]` with the
// stage's bytes read and elapsed time on one terminal line, redraws at most 10 times a second (timer-driven,
// tested with mocked timers and clock), fits the terminal width, erases itself as soon as the stage completes,
// and draws nothing for a Context whose stderr is no TTY.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';

import { EventBus } from '../../src/events/event-bus.js';
import { ConsoleProgressBar, drawStageProgress, type StageProgressView } from '../../src/ui/progress-bar.js';
import { Context } from '../../src/index.js';
import { ScreenLine } from './screen-line.js';

test('redraws on a 100 ms timer, only when the text changed, and erases the line when the stage completes', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  try {
    const screen = new ScreenLine(80);
    const bar = new ConsoleProgressBar(screen);
    mock.timers.tick(100);
    assert.equal(screen.writes, 0, 'nothing to draw before the first event');
    bar.update({ stageId: 3, total: 32, done: 0, running: 2 });
    assert.equal(screen.text, `[Stage 3:${' '.repeat(40)} (0 + 2) / 32] 0 B read, 0.0 s`, 'drawn when it starts');
    const writesAtStart = screen.writes;
    for (let done = 1; done < 12; done++) bar.update({ stageId: 3, total: 32, done, running: 2 });
    bar.addBytesRead(1536);
    assert.equal(screen.writes, writesAtStart, 'eleven events and bytes, no draw before the tick');
    mock.timers.tick(3400);
    const expected = `[Stage 3:${'='.repeat(11)}>${' '.repeat(23)} (11 + 2) / 32] 1.5 KiB read, 3.4 s`;
    assert.equal(screen.text, expected);
    assert.equal(expected.length, 79, 'as wide as the terminal allows without wrapping');
    const writesNow = screen.writes;
    bar.update({ stageId: 3, total: 32, done: 11, running: 2 });
    mock.timers.tick(99);
    assert.equal(screen.writes, writesNow, 'at most one draw per 100 ms');
    bar.update({ stageId: 3, total: 32, done: 32, running: 0 });
    assert.equal(screen.text, '', 'a completed stage is erased at once');
    const writesDone = screen.writes;
    mock.timers.tick(1000);
    assert.equal(screen.writes, writesDone, 'nothing drawn after completion');
    bar.update({ stageId: 4, total: 2, done: 0, running: 1 });
    assert.match(screen.text, /^\[Stage 4: +\(0 \+ 1\) \/ 2\] 0 B read, 0\.0 s$/, 'the next stage starts afresh');
    bar.stop();
    assert.equal(screen.text, '', 'stop erases the line');
    const writesStopped = screen.writes;
    bar.stop();
    mock.timers.tick(1000);
    assert.equal(screen.writes, writesStopped, 'stop is idempotent and stops the timer');
  } finally {
    mock.timers.reset();
  }
});

test('fits a narrow terminal, and treats a size of 0 columns as 80', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    const narrow = new ScreenLine(30);
    const bar = new ConsoleProgressBar(narrow);
    bar.update({ stageId: 12, total: 1000, done: 10, running: 4 });
    assert.equal(narrow.text, '[Stage 12: (10 + 4) / 1000]');
    bar.stop();
    const sizeless = new ScreenLine(0);
    const other = new ConsoleProgressBar(sizeless);
    other.update({ stageId: 0, total: 8, done: 4, running: 1 });
    assert.equal(sizeless.text.length <= 79, true, `fits 79 columns: ${sizeless.text}`);
    assert.match(sizeless.text, /^\[Stage 0:=+> +\(4 \+ 1\) \/ 8\] 0 B read, 0\.0 s$/);
    other.stop();
  } finally {
    mock.timers.reset();
  }
});

test("shows a Context's bytes read from task facts, asked of the bus once per redraw, and from task-end events", () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  try {
    const screen = new ScreenLine(80);
    const bus = new EventBus(() => Date.now());
    const listeners = new Set<(progress: StageProgressView) => void>();
    const stop = drawStageProgress(new ConsoleProgressBar(screen), bus, (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    });
    const progress = (done: number, running: number): void => {
      for (const listener of listeners) listener({ stageId: 1, total: 4, done, running });
    };
    const counters = (bytesRead: number) => ({
      recordsWritten: 1,
      bytesRead,
      bytesWritten: 0,
      durationMs: 1,
      shuffleReadBytes: 0,
      spillBytes: 0,
      gcMs: 0,
      threadId: 1,
    });
    progress(0, 2);
    bus.taskStarted(0, 1, 10, 0, 0, false);
    bus.taskStarted(0, 1, 11, 1, 0, false);
    bus.taskSucceeded(0, 1, 10, 0, 0, false, 1, counters(1024));
    progress(1, 1);
    mock.timers.tick(100);
    assert.match(screen.text, /\(1 \+ 1\) \/ 4\] 0 B read/, 'the fact waits in its batch within the interval');
    progress(1, 1);
    mock.timers.tick(100);
    assert.match(screen.text, /\(1 \+ 1\) \/ 4\] 1\.0 KiB read/, 'handed on at the next report after 100 ms');
    bus.emit({
      kind: 'task-end',
      jobId: 0,
      stageId: 1,
      taskId: 11,
      partition: 1,
      attempt: 0,
      speculative: false,
      durationMs: 1,
      reason: 'success',
      metrics: { ...counters(2048), executorMs: 1, operatorRows: [{ op: 'scan', rows: 1 }] },
      failure: null,
    });
    progress(2, 0);
    mock.timers.tick(100);
    assert.match(screen.text, /\(2 \+ 0\) \/ 4\] 3\.0 KiB read/, 'an end that comes as an event counts at once');
    stop();
    assert.equal(screen.text, '', 'stopping erases the line');
    assert.equal(bus.active, false, 'and leaves the bus');
  } finally {
    mock.timers.reset();
  }
});

test("progress 'auto' draws nothing when stderr is not a terminal", async () => {
  assert.notEqual(process.stderr.isTTY, true, 'the test runner gives tests a pipe, not a terminal');
  // Warnings queued by the tests above (MockTimers' ExperimentalWarning, emitted on a later tick) print first: the
  // job below crosses the event loop (the executor's modules load on first use), and they would land in `writes`.
  await new Promise((resolve) => setImmediate(resolve));
  const writes: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const kc = new Context({ threads: 0 });
    assert.equal(kc.options.progress, 'auto');
    assert.equal(await kc.range(0, 100, 1, 4).count(), 100);
    await kc.stop();
  } finally {
    process.stderr.write = write;
  }
  assert.deepEqual(writes, []);
});
