import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { seedFromEnvironment } from '../src/common/rng.js';
import { serversAvailable } from '../test/streaming/external-servers.js';
import { runPostgresKillSuite } from '../test/streaming/jetstream-postgres-kill-runner.js';

/** Kills of the JetStream → PostgreSQL kill -9 suite; `PG_KILLS=` overrides. */
const KILLS_MIN = Number(process.env['PG_KILLS'] ?? 50);

test(`chaos: JetStream to PostgreSQL survives ${KILLS_MIN} SIGKILLs with the table of a run never killed and no prepared transaction left`, async (t) => {
  if (!(await serversAvailable(t))) return;
  const seed = seedFromEnvironment();
  console.log(`SEED=${seed}`);
  const result = await runPostgresKillSuite(seed, KILLS_MIN);
  console.log(
    `${result.kills} kills in ${result.scenarios} scenarios, ${result.rowsCompared} rows compared, ${result.mismatches.length} mismatches`,
  );
  for (const mismatch of result.mismatches) console.log(`MISMATCH ${mismatch}`);
  assert.deepEqual(result.mismatches, [], `SEED=${seed}`);
});
