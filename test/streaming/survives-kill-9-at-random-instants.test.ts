import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { seedFromEnvironment } from '../../src/common/rng.js';
import { runKillSuite } from './kill-runner.js';
import { EVENT_WINDOW_COUNT } from './event-windows-fixtures.js';

// A handful of kills in npm test; `npm run test:chaos` runs hundreds (test-chaos/).
test('a stateful streaming word count killed with SIGKILL at random instants commits exactly the output of a run never killed', async () => {
  const seed = seedFromEnvironment();
  console.log(`SEED=${seed}`);
  const result = await runKillSuite(seed, 4);
  console.log(`${result.kills} kills in ${result.scenarios} scenarios, ${result.mismatches.length} mismatches`);
  assert.deepEqual(result.mismatches, [], `SEED=${seed}`);
});

test('an event-time window count killed with SIGKILL at random instants commits exactly the output of a run never killed', async () => {
  const seed = seedFromEnvironment();
  console.log(`SEED=${seed}`);
  const result = await runKillSuite(seed, 4, EVENT_WINDOW_COUNT);
  console.log(`${result.kills} kills in ${result.scenarios} scenarios, ${result.mismatches.length} mismatches`);
  assert.deepEqual(result.mismatches, [], `SEED=${seed}`);
});
