// The native-bench report puts the previous run's figures beside the new ones (issue 11): the medians of each task
// and the peak RSS of each word count, read from the report the run replaces, here the committed RESULTS.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { previousFigures, renderReport, sectionsOf } from '../../native-bench/report.js';
import { profileOf } from '../../native-bench/profiles.js';

const committed = readFileSync(new URL('../../../native-bench/RESULTS.md', import.meta.url), 'utf8');

test('the medians of the replaced report are found by task name, the peak RSS by engine and threads', () => {
  const { medians, peakRss } = previousFigures(committed);
  const line = committed.split('\n').find((l) => l.startsWith('| engine columnar path, 2 threads | '));
  assert.ok(line !== undefined, 'RESULTS.md has the columnar 2-thread word count');
  assert.equal(medians.get('engine columnar path, 2 threads'), line.split('|')[2]!.trim());
  const rssLine = committed.split('\n').find((l) => /^\| columnar \| 2 \| /.test(l));
  assert.ok(rssLine !== undefined, 'RESULTS.md has the columnar 2-thread peak RSS');
  assert.equal(
    peakRss.get('columnar/2'),
    rssLine
      .split('|')
      .map((c) => c.trim())
      .find((c) => c.endsWith(' MiB')),
  );
  assert.equal(medians.has('engine'), false, 'ratio tables are not task rows');
});

test('a first run has no previous figures', () => {
  const { medians, peakRss } = previousFigures('');
  assert.equal(medians.size + peakRss.size, 0);
});

test('a rerun keeps, word for word, the sections of the replaced report that it did not write', () => {
  const results = {
    profile: profileOf('quick'),
    command: 'node dist/native-bench/run.js --only micro',
    startedAt: new Date(0),
    loadAtStart: [1, 1, 1],
    corpusNote: 'test corpus',
    groups: [],
    peakRss: [],
    roundTrip: null,
  };
  const first = renderReport(results);
  const written = sectionsOf(first).map((s) => s.heading);
  assert.deepEqual(written, ['## targets (issue 5)']);
  const handWritten = '## streaming (issue 9)\n\n| rows/s | 1 |\n|---|---:|\n\nmeasured by hand\n';
  const rerun = renderReport({ ...results, previous: `${first}\n${handWritten}` });
  assert.ok(rerun.includes(handWritten), 'the hand-written section is carried over unchanged');
  assert.equal(rerun.split('## targets (issue 5)').length, 2, 'a section this run wrote appears once, new');
  const again = renderReport({ ...results, previous: rerun });
  assert.equal(again.split('## streaming (issue 9)').length, 2, 'carried over once per run, never duplicated');
});
