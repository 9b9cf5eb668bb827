import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../src/events/event-bus.js';

/**
 * A listener that throws is a bug in it and must not fail the job; it is reported once, with its own error and
 * stack, not once per event (a listener that threw on every task printed a warning per task).
 */
test('a throwing listener is warned about once, with its error; each such listener once', async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  try {
    const bus = new EventBus(() => 0);
    bus.subscribe(() => {
      throw new RangeError('listener one is broken');
    });
    bus.subscribe((event) => {
      if (event.kind === 'job-end') throw new TypeError('listener two is broken');
    });
    for (let jobId = 0; jobId < 3; jobId++) {
      bus.emit({ kind: 'job-start', jobId, description: 'count', nodeId: 0, label: 'x', partitions: 1, plan: '' });
      bus.taskStarted(jobId, 0, jobId, 0, 0, false);
      bus.emit({ kind: 'job-end', jobId, status: 'succeeded', durationMs: 1, metrics: null, failure: null } as never);
    }
    // process.emitWarning delivers on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    const ours = warnings.filter((w) => (w as Error & { code?: string }).code === 'KINDLING_LISTENER_THREW');
    assert.deepEqual(
      ours.map((w) => w.message),
      [
        'kindling: an event listener threw on job-start: RangeError: listener one is broken (its later errors are not reported)',
        'kindling: an event listener threw on job-end: TypeError: listener two is broken (its later errors are not reported)',
      ],
    );
    assert.match((ours[0] as Error & { detail?: string }).detail ?? '', /^RangeError: listener one is broken\n\s+at /);
  } finally {
    process.off('warning', onWarning);
  }
});
