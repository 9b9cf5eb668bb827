// The bus stamps task starts and ends with the wall clock's millisecond, but given the scheduler's own clock
// reading at each (which it takes anyway), it reads the wall clock only when that millisecond may have changed:
// a job of many tiny tasks reports ~30 task events a millisecond, and two wall-clock reads a task were ~15 % of
// the observers' cost. Every stamp must still be the wall clock's millisecond at the event, for any phase of the
// wall clock's ticks against the scheduler's clock, with random gaps between events (seeded).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import { EventBus } from '../../src/events/event-bus.js';
import { FACT_COLUMNS, FACT_TIME_MS, type TaskCounters } from '../../src/events/task-facts.js';

const SEED = Number(process.env['SEED'] ?? Date.now() % 1_000_000);
console.log(`SEED=${SEED}`);

const counters: TaskCounters = {
  recordsWritten: 1,
  bytesRead: 0,
  bytesWritten: 0,
  durationMs: 0.05,
  shuffleReadBytes: 0,
  spillBytes: 0,
  gcMs: 0,
  threadId: 1,
};

interface Run {
  /** Per event: the stamp, and the wall clock's millisecond at the scheduler's reading and at the bus's call. */
  readonly stamps: { readonly timeMs: number; readonly atReading: number; readonly atCall: number }[];
  readonly wallReads: number;
}

/**
 * `events` task events on a simulated timeline: the scheduler reads its clock (`t`), then calls the bus a little
 * later; the wall clock is the same timeline shifted by a random fraction of a millisecond, in whole ms.
 */
function run(rng: Rng, events: number, passReadings: boolean): Run {
  const offsetMs = 1_764_617_400_000 + rng.nextFloat();
  const wall = (t: number): number => Math.floor(offsetMs + t);
  let now = rng.nextFloat() * 1000;
  let wallReads = 0;
  const bus = new EventBus(() => {
    wallReads++;
    return wall(now);
  });
  const stamped: number[] = [];
  bus.subscribe(
    () => {},
    (facts) => {
      for (let row = 0; row < facts.count; row++) stamped.push(facts.cells[row * FACT_COLUMNS + FACT_TIME_MS]!);
    },
  );
  const expected: { atReading: number; atCall: number }[] = [];
  for (let i = 0; i < events; i++) {
    // Mostly 5–80 µs between events, now and then a pause of up to 3 ms.
    now += rng.nextFloat() < 0.01 ? 0.5 + rng.nextFloat() * 2.5 : 0.005 + rng.nextFloat() * 0.075;
    const reading = now;
    now += rng.nextFloat() * 0.005;
    const atMs = passReadings ? reading : Number.NaN;
    const task = i >> 1;
    if (i % 2 === 0) bus.taskStarted(0, 0, task, task, 0, false, atMs);
    else bus.taskSucceeded(0, 0, task, task, 0, false, 0.05, counters, atMs);
    expected.push({ atReading: wall(reading), atCall: wall(now) });
  }
  bus.flushTaskFacts();
  return { stamps: stamped.map((timeMs, i) => ({ timeMs, ...expected[i]! })), wallReads };
}

test(`task facts carry the wall clock's millisecond at the event, read about once a millisecond (seed ${SEED})`, () => {
  const events = 20_000;
  const { stamps, wallReads } = run(new Rng(SEED), events, true);
  assert.equal(stamps.length, events);
  stamps.forEach(({ timeMs, atReading, atCall }, i) => {
    assert.ok(
      timeMs === atReading || timeMs === atCall,
      `event ${i}: stamped ${timeMs}, the wall clock read ${atReading} at the scheduler's reading, ${atCall} at the call`,
    );
    if (i > 0) assert.ok(timeMs >= stamps[i - 1]!.timeMs, `event ${i}: stamps never go back`);
  });
  // ~25 events a millisecond here: the wall clock is read when its millisecond may have ended, a few times each.
  assert.ok(wallReads < events / 5, `${wallReads} wall-clock reads for ${events} events`);
});

test('without the scheduler’s reading, every task event reads the wall clock', () => {
  const events = 2_000;
  const { stamps, wallReads } = run(new Rng(SEED), events, false);
  assert.equal(wallReads, events);
  for (const { timeMs, atCall } of stamps) assert.equal(timeMs, atCall);
});
