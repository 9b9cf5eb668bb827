// The console progress bar draws Spark's `[Stage 3:=====>     (12 + 2) / 32]` with bytes read and elapsed time on
// one terminal line, redraws at most 10 times a second (timer-driven, tested with mocked timers), fits the terminal
// width, erases itself as soon as the stage completes, and draws nothing for a Context whose stderr is no TTY.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';

import { ConsoleProgressBar } from '../../src/ui/progress-bar.js';
import { Context } from '../../src/index.js';

function fakeTerminal(columns?: number): { writes: string[]; write(text: string): void; columns?: number } {
  const writes: string[] = [];
  return { writes, write: (text: string) => void writes.push(text), ...(columns === undefined ? {} : { columns }) };
}

test('redraws on a 100 ms timer, only when the text changed, and erases the line when the stage completes', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    let nowMs = 1000;
    const terminal = fakeTerminal(80);
    const bar = new ConsoleProgressBar(terminal, () => nowMs);
    mock.timers.tick(100);
    assert.deepEqual(terminal.writes, [], 'nothing to draw before the first event');
    for (let done = 0; done < 12; done++) bar.update({ stageId: 3, total: 32, done, running: 2 });
    bar.addBytesRead(1536);
    nowMs += 3400;
    mock.timers.tick(100);
    assert.equal(terminal.writes.length, 1, 'twelve events, one redraw');
    const expected = `[Stage 3:${'='.repeat(11)}>${' '.repeat(23)} (11 + 2) / 32] 1.5 KiB read, 3.4 s`;
    assert.equal(terminal.writes[0], `\r${expected}\x1b[K`);
    assert.equal(expected.length, 79, 'as wide as the terminal allows without wrapping');
    mock.timers.tick(100);
    assert.equal(terminal.writes.length, 1, 'same text, no redraw');
    bar.update({ stageId: 3, total: 32, done: 32, running: 0 });
    assert.equal(terminal.writes.at(-1), '\r\x1b[2K', 'a completed stage is erased at once');
    mock.timers.tick(1000);
    assert.equal(terminal.writes.length, 2, 'nothing to draw after completion');
    bar.stop();
    assert.equal(terminal.writes.length, 2, 'stop erases nothing twice');
  } finally {
    mock.timers.reset();
  }
});

test('fits a narrow terminal, and treats a size of 0 columns as 80', () => {
  const narrow = new ConsoleProgressBar(fakeTerminal(30), () => 0);
  narrow.update({ stageId: 12, total: 1000, done: 10, running: 4 });
  assert.equal(narrow.render(), '[Stage 12: (10 + 4) / 1000]');
  narrow.stop();
  const sizeless = new ConsoleProgressBar(fakeTerminal(0), () => 0);
  sizeless.update({ stageId: 0, total: 8, done: 4, running: 1 });
  const text = sizeless.render();
  assert.equal(text.length <= 79, true, `fits 79 columns: ${text}`);
  assert.match(text, /^\[Stage 0:=+> +\(4 \+ 1\) \/ 8\] 0 B read, 0\.0 s$/);
  sizeless.stop();
});

test("progress 'auto' draws nothing when stderr is not a terminal", async () => {
  assert.notEqual(process.stderr.isTTY, true, 'the test runner gives tests a pipe, not a terminal');
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
