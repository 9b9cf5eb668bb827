import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { makeTempDir } from '../support/temp-dir.js';

const INDEX_URL = new URL('../../src/index.js', import.meta.url).href;

/**
 * Runs a query in a child process whose module resolution cannot find `hidden` (an ESM resolve hook), as on a
 * machine where the optional package is not installed; returns what the query's failure said.
 */
function failureWithout(hidden: readonly string[], query: string): string {
  const hook = `export async function resolve(specifier, context, next) {
    if (${JSON.stringify(hidden)}.includes(specifier)) throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' });
    return next(specifier, context);
  }`;
  const script = `
    import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    const { Context } = await import(${JSON.stringify(INDEX_URL)});
    const kc = new Context({ threads: 0 });
    try {
      ${query}
      await query.awaitTermination();
      console.log('no error');
    } catch (error) {
      console.log(error.constructor.name + ' ' + error.code + ': ' + error.message);
    } finally {
      await kc.stop();
    }`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

test("format('postgres') without the pg package fails with ERR_MISSING_PACKAGE saying what to install", () => {
  const said = failureWithout(
    ['pg'],
    `const input = kc.readStream.memory(); input.addData(1);
     const query = input.writeStream.format('postgres').option('table', 't')
       .option('checkpointLocation', ${JSON.stringify(makeTempDir('missing-pg'))}).trigger({ availableNow: true }).start();`,
  );
  assert.equal(
    said,
    "MissingPackageError ERR_MISSING_PACKAGE: format('postgres') needs the 'pg' package: npm install pg",
  );
});

test('readStream.jetstream() without the NATS packages fails with ERR_MISSING_PACKAGE saying what to install', () => {
  const said = failureWithout(
    ['@nats-io/transport-node', '@nats-io/jetstream'],
    `const query = kc.readStream.jetstream({ servers: 'nats://127.0.0.1:4222', stream: 'S' })
       .writeStream.format('memory').queryName('m').trigger({ availableNow: true }).start();`,
  );
  assert.equal(
    said,
    "MissingPackageError ERR_MISSING_PACKAGE: readStream.jetstream() needs the '@nats-io/transport-node' package: npm install @nats-io/transport-node",
  );
});
