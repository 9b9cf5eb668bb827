import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeSource,
  CAPTURE_ANALYSIS_CACHE_ENTRIES_MAX,
  captureAnalysisCacheSize,
} from '../../src/plan/capture-analysis.js';

test('the same source text gives the same cached analysis object', () => {
  const source = '(x) => x + cachedName';
  assert.equal(analyzeSource(source), analyzeSource(source));
});

test('the cache holds at most CAPTURE_ANALYSIS_CACHE_ENTRIES_MAX sources', () => {
  for (let i = 0; i < CAPTURE_ANALYSIS_CACHE_ENTRIES_MAX + 50; i += 1) analyzeSource(`(x) => x + ${i}`);
  assert.equal(captureAnalysisCacheSize(), CAPTURE_ANALYSIS_CACHE_ENTRIES_MAX);
  // Recent entries survive; the analysis stays correct after eviction.
  const again = analyzeSource('(x) => x + cachedName');
  assert.ok(again.kind === 'function');
  assert.deepEqual([...again.free.keys()], ['cachedName']);
});
