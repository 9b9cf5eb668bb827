import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ResolvedContextOptions } from '../../common/options.js';
import { onFirstUse } from '../../common/require-esm.js';
import type * as AppStateModule from '../../events/app-state.js';
import { EventBus, type LoggedEventListener } from '../../events/event-bus.js';
import type {
  CachedDatasetStatus,
  KindlingEvent,
  StorageStatusEvent,
  StreamingBatchProgressEvent,
} from '../../events/event-schema.js';
import type * as EventLogWriterModule from '../../events/event-log-writer.js';
import { callSite } from '../../events/call-site.js';
import type { Checkpoints } from '../../checkpoint/checkpoints.js';
import type { DagScheduler, JobRequest, StageProgress } from '../../scheduler/dag-scheduler.js';
import { ConsoleProgressBar, drawStageProgress } from '../../ui/progress-bar.js';
import type { UiServer } from '../../ui/ui-server.js';

// The event log writer (5 modules) and the UI's application state load when a Context asks for them (issue 11).
const eventLogWriterModule = onFirstUse<typeof EventLogWriterModule>(
  import.meta.resolve('../../events/event-log-writer.js'),
);
const appStateModule = onFirstUse<typeof AppStateModule>(import.meta.resolve('../../events/app-state.js'));

/** What the observers need from their Context. */
export interface ObservedContext {
  readonly options: ResolvedContextOptions;
  readonly scheduler: DagScheduler;
  readonly checkpoints: Checkpoints;
  onStageProgress(listener: (progress: StageProgress) => void): () => void;
  /** Cached datasets now, and the shared-memory bytes shuffle outputs hold (for `storage-status`). */
  cached(): CachedDatasetStatus[];
  shuffleBytesInMemory(): number;
}

/**
 * Everything that watches a Context run (DESIGN.md §9): the event bus the scheduler reports to, and the event
 * log, the live UI and the console progress bar the options turn on. With all of them off, the scheduler is given
 * no listener at all and builds no event (the bus hands it one only while someone subscribes).
 */
export class Observers {
  readonly appId: string;
  readonly #bus = new EventBus();
  readonly #closers: (() => void)[] = [];
  readonly #ui: Promise<UiServer | null>;
  #stopped = false;

  constructor(context: ObservedContext) {
    const { options, scheduler, checkpoints } = context;
    this.appId = newAppId();
    // The block store is reported after each job, once every listener has the job's end (the log keeps that
    // order); only while someone listens, like every event.
    const emitJobEvent = (event: KindlingEvent): void => {
      this.#bus.emit(event);
      if (event.kind !== 'job-end') return;
      queueMicrotask(() => {
        if (this.#bus.active) this.#bus.emit(storageStatus(context, event.jobId));
      });
    };
    this.#bus.onActiveChange = (active) => {
      scheduler.events = active ? emitJobEvent : null;
      // Task starts and successful ends as numbers, handed to the log and the UI a batch at a time
      // (events/task-facts.ts).
      scheduler.taskFacts = active ? this.#bus : null;
    };
    checkpoints.onWritten = (node, checkpointKind, dir, parts) => {
      if (!this.#bus.active) return;
      const rows = parts.reduce((n, part) => n + part.rows, 0);
      const bytes = parts.reduce((n, part) => n + part.bytes, 0);
      const partitions = parts.length;
      this.#bus.emit({ kind: 'checkpoint-written', nodeId: node.id, checkpointKind, dir, partitions, rows, bytes });
    };
    if (options.eventLog !== null) {
      const writer = new (eventLogWriterModule().EventLogWriter)(options.eventLog, this.appId, () =>
        this.#bus.flushTaskFacts(),
      );
      this.#closers.push(
        this.#bus.subscribe(
          (event) => writer.append(event),
          (facts) => writer.appendTaskFacts(facts),
        ),
        () => writer.close(),
      );
    }
    this.#ui = options.ui === null ? Promise.resolve(null) : this.#startUi(options.ui);
    if (options.progress === true || (options.progress === 'auto' && process.stderr.isTTY === true)) {
      const bar = new ConsoleProgressBar(process.stderr);
      this.#closers.push(drawStageProgress(bar, this.#bus, (listener) => context.onStageProgress(listener)));
    }
    if (this.#bus.active) this.#bus.emit(appStart(this.appId, options));
  }

  /** Adds a listener of stamped events; returns the function that removes it. */
  subscribe(listener: LoggedEventListener): () => void {
    return this.#bus.subscribe(listener);
  }

  /** Emits an event from above the scheduler (streaming batch progress) when anyone listens. */
  emit(event: StreamingBatchProgressEvent): void {
    if (this.#bus.active) this.#bus.emit(event);
  }

  /** The job with its description (`count at app.js:12:7`) when anyone listens; as it is otherwise. */
  describe(request: JobRequest): JobRequest {
    if (!this.#bus.active || request.description !== undefined) return request;
    return { ...request, description: callSite(() => new Error().stack, request.node.label) };
  }

  /** The URL of the live UI once it listens, or null when `ui` is off or it could not listen. */
  uiUrl(): Promise<string | null> {
    return this.#ui.then((server) => server?.url ?? null);
  }

  /** Logs the application's end, flushes and closes the log, stops the UI and erases the progress bar. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#bus.active) this.#bus.emit({ kind: 'app-end', appId: this.appId });
    for (const close of this.#closers.splice(0)) close();
    await (await this.#ui)?.close();
  }

  async #startUi(where: { readonly port: number; readonly host: string }): Promise<UiServer | null> {
    const state = new (appStateModule().AppState)();
    this.#closers.push(
      this.#bus.subscribe(
        (event) => state.apply(event),
        (facts) => state.applyTaskFacts(facts),
      ),
    );
    const apps = new Map([[this.appId, state]]);
    // A page or an update poll reads the state with every task fact so far applied.
    const current = (): ReadonlyMap<string, AppStateModule.AppState> => {
      this.#bus.flushTaskFacts();
      return apps;
    };
    try {
      // The UI's server, pages and assets (16 modules) load only for a Context that asked for the UI (issue 11).
      const { UiServer } = await import('../../ui/ui-server.js');
      const server = await UiServer.start({ live: true, apps: current }, where);
      process.stderr.write(`kindling UI at ${server.url}\n`);
      return server;
    } catch (error: unknown) {
      process.emitWarning(`kindling: the UI could not start: ${String((error as Error).cause ?? error)}`);
      return null;
    }
  }
}

/** Spark-style application id: `app-20261201193000-1f2e3d4c` (UTC start time and a random suffix). */
function newAppId(): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `app-${stamp}-${randomUUID().slice(0, 8)}`;
}

function storageStatus(context: ObservedContext, jobId: number): StorageStatusEvent {
  const datasets = context.cached();
  return {
    kind: 'storage-status',
    jobId,
    memoryBytesMax: context.options.memoryBytesMax,
    cachedBytesInMemory: datasets.reduce((n, d) => n + d.memoryBytes, 0),
    shuffleBytesInMemory: context.shuffleBytesInMemory(),
    datasets,
  };
}

let kindlingVersion: string | null = null;

function appStart(appId: string, options: ResolvedContextOptions) {
  if (kindlingVersion === null) {
    try {
      const url = new URL('../../../../package.json', import.meta.url);
      kindlingVersion = String((JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown }).version);
    } catch {
      kindlingVersion = 'unknown';
    }
  }
  return {
    kind: 'app-start',
    appId,
    // Through JSON: the log holds the options' JSON form (fault rules included), nothing else.
    options: JSON.parse(JSON.stringify(options)) as Record<string, unknown>,
    versions: { kindling: kindlingVersion, node: process.versions.node, v8: process.versions.v8 },
    threads: options.threads,
    pid: process.pid,
  } as const;
}
