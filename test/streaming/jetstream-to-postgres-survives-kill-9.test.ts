import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { seedFromEnvironment } from '../../src/common/rng.js';
import { serversAvailable } from './external-servers.js';
import { runPostgresKillSuite } from './jetstream-postgres-kill-runner.js';

// A few kills in npm test; `npm run test:chaos` runs at least 50 (test-chaos/).
test('JetStream to PostgreSQL killed with SIGKILL at random instants leaves exactly the table of a run never killed, and no prepared transaction', async (t) => {
  if (!(await serversAvailable(t))) return;
  const seed = seedFromEnvironment();
  console.log(`SEED=${seed}`);
  const result = await runPostgresKillSuite(seed, 4);
  console.log(
    `${result.kills} kills in ${result.scenarios} scenarios, ${result.rowsCompared} rows compared, ${result.mismatches.length} mismatches`,
  );
  assert.deepEqual(result.mismatches, [], `SEED=${seed}`);
});
