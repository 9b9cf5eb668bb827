import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, OptionsError } from '../../src/index.js';
import type { ContextOptions } from '../../src/index.js';
import { resolveContextOptions } from '../../src/common/resolve-options.js';
import { BACKENDS, throwsWith } from './helpers.js';

/** Context options are checked when the Context is made: an OptionsError that names the option and the value. */

const BAD_OPTIONS: readonly [keyof ContextOptions, unknown][] = [
  ['threads', -1],
  ['threads', 1.5],
  ['threads', '2'],
  ['taskAttemptsMax', 0],
  ['taskAttemptsMax', -3],
  ['memoryBytesMax', 'x'],
  ['memoryBytesMax', 0],
  ['shuffleMemoryBytesMax', -1],
  ['shuffleMemoryBytesMax', '64MiB'],
  ['defaultParallelism', 0],
  ['taskTimeoutMs', -1],
  ['workerHeapMbMax', Number.NaN],
  ['seed', 0.5],
  ['tmpDir', ''],
  ['tmpDir', 42],
];

for (const [name, value] of BAD_OPTIONS) {
  test(`${name}: ${String(value)} is refused with an OptionsError naming ${name}`, () => {
    const error = throwsWith(
      () => new Context({ [name]: value } as ContextOptions),
      OptionsError,
      'ERR_OPTIONS_INVALID',
    );
    assert.match(error.message, new RegExp(`\\b${name}\\b`));
  });
}

for (const backend of BACKENDS) {
  test(`a bad option is refused whatever the backend (${backend.name})`, () => {
    const error = throwsWith(
      () => new Context({ threads: backend.threads, taskAttemptsMax: 0 }),
      OptionsError,
      'ERR_OPTIONS_INVALID',
    );
    assert.match(error.message, /taskAttemptsMax/);
    assert.match(error.message, /found 0/);
  });

  test(`valid options are resolved with defaults (${backend.name})`, async () => {
    const kc = new Context({ threads: backend.threads, defaultParallelism: 5, taskAttemptsMax: 2 });
    try {
      assert.equal(kc.options.threads, backend.threads);
      assert.equal(kc.options.defaultParallelism, 5);
      assert.equal(kc.options.taskAttemptsMax, 2);
      assert.equal(kc.parallelize([1, 2, 3]).getNumPartitions(), 5);
      assert.equal(await kc.parallelize([1, 2, 3]).count(), 3);
    } finally {
      await kc.stop();
    }
  });
}

test('options that are not an object are refused', () => {
  throwsWith(() => new Context(null as unknown as ContextOptions), OptionsError, 'ERR_OPTIONS_INVALID');
});

test('threads past max(256, cores) are refused before any thread starts (1e6 used to crash the process)', () => {
  const machine = { cores: 2, memoryBytes: 0 };
  assert.equal(resolveContextOptions({ threads: 256 }, machine).threads, 256);
  for (const threads of [257, 1e6]) {
    const error = throwsWith(() => resolveContextOptions({ threads }, machine), OptionsError, 'ERR_OPTIONS_INVALID');
    assert.equal(error.message, `Context option threads must be an integer in [0, 256], found ${threads}`);
  }
  assert.equal(resolveContextOptions({ threads: 512 }, { cores: 512, memoryBytes: 0 }).threads, 512);
  throwsWith(() => new Context({ threads: 1e6 }), OptionsError, 'ERR_OPTIONS_INVALID');
});

test('a number JSON cannot write (NaN, Infinity, -0) is named as it is, not as null', () => {
  const cases: [ContextOptions, string][] = [
    [{ threads: Number.NaN }, 'Context option threads must be an integer in [0, 256], found NaN'],
    [
      { taskTimeoutMs: Number.POSITIVE_INFINITY },
      'Context option taskTimeoutMs must be an integer >= 0, found Infinity',
    ],
    [{ memoryBytesMax: -0 }, 'Context option memoryBytesMax must be an integer >= 1, found -0'],
    [{ ui: { port: Number.NaN } }, 'Context option ui.port must be an integer in [0, 65535], found NaN'],
  ];
  for (const [options, message] of cases) {
    const error = throwsWith(
      () => resolveContextOptions(options, { cores: 2, memoryBytes: 0 }),
      OptionsError,
      'ERR_OPTIONS_INVALID',
    );
    assert.equal(error.message, message);
  }
});

test('eventLog.fileBytesMax is at most 256 MiB: a larger part could be written but never read back', () => {
  const machine = { cores: 2, memoryBytes: 0 };
  const max = 256 * 1024 * 1024;
  assert.equal(
    resolveContextOptions({ eventLog: { dir: 'logs', fileBytesMax: max } }, machine).eventLog!.fileBytesMax,
    max,
  );
  const error = throwsWith(
    () => resolveContextOptions({ eventLog: { dir: 'logs', fileBytesMax: 1024 * 1024 * 1024 } }, machine),
    OptionsError,
    'ERR_OPTIONS_INVALID',
  );
  assert.equal(
    error.message,
    `Context option eventLog.fileBytesMax must be an integer in [4096, ${max}], found ${1024 * 1024 * 1024}`,
  );
});
