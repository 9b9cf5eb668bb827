import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { seedFromEnvironment } from '../src/common/rng.js';
import { runKillSuite } from '../test/streaming/kill-runner.js';
import { EVENT_WINDOW_COUNT } from '../test/streaming/event-windows-fixtures.js';

/** Kills of the streaming kill -9 suite; `STREAM_KILLS=` overrides. */
const KILLS_MIN = Number(process.env['STREAM_KILLS'] ?? 200);
/** Kills of the event-time window query; `WINDOW_KILLS=` overrides. */
const WINDOW_KILLS_MIN = Number(process.env['WINDOW_KILLS'] ?? 100);

test(`chaos: a stateful streaming word count survives ${KILLS_MIN} SIGKILLs with byte-identical committed output`, async () => {
  const seed = seedFromEnvironment();
  console.log(`SEED=${seed}`);
  const result = await runKillSuite(seed, KILLS_MIN);
  console.log(`${result.kills} kills in ${result.scenarios} scenarios, ${result.mismatches.length} mismatches`);
  for (const mismatch of result.mismatches) console.log(`MISMATCH ${mismatch}`);
  assert.deepEqual(result.mismatches, [], `SEED=${seed}`);
});

test(`chaos: an event-time window count survives ${WINDOW_KILLS_MIN} SIGKILLs with byte-identical committed output`, async () => {
  const seed = seedFromEnvironment();
  console.log(`SEED=${seed}`);
  const result = await runKillSuite(seed, WINDOW_KILLS_MIN, EVENT_WINDOW_COUNT);
  console.log(`${result.kills} kills in ${result.scenarios} scenarios, ${result.mismatches.length} mismatches`);
  for (const mismatch of result.mismatches) console.log(`MISMATCH ${mismatch}`);
  assert.deepEqual(result.mismatches, [], `SEED=${seed}`);
});
