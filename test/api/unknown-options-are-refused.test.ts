import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { col, Context, length, OptionsError, PlanError } from '../../src/index.js';
import type { ContextOptions } from '../../src/index.js';
import { rejectsWith, temporaryDirectory, throwsWith } from './helpers.js';

/**
 * Every options object kindling takes refuses a key that is no option (issue 14): plain JavaScript has no compiler
 * to catch `{ thredas: 2 }`, and an ignored typo leaves the user believing the option is in force. The error is an
 * OptionsError `ERR_OPTIONS_UNKNOWN` that starts with the call, names the key and the closest known option, and
 * lists the known ones.
 */

const dir = temporaryDirectory('unknown-options');
let kc: Context;
let input: string;
before(() => {
  kc = new Context({ threads: 0, checkpointDir: join(dir(), 'checkpoints') });
  input = join(dir(), 'input.txt');
  writeFileSync(input, 'a b\nc\n');
});
after(() => kc.stop());

/** Options typed loosely on purpose: these are the calls a JavaScript user can write. */
type Loose = any;

interface Row {
  /** How the message starts: the call as the user wrote it. */
  readonly label: string;
  /** The options with the typo, and the option it should suggest (null: nothing is close). */
  readonly options: Record<string, unknown>;
  readonly closest: string | null;
  /** One known option that the message must list. */
  readonly known: string;
  readonly call: (options: Loose) => unknown;
}

const pairs = () => kc.parallelize([['a', 1] as [string, number]]);
const ROWS: readonly Row[] = [
  {
    label: 'new Context()',
    options: { thredas: 2 },
    closest: 'threads',
    known: 'memoryBytesMax',
    call: (o) => new Context(o as ContextOptions),
  },
  {
    label: 'new Context()',
    options: { verbose: true },
    closest: null,
    known: 'threads',
    call: (o) => new Context(o as ContextOptions),
  },
  {
    label: 'new Context()',
    options: { tmpdir: '/tmp' },
    closest: 'tmpDir',
    known: 'seed',
    call: (o) => new Context(o as ContextOptions),
  },
  {
    label: 'Context option speculation',
    options: { quantil: 0.5 },
    closest: 'quantile',
    known: 'minTaskMs',
    call: (o) => new Context({ threads: 0, speculation: o }),
  },
  {
    label: 'faults',
    options: { sed: 1, rules: [] },
    closest: 'seed',
    known: 'rules',
    call: (o) => new Context({ threads: 0, faults: o }),
  },
  {
    label: 'faults.rules[0]',
    options: { kind: 'throw', partiton: 0 },
    closest: 'partition',
    known: 'probability',
    call: (o) => kc.setFaults({ seed: 1, rules: [o] }),
  },
  {
    label: 'textFile()',
    options: { minPartition: 2 },
    closest: 'minPartitions',
    known: 'minPartitions',
    call: (o) => kc.textFile(input, o),
  },
  {
    label: 'readText()',
    options: { minpartitions: 2 },
    closest: 'minPartitions',
    known: 'minPartitions',
    call: (o) => kc.readText(input, o),
  },
  {
    label: 'readCsv()',
    options: { inferschema: true },
    closest: 'inferSchema',
    known: 'lineBytesMax',
    call: (o) => kc.readCsv(input, o),
  },
  {
    label: 'readCsv()',
    options: { multiline: true },
    closest: 'multiLine',
    known: 'nullValue',
    call: (o) => kc.read.csv(input, o),
  },
  {
    label: 'readJson()',
    options: { shema: { a: 'int' } },
    closest: 'schema',
    known: 'lineBytesMax',
    call: (o) => kc.readJson(input, o),
  },
  {
    label: 'readJson()',
    options: { mdoe: 'FAILFAST' },
    closest: 'mode',
    known: 'minPartitions',
    call: (o) => kc.read.jsonl(input, o),
  },
  {
    label: 'fromColumns()',
    options: { numPartiton: 2 },
    closest: 'numPartitions',
    known: 'numPartitions',
    call: (o) => kc.fromColumns({ a: [1, 2] }, o),
  },
  {
    label: 'groupBy()',
    options: { partitions: 2 },
    closest: 'numPartitions',
    known: 'numPartitions',
    call: (o) => kc.fromColumns({ a: [1, 2] }).groupBy('a', o),
  },
  {
    label: 'length()',
    options: { units: 'code-points' },
    closest: 'unit',
    known: 'unit',
    call: (o) => length(col('a'), o),
  },
  {
    label: 'map()',
    options: { determinstic: false },
    closest: 'deterministic',
    known: 'deterministic',
    call: (o) => kc.range(3).map((x) => x, {}, o),
  },
  {
    label: 'flatMap()',
    options: { Deterministic: false },
    closest: 'deterministic',
    known: 'deterministic',
    call: (o) => kc.range(3).flatMap((x) => [x], {}, o),
  },
  {
    label: 'filter()',
    options: { deterministc: false },
    closest: 'deterministic',
    known: 'deterministic',
    call: (o) => kc.range(3).filter((x) => x > 0, {}, o),
  },
  {
    label: 'keyBy()',
    options: { deterministic: true, seed: 1 },
    closest: null,
    known: 'deterministic',
    call: (o) => kc.range(3).keyBy((x) => x, {}, o),
  },
  {
    label: 'mapValues()',
    options: { determinisitc: false },
    closest: 'deterministic',
    known: 'deterministic',
    call: (o) => pairs().mapValues((v) => v, {}, o),
  },
  {
    label: 'flatMapValues()',
    options: { determinstic: false },
    closest: 'deterministic',
    known: 'deterministic',
    call: (o) => pairs().flatMapValues((v) => [v], {}, o),
  },
  {
    label: 'mapPartitions()',
    options: { preservePartitioning: true },
    closest: 'preservesPartitioning',
    known: 'deterministic',
    call: (o) => kc.range(3).mapPartitions((it) => it, {}, o),
  },
  {
    label: 'mapPartitionsWithIndex()',
    options: { preservesPartitionning: true },
    closest: 'preservesPartitioning',
    known: 'deterministic',
    call: (o) => kc.range(3).mapPartitionsWithIndex((_i, it) => it, {}, o),
  },
  {
    label: 'saveAsTextFile()',
    options: { overwite: true },
    closest: 'overwrite',
    known: 'overwrite',
    call: (o) => kc.range(3).saveAsTextFile(join(dir(), 'out'), o),
  },
  {
    label: 'checkpoint()',
    options: { eagre: true },
    closest: 'eager',
    known: 'eager',
    call: (o) => kc.range(3).checkpoint(o),
  },
  {
    label: 'localCheckpoint()',
    options: { eager: true, eagerly: true },
    closest: 'eager',
    known: 'eager',
    call: (o) => kc.range(3).localCheckpoint(o),
  },
  {
    label: 'stop()',
    options: { cleanCheckpoint: true },
    closest: 'cleanCheckpoints',
    known: 'cleanCheckpoints',
    call: (o) => kc.stop(o),
  },
];

for (const row of ROWS) {
  const [key] = Object.keys(row.options).filter((k) => k !== row.known && k !== 'kind' && k !== 'rules');
  const expected = row.closest === null ? 'lists the known ones' : `suggests '${row.closest}'`;
  test(`${row.label} refuses unknown option '${key}' and ${expected}`, async () => {
    const error = await rejectsWith(
      Promise.resolve().then(() => row.call(row.options)),
      OptionsError,
      'ERR_OPTIONS_UNKNOWN',
    );
    assert.ok(error.message.startsWith(`${row.label}: `), error.message);
    const named = row.closest === null ? `'${key}' (` : `'${key}': did you mean '${row.closest}'?`;
    assert.ok(error.message.includes(`unknown option ${named}`), error.message);
    assert.match(error.message, new RegExp(`known options: [^)]*\\b${row.known}\\b`));
  });
}

test('a refused saveAsTextFile() leaves nothing behind and the Context keeps working', async () => {
  await rejectsWith(
    Promise.resolve().then(() => kc.range(3).saveAsTextFile(join(dir(), 'nothing'), { overwite: true } as Loose)),
    OptionsError,
    'ERR_OPTIONS_UNKNOWN',
  );
  assert.equal(existsSync(join(dir(), 'nothing')), false);
  assert.deepEqual(
    readdirSync(dir()).filter((name) => name.includes('kindling')),
    [],
  );
  assert.equal(kc.stopped, false, 'stop() with an unknown option refused before stopping');
  assert.equal(await kc.range(3).count(), 3);
});

test('every unknown key is named, not only the first', () => {
  const error = throwsWith(
    () => new Context({ thredas: 2, seeds: 1 } as ContextOptions),
    OptionsError,
    'ERR_OPTIONS_UNKNOWN',
  );
  assert.match(error.message, /unknown options 'thredas': did you mean 'threads'\?, 'seeds': did you mean 'seed'\?/);
});

test('a key set to undefined is still an unknown option', () => {
  throwsWith(() => kc.textFile(input, { minPartition: undefined } as Loose), OptionsError, 'ERR_OPTIONS_UNKNOWN');
});

test('options that are not an object are refused as invalid', () => {
  for (const value of [3, 'eager', [1], null]) {
    const error = throwsWith(() => kc.textFile(input, value as Loose), OptionsError, 'ERR_OPTIONS_INVALID');
    assert.match(error.message, /^textFile\(\): options must be an object, found /);
  }
});

test('a misspelt storage level names the closest one', () => {
  const error = throwsWith(
    () => kc.range(3).persist('MEMORY_AND_DSK' as Loose),
    PlanError,
    'ERR_PLAN_INVALID_ARGUMENT',
  );
  assert.match(error.message, /found "MEMORY_AND_DSK": did you mean 'MEMORY_AND_DISK'\?/);
});

test('known options still work everywhere', async () => {
  assert.equal(await kc.textFile(input, { minPartitions: 3 }).count(), 2);
  assert.equal(
    await kc
      .range(4)
      .map((x) => x * 2, {}, { deterministic: true })
      .count(),
    4,
  );
  assert.equal(
    await kc
      .range(4)
      .localCheckpoint({ eager: true })
      .then((rdd) => rdd.count()),
    4,
  );
});

test("ds.write refuses an option of no format when saving, writes nothing, and takes Spark's sep", async () => {
  const ds = kc.fromColumns({ a: [1, 2], b: ['x', 'y'] }, { numPartitions: 1 });
  const out = join(dir(), 'written-csv');
  const error = await rejectsWith(
    ds.write.format('csv').option('compression', 'gzip').save(out),
    OptionsError,
    'ERR_OPTIONS_UNKNOWN',
  );
  assert.ok(error.message.startsWith("write.format('csv').option(): unknown option 'compression'"), error.message);
  assert.equal(existsSync(out), false);
  await ds.write.format('csv').option('sep', ';').option('header', true).save(out);
  assert.equal(readFileSync(join(out, 'part-00000.csv'), 'utf8'), 'a;b\n1;x\n2;y\n');
  // Another format's option is ignored, as Spark does: one writer may switch formats.
  await ds.write.format('parquet').option('header', true).save(join(dir(), 'written-parquet'));
  assert.equal(await kc.read.parquet(join(dir(), 'written-parquet')).count(), 2);
});
