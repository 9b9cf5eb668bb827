// Plain task lines (first attempts' starts, successes without optional counters) are written by copying the last
// line of the same shape and rewriting only the numbers that changed (task-line-template.ts). A stream of them as a
// job produces them, whose numbers keep their width for a while and then do not (ids passing 9, 99, 999…, times
// with 1–3 decimals, a thread id of one or two digits, now and then a number `String` prints otherwise), must give
// every line exactly as `eventLine` gives the event the fact stands for, with nothing written around it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import { eventLine } from '../../src/events/event-line.js';
import { TASK_LINE_BYTES_MAX, writeTaskFact } from '../../src/events/event-line-bytes.js';
import { FACT_COLUMNS, TaskFacts, taskFactEvent, TASK_FACTS_MAX } from '../../src/events/task-facts.js';

const SEED = Number(process.env['SEED'] ?? Date.now() % 1_000_000);
console.log(`SEED=${SEED}`);

const ODD = [0.5, -1, -0, 1e21, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, 123456789.001];

/** Writes every fact of the batch at offset 3 of a buffer of 0xff bytes and checks it against eventLine. */
function checkBatch(facts: TaskFacts, label: string): void {
  for (let row = 0; row < facts.count; row++) {
    const at = row * FACT_COLUMNS;
    const buffer = Buffer.alloc(TASK_LINE_BYTES_MAX + 8, 0xff);
    const end = writeTaskFact(buffer, 3, facts.cells, at);
    assert.equal(buffer[2], 0xff, `${label}, row ${row}: nothing before the line`);
    assert.equal(buffer[end], 0xff, `${label}, row ${row}: nothing after the line`);
    const event = taskFactEvent(facts.cells, at);
    assert.equal(buffer.toString('utf8', 3, end), eventLine(event), `${label}, row ${row}: ${JSON.stringify(event)}`);
  }
}

test(`plain task lines written from templates are eventLine's characters (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  const facts = new TaskFacts();
  const odd = (typical: number, p: number) => (rng.nextFloat() < p ? ODD[rng.nextInt(ODD.length)]! : typical);
  let seq = 0;
  let timeMs = 1764617400000;
  let taskId = 0;
  // Jobs of a few stages; the last job's odd numbers (one in fifty) send lines back to the general writer.
  for (let job = 0; job < 12; job++) {
    const p = job === 11 ? 0.02 : 0;
    for (let stage = job * 3; stage < job * 3 + 3; stage++) {
      const tasks = [1, 12, 150, 1200][rng.nextInt(4)]!;
      const running: number[] = [];
      for (let partition = 0; partition < tasks || running.length > 0;) {
        if (facts.count >= TASK_FACTS_MAX - 1) {
          checkBatch(facts, `job ${job}, stage ${stage}`);
          facts.count = 0;
        }
        timeMs += rng.nextInt(3);
        if (partition < tasks && (running.length < 4 || rng.nextFloat() < 0.3)) {
          running.push(partition);
          facts.start(seq++, odd(timeMs, p), job, odd(stage, p), taskId + partition, odd(partition, p), 0, false);
          partition++;
          continue;
        }
        const ended = running.splice(rng.nextInt(running.length), 1)[0]!;
        // Whole µs, so 1–3 decimals and now and then none; counters mostly constant, sometimes not.
        const counters = {
          recordsWritten: rng.nextFloat() < 0.9 ? 1 : rng.nextInt(100_000),
          bytesRead: rng.nextFloat() < 0.9 ? 0 : rng.nextInt(2 ** 40),
          bytesWritten: rng.nextFloat() < 0.9 ? 0 : rng.nextInt(2 ** 20),
          durationMs: odd(rng.nextInt(3000) / 1000, p),
          shuffleReadBytes: 0,
          spillBytes: 0,
          gcMs: 0,
          threadId: rng.nextFloat() < 0.95 ? 1 + rng.nextInt(2) : 10 + rng.nextInt(90),
        };
        const durationMs = odd(rng.nextInt(20_000) / 1000, p);
        facts.end(seq++, timeMs, job, stage, taskId + ended, ended, 0, false, durationMs, counters);
      }
      taskId += tasks;
    }
  }
  checkBatch(facts, 'last batch');
});
