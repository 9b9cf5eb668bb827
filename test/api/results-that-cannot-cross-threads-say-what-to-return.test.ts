// A function whose result cannot be copied between threads (a closure, a symbol) fails the job with an InputError
// that names the record, what was found and what to return instead, whether the value is collected or shuffled:
// the message used to say only that v8.serialize refused it, leaving the user to guess what was wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, InputError } from '../../src/index.js';

async function failureOf(job: Promise<unknown>): Promise<InputError> {
  try {
    await job;
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    return error;
  }
  assert.fail('the job should have failed');
}

test('a map that returns a function or a symbol fails naming what it found and what to return', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const collected = await failureOf(
      kc
        .parallelize([1, 2, 3], 2)
        .map((x) => () => x)
        .collect(),
    );
    const shuffled = await failureOf(
      kc
        .parallelize([1, 2, 3], 2)
        .map((x): [number, symbol] => [x % 2, Symbol('s')])
        .reduceByKey((a) => a)
        .collect(),
    );
    for (const [error, found] of [
      [collected, /found function/],
      [shuffled, /found Symbol\(s\)/],
    ] as const) {
      assert.equal(error.code, 'ERR_INPUT_INVALID_RECORD');
      assert.match(error.message, /^record \d+, column '\w+': a value passed between threads must be data/);
      assert.match(error.message, found);
      assert.match(error.message, /return data, not functions, symbols or objects holding native state/);
      assert.match(error.message, /stage \d+, partition \d+/);
    }
  } finally {
    await kc.stop();
  }
});
