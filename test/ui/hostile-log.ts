import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { partFileName } from '../../src/events/event-log-writer.js';

/**
 * Writes the log of an application `hostile` whose every user-visible string (application id, options, versions,
 * job description and label, plan, stage label and chain, fault, error name, message and stack, metric names,
 * checkpoint dir, streaming query) is markup made of `script` and `img`. Valid against schema version 1.
 */
export function writeHostileLog(dir: string, SCRIPT: string, IMG: string): void {
  const appId = `x${SCRIPT}`;
  const failure = { name: IMG, message: `</pre>${SCRIPT}`, code: null, stack: `${IMG}\n  at ${SCRIPT}` };
  const events = [
    {
      kind: 'app-start',
      appId,
      options: { tmpDir: SCRIPT },
      versions: { kindling: IMG, node: '20', v8: '11' },
      threads: 1,
      pid: 1,
    },
    { kind: 'job-start', jobId: 0, description: SCRIPT, nodeId: 1, label: IMG, partitions: 1, plan: IMG },
    {
      kind: 'stage-submitted',
      jobId: 0,
      stageId: 0,
      label: SCRIPT,
      purpose: IMG,
      nodeId: 1,
      tasks: 1,
      partitions: 1,
      writesShuffle: null,
      readsShuffles: [],
      chain: IMG,
    },
    { kind: 'task-start', jobId: 0, stageId: 0, taskId: 0, partition: 0, attempt: 0, speculative: false },
    { kind: 'fault-injected', jobId: 0, stageId: 0, taskId: 0, partition: 0, attempt: 0, fault: SCRIPT },
    {
      kind: 'task-end',
      jobId: 0,
      stageId: 0,
      taskId: 0,
      partition: 0,
      attempt: 0,
      speculative: false,
      durationMs: 1,
      reason: 'exception',
      metrics: null,
      failure,
    },
    { kind: 'stage-completed', jobId: 0, stageId: 0, status: 'failed', durationMs: 2 },
    { kind: 'job-end', jobId: 0, status: 'failed', durationMs: 3, metrics: { [SCRIPT]: 1 }, failure },
    { kind: 'checkpoint-written', nodeId: 1, checkpointKind: 'reliable', dir: `/tmp/${IMG}`, partitions: 1 },
    {
      kind: 'streaming-batch-progress',
      queryId: SCRIPT,
      name: IMG,
      batchId: 0,
      numInputRows: 1,
      inputRowsPerSecond: 1,
      processedRowsPerSecond: 1,
      batchDurationMs: 1,
      stateRows: 0,
      jobIds: [0],
    },
    { kind: 'app-end', appId },
  ];
  const lines = events.map((e, seq) => JSON.stringify({ v: 1, seq, timeMs: 1_700_000_000_000 + seq, ...e }));
  writeFileSync(join(dir, partFileName('hostile', 0)), `${lines.join('\n')}\n`);
}
