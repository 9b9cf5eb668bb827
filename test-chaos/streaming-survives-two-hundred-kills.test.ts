import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { seedFromEnvironment } from '../src/common/rng.js';
import { runKillSuite } from '../test/streaming/kill-runner.js';

/** Kills of the streaming kill -9 suite; `STREAM_KILLS=` overrides. */
const KILLS_MIN = Number(process.env['STREAM_KILLS'] ?? 200);

test(`chaos: a stateful streaming word count survives ${KILLS_MIN} SIGKILLs with byte-identical committed output`, async () => {
  const seed = seedFromEnvironment();
  console.log(`SEED=${seed}`);
  const result = await runKillSuite(seed, KILLS_MIN);
  console.log(`${result.kills} kills in ${result.scenarios} scenarios, ${result.mismatches.length} mismatches`);
  for (const mismatch of result.mismatches) console.log(`MISMATCH ${mismatch}`);
  assert.deepEqual(result.mismatches, [], `SEED=${seed}`);
});
