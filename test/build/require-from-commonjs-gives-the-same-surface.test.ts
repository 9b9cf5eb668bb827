// A CommonJS program can `require('kindling')` (Node >= 20.19 / 22.12, which can require an ES module): package.json's
// "require" condition names the public surface (src/surface.ts), whose graph has no top-level await, not the entry
// (src/index.ts), whose fallback for an older Node awaits an import and so cannot be required. Before, a require
// failed with "No \"exports\" main defined". Both ways give the same module instances: a program that imports
// kindling in one file and requires it in another has one Context class, not two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const canRequireEsm = process.features.require_module === true;

test(
  "require('kindling') from CommonJS runs a job, with the same classes import('kindling') gives",
  { skip: !canRequireEsm },
  () => {
    // A fresh process whose working folder is the package's, so 'kindling' resolves to this package by its name
    // through package.json's exports, as it does from a user's node_modules.
    const program = `
      const kindling = require('kindling');
      (async () => {
        const kc = new kindling.Context({ threads: 0 });
        const doubled = await kc.parallelize([1, 2, 3], 2).map((x) => x * 2).collect();
        const sums = await kc.fromColumns({ k: ['a', 'b', 'a'], v: new Float64Array([1, 2, 3]) })
          .groupBy('k').agg(kindling.sum('v')).orderBy('k').collect();
        await kc.stop();
        const imported = await import('kindling');
        console.log(JSON.stringify({ doubled, sums, same: imported.Context === kindling.Context && imported.col === kindling.col }));
      })().catch((error) => { console.error(error); process.exit(1); });`;
    const out = execFileSync(process.execPath, ['-e', program], { cwd: REPOSITORY, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), {
      doubled: [2, 4, 6],
      sums: [
        { k: 'a', 'sum(v)': 4 },
        { k: 'b', 'sum(v)': 2 },
      ],
      same: true,
    });
  },
);
