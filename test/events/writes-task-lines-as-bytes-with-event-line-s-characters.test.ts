// The log writes task starts and successful ends straight into its buffer as bytes; every such line must be the
// same characters `eventLine` gives (itself checked against JSON.stringify), for random events and for every kind
// of number `String` prints differently (fractions, exponents, -0, non-finite, past 2^53). Lines it leaves to
// `eventLine` (a failure, per-operator rows, an unknown reason, other kinds) are refused before anything is written.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import { eventLine } from '../../src/events/event-line.js';
import { TASK_LINE_BYTES_MAX, writeTaskLine } from '../../src/events/event-line-bytes.js';
import type { LoggedEvent, TaskEndKind } from '../../src/events/event-schema.js';

const SEED = Number(process.env['SEED'] ?? Date.now() % 1_000_000);
console.log(`SEED=${SEED}`);

const REASONS: TaskEndKind[] = ['success', 'exception', 'worker-lost', 'out-of-memory', 'timed-out', 'fetch-failed'];
/** Numbers whose text takes each of `String`'s forms. */
const ODD_NUMBERS = [
  0,
  -0,
  9,
  10,
  99,
  100,
  0.5,
  1.234,
  1e-7,
  -1,
  -0.25,
  1e21,
  2 ** 31 - 1,
  2 ** 31,
  1e9,
  1e10 + 7,
  1764617400000,
  2 ** 53,
  2 ** 53 - 1,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1073741.823,
  1073741.824,
  123456789.001,
];

function bytesOf(event: LoggedEvent): string | null {
  const buffer = Buffer.alloc(TASK_LINE_BYTES_MAX + 8, 0xff);
  const end = writeTaskLine(buffer, 3, event);
  if (end < 0) return null;
  assert.ok(end - 3 <= TASK_LINE_BYTES_MAX, `within the room: ${end - 3} bytes`);
  assert.equal(buffer[2], 0xff, 'nothing before the line');
  assert.equal(buffer[end], 0xff, 'nothing after the line');
  return buffer.toString('utf8', 3, end);
}

function randomEvent(rng: Rng): LoggedEvent {
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextInt(xs.length)]!;
  // Mostly the numbers a scheduler sends, sometimes odd ones.
  const n = (typical: number) => (rng.nextFloat() < 0.1 ? pick(ODD_NUMBERS) : typical);
  const ms = () => n(rng.nextInt(5_000_000) / 1000);
  const where = {
    v: 1,
    seq: n(rng.nextInt(1e9)),
    timeMs: n(1764617400000 + rng.nextInt(1e9)),
    jobId: n(rng.nextInt(1000)),
    stageId: n(rng.nextInt(1000)),
    taskId: n(rng.nextInt(1e7)),
    partition: n(rng.nextInt(1e5)),
    attempt: n(rng.nextInt(4)),
    speculative: rng.nextFloat() < 0.5,
  } as const;
  if (rng.nextFloat() < 0.4) return { ...where, kind: 'task-start' };
  const reason = pick(REASONS);
  const metrics =
    reason !== 'success' || rng.nextFloat() < 0.05
      ? null
      : {
          recordsWritten: n(rng.nextInt(1e6)),
          bytesRead: n(rng.nextInt(2 ** 40)),
          bytesWritten: n(rng.nextInt(2 ** 30)),
          executorMs: ms(),
          shuffleReadBytes: rng.nextFloat() < 0.5 ? 0 : n(rng.nextInt(2 ** 30)),
          spillBytes: rng.nextFloat() < 0.7 ? 0 : n(rng.nextInt(2 ** 30)),
          gcMs: rng.nextFloat() < 0.7 ? 0 : ms(),
          threadId: n(rng.nextInt(64)),
        };
  return { ...where, kind: 'task-end', durationMs: ms(), reason, metrics, failure: null };
}

test(`task lines written as bytes are eventLine's characters (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  for (let i = 0; i < 20_000; i++) {
    const event = randomEvent(rng);
    assert.equal(bytesOf(event), eventLine(event), `event ${i}: ${JSON.stringify(event)}`);
  }
});

test('every odd number prints as eventLine prints it, in every numeric field', () => {
  for (const x of ODD_NUMBERS) {
    const start: LoggedEvent = {
      v: 1,
      seq: x,
      timeMs: x,
      kind: 'task-start',
      jobId: x,
      stageId: x,
      taskId: x,
      partition: x,
      attempt: x,
      speculative: true,
    };
    assert.equal(bytesOf(start), eventLine(start));
    const metrics = {
      recordsWritten: x,
      bytesRead: x,
      bytesWritten: x,
      executorMs: x,
      shuffleReadBytes: x,
      spillBytes: x,
      gcMs: x,
      threadId: x,
    };
    const end: LoggedEvent = { ...start, kind: 'task-end', durationMs: x, reason: 'success', metrics, failure: null };
    assert.equal(bytesOf(end), eventLine(end));
  }
});

test('lines left to eventLine are refused before anything is written', () => {
  const start = {
    v: 1,
    seq: 1,
    timeMs: 2,
    jobId: 0,
    stageId: 0,
    taskId: 0,
    partition: 0,
    attempt: 0,
    speculative: false,
  } as const;
  const metrics = {
    recordsWritten: 1,
    bytesRead: 0,
    bytesWritten: 0,
    executorMs: 0.1,
    shuffleReadBytes: 0,
    spillBytes: 0,
    gcMs: 0,
    threadId: 1,
  };
  const end = { ...start, kind: 'task-end', durationMs: 1, reason: 'success', metrics, failure: null } as const;
  const failure = { name: 'Error', message: 'boom "</script>"', code: null, stack: null };
  const refused: LoggedEvent[] = [
    { ...end, reason: 'exception', metrics: null, failure },
    { ...end, metrics: { ...metrics, operatorRows: [{ op: 'scan', rows: 3 }] } },
    { ...end, reason: 'a-later-reason' as TaskEndKind },
    { ...start, kind: 'fault-injected', fault: 'throw' },
    { v: 1, seq: 1, timeMs: 2, kind: 'app-end', appId: 'a' },
  ];
  for (const event of refused) {
    const buffer = Buffer.alloc(TASK_LINE_BYTES_MAX, 0xff);
    assert.equal(writeTaskLine(buffer, 0, event), -1, event.kind);
    assert.ok(
      buffer.every((b) => b === 0xff),
      `${event.kind}: nothing written`,
    );
  }
});
