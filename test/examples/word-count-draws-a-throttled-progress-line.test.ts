// The progress line shows stage, done+running/total and elapsed time on one terminal line, redraws at most 10
// times a second (timer-driven, tested with mocked timers), fits the terminal width and erases itself at the end.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';

import { ProgressLine } from '../../examples/word-count/progress-line.js';

function fakeTerminal(columns?: number): { writes: string[]; write(text: string): void; columns?: number } {
  const writes: string[] = [];
  return { writes, write: (text: string) => void writes.push(text), ...(columns === undefined ? {} : { columns }) };
}

test('redraws on a 100 ms timer, only when the text changed, and erases the line on stop', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    let nowMs = 1000;
    const terminal = fakeTerminal(80);
    const progress = new ProgressLine(terminal, () => nowMs);
    mock.timers.tick(100);
    assert.deepEqual(terminal.writes, [], 'nothing to draw before the first event');
    for (let done = 0; done < 50; done++)
      progress.update({ stageId: 1, label: 'reduceByKey', total: 50, done, running: 2 });
    nowMs += 1234;
    mock.timers.tick(100);
    assert.deepEqual(
      terminal.writes,
      ['\rstage 1 reduceByKey: 49+2/50 tasks, 1.2 s\x1b[K'],
      'fifty events, one redraw',
    );
    mock.timers.tick(100);
    assert.equal(terminal.writes.length, 1, 'same text, no redraw');
    progress.stop();
    assert.equal(terminal.writes.at(-1), '\r\x1b[2K');
    mock.timers.tick(1000);
    assert.equal(terminal.writes.length, 2, 'no redraw after stop');
  } finally {
    mock.timers.reset();
  }
});

test('fits a narrow terminal, and treats a size of 0 columns as 80', () => {
  const narrow = new ProgressLine(fakeTerminal(20), () => 0);
  narrow.update({ stageId: 12, label: 'sortByKey (map side)', total: 1000, done: 10, running: 4 });
  assert.equal(narrow.render(), 'stage 12 sortByKey…');
  narrow.stop();
  const sizeless = new ProgressLine(fakeTerminal(0), () => 0);
  sizeless.update({ stageId: 0, label: 'values', total: 8, done: 8, running: 0 });
  assert.equal(sizeless.render(), 'stage 0 values: 8+0/8 tasks, 0.0 s');
  sizeless.stop();
});
