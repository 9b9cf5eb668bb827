// The native-bench report puts the previous run's figures beside the new ones (issue 11): the medians of each task
// and the peak RSS of each word count, read from the report the run replaces, here the committed RESULTS.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { previousFigures } from '../../native-bench/report.js';

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
