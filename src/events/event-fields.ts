/**
 * The event log's schema as data: every kind of schema version 1 and the JSON type of each of its fields, checked by
 * the log reader on every line it reads. The TypeScript interfaces they mirror are in `event-schema.ts`; the type
 * checker holds the two together (`EVENT_FIELDS` is typed by the interfaces' own keys).
 */
import type { KindlingEvent } from './event-schema.js';

/** The kinds of version 1, for readers that check a line. */
export const EVENT_KINDS: readonly KindlingEvent['kind'][] = [
  'app-start',
  'app-end',
  'job-start',
  'job-end',
  'stage-submitted',
  'stage-completed',
  'task-start',
  'task-end',
  'fault-injected',
  'fetch-failed',
  'speculative-launch',
  'checkpoint-written',
  'streaming-batch-progress',
  'storage-status',
];

/** The JSON type of a field; a trailing `?` allows null, or no field at all (fields added in a minor revision). */
export type FieldType = 'number' | 'string' | 'boolean' | 'object' | 'array' | 'number?' | 'string?' | 'object?';

/**
 * The fields of every kind and their JSON types: the schema as data, checked by the reader on every line it reads
 * (and by the type checker against the interfaces of `event-schema.ts`, so the two cannot drift apart).
 */
export const EVENT_FIELDS: {
  readonly [K in KindlingEvent['kind']]: Readonly<
    Record<Exclude<keyof Extract<KindlingEvent, { kind: K }>, 'kind'>, FieldType>
  >;
} = {
  'app-start': { appId: 'string', options: 'object', versions: 'object', threads: 'number', pid: 'number' },
  'app-end': { appId: 'string' },
  'job-start': {
    jobId: 'number',
    description: 'string',
    nodeId: 'number',
    label: 'string',
    partitions: 'number',
    plan: 'string',
  },
  'job-end': { jobId: 'number', status: 'string', durationMs: 'number', metrics: 'object', failure: 'object?' },
  'stage-submitted': {
    jobId: 'number',
    stageId: 'number',
    label: 'string',
    purpose: 'string',
    nodeId: 'number',
    tasks: 'number',
    partitions: 'number',
    writesShuffle: 'number?',
    readsShuffles: 'array',
    chain: 'string',
  },
  'stage-completed': { jobId: 'number', stageId: 'number', status: 'string', durationMs: 'number' },
  'task-start': {
    jobId: 'number',
    stageId: 'number',
    taskId: 'number',
    partition: 'number',
    attempt: 'number',
    speculative: 'boolean',
  },
  'task-end': {
    jobId: 'number',
    stageId: 'number',
    taskId: 'number',
    partition: 'number',
    attempt: 'number',
    speculative: 'boolean',
    durationMs: 'number',
    reason: 'string',
    metrics: 'object?',
    failure: 'object?',
  },
  'fault-injected': {
    jobId: 'number',
    stageId: 'number',
    taskId: 'number',
    partition: 'number',
    attempt: 'number',
    fault: 'string',
  },
  'fetch-failed': {
    jobId: 'number',
    stageId: 'number',
    partition: 'number',
    attempt: 'number',
    shuffleId: 'number',
    mapPartition: 'number',
    message: 'string',
  },
  'speculative-launch': { jobId: 'number', stageId: 'number', partition: 'number' },
  'checkpoint-written': {
    nodeId: 'number',
    checkpointKind: 'string',
    dir: 'string?',
    partitions: 'number',
    rows: 'number?',
    bytes: 'number?',
  },
  'storage-status': {
    jobId: 'number',
    memoryBytesMax: 'number',
    cachedBytesInMemory: 'number',
    shuffleBytesInMemory: 'number',
    datasets: 'array',
  },
  'streaming-batch-progress': {
    queryId: 'string',
    name: 'string?',
    batchId: 'number',
    numInputRows: 'number',
    inputRowsPerSecond: 'number',
    processedRowsPerSecond: 'number',
    batchDurationMs: 'number',
    stateRows: 'number',
    jobIds: 'array',
  },
};

/** The fields of `record` that do not match the schema of its kind, as `field: expected …, found …`. */
export function schemaMismatches(event: object): string[] {
  const record = event as Readonly<Record<string, unknown>>;
  const fields = (EVENT_FIELDS as Readonly<Record<string, Readonly<Record<string, FieldType>>>>)[
    String(record['kind'])
  ];
  if (fields === undefined) return [];
  const problems: string[] = [];
  for (const [field, type] of Object.entries(fields)) {
    const value = record[field];
    const nullable = type.endsWith('?');
    const base = nullable ? type.slice(0, -1) : type;
    const found = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    if (((value === null || value === undefined) && nullable) || found === base) continue;
    problems.push(`${field}: expected ${type.replace('?', ' or null')}, found ${found}`);
  }
  return problems;
}
