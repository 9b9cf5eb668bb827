import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFaults, chooseFault, faultBlockIndex, type FaultsOption } from '../../src/common/faults.js';
import { OptionsError } from '../../src/common/errors.js';
import { resolveContextOptions } from '../../src/common/options.js';
import { Context } from '../../src/index.js';

const site = (stageId: number, partition: number, attempt: number, writesShuffle = false) => ({
  stageId,
  partition,
  attempt,
  writesShuffle,
});

test('the same seed and site always give the same fault; another seed gives other faults', () => {
  const faults: FaultsOption = { seed: 11, rules: [{ kind: 'throw', probability: 0.5 }] };
  const draws = (f: FaultsOption) =>
    Array.from({ length: 200 }, (_, i) => chooseFault(f, site(i % 5, i, i % 3)) !== null);
  assert.deepEqual(draws(faults), draws({ ...faults }));
  assert.notDeepEqual(draws(faults), draws({ ...faults, seed: 12 }));
});

test('the fraction of attempts that get a fault is close to the probability', () => {
  for (const p of [0.01, 0.1, 0.3]) {
    const faults: FaultsOption = { seed: 3, rules: [{ kind: 'crash', probability: p }] };
    let hits = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (chooseFault(faults, site(i % 7, i, 0)) !== null) hits++;
    const sigma = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(hits - n * p) < 5 * sigma, `p=${p}: ${hits} of ${n}`);
  }
});

test('filters pick stage, partition and attempt; block faults only hit shuffle map tasks', () => {
  const faults: FaultsOption = {
    seed: 1,
    rules: [
      { kind: 'hang', stage: 2, partition: 1, attempt: 0 },
      { kind: 'lose-block', partition: 3 },
    ],
  };
  assert.equal(chooseFault(faults, site(2, 1, 0))?.kind, 'hang');
  assert.equal(chooseFault(faults, site(2, 1, 1)), null);
  assert.equal(chooseFault(faults, site(1, 1, 0)), null);
  assert.equal(chooseFault(faults, site(0, 3, 0, false)), null);
  assert.equal(chooseFault(faults, site(0, 3, 5, true))?.kind, 'lose-block');
  assert.equal(chooseFault(null, site(2, 1, 0)), null);
});

test('a block fault hits a non-empty block, or nothing when all are empty', () => {
  const fault = { kind: 'corrupt-block', crash: 'exit', salt: 7 } as const;
  assert.equal(faultBlockIndex(fault, [0, 0, 0]), null);
  assert.equal(faultBlockIndex(fault, [0, 5, 0]), 1);
  const index = faultBlockIndex(fault, [3, 0, 2, 9]);
  assert.ok(index === 0 || index === 2 || index === 3);
});

test('bad fault options are OptionsErrors naming the field', () => {
  assert.throws(
    () => checkFaults({ seed: 1, rules: [{ kind: 'explode' }] }),
    /faults\.rules\[0\]\.kind must be one of/,
  );
  assert.throws(() => checkFaults({ seed: 1, rules: [{ kind: 'throw', probability: 2 }] }), OptionsError);
  assert.throws(() => checkFaults({ seed: 'x', rules: [] }), /faults\.seed must be an integer/);
  assert.throws(
    () => new Context({ threads: 0, faults: { seed: 1, rules: [{ kind: 'throw', stage: -1 }] } }),
    /stage must be an integer >= 0/,
  );
});

test('an oom rule for worker threads with workerHeapMbMax 0 (no limit) is refused when set, naming the rule and the option', async () => {
  const faults = { seed: 1, rules: [{ kind: 'throw' as const }, { kind: 'oom' as const, partition: 0 }] };
  assert.throws(
    () => resolveContextOptions({ threads: 2, workerHeapMbMax: 0, faults }),
    /faults\.rules\[1\] injects an oom, which needs a heap limit for worker threads: set the Context option workerHeapMbMax/,
  );
  // With a limit, or inline (no threads: the heap is kept), it is accepted.
  assert.equal(resolveContextOptions({ threads: 2, workerHeapMbMax: 64, faults }).faults?.rules.length, 2);
  // The default limit is one.
  assert.equal(resolveContextOptions({ threads: 2, faults }).faults?.rules.length, 2);
  assert.equal(resolveContextOptions({ threads: 0, faults }).faults?.rules.length, 2);
  const kc = new Context({ threads: 0 });
  try {
    kc.setFaults(faults);
  } finally {
    await kc.stop();
  }
  const pooled = new Context({ threads: 1, workerHeapMbMax: 0 });
  try {
    assert.throws(() => pooled.setFaults(faults), OptionsError);
  } finally {
    await pooled.stop();
  }
});
