import { EVENT_LOG_VERSION, type KindlingEvent, type LoggedEvent } from './event-schema.js';
import { FACT_COLUMNS, TaskFacts, taskFactEvent, type TaskCounters } from './task-facts.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A consumer of stamped events (the log writer, the live UI, an `explainAnalyze` run). */
export type LoggedEventListener = (event: LoggedEvent) => void;

/**
 * A consumer of task facts a batch at a time (task-facts.ts): the rows of `facts` stand for task events, in order,
 * between the events the same subscriber's {@link LoggedEventListener} is given. Must not keep `facts`.
 */
export type TaskFactsListener = (facts: TaskFacts) => void;

/**
 * Where the scheduler reports task starts and successful ends as numbers (the {@link EventBus} while active).
 *
 * `atMs` is the scheduler's clock read just before the call (its attempt's launch or end time, which it reads
 * anyway), monotonic and running at the wall clock's rate (`performance.now()` in a Context), or NaN. With it, the
 * bus reads the wall clock only when its millisecond may have changed (see `EventBus.#wallMsAt`).
 */
export interface TaskFactSink {
  taskStarted(
    jobId: number,
    stageId: number,
    taskId: number,
    partition: number,
    attempt: number,
    speculative: boolean,
    atMs?: number,
  ): void;
  /** A successful end without per-operator rows (others are emitted as `task-end` objects). */
  taskSucceeded(
    jobId: number,
    stageId: number,
    taskId: number,
    partition: number,
    attempt: number,
    speculative: boolean,
    durationMs: number,
    counters: TaskCounters,
    atMs?: number,
  ): void;
}

interface Subscriber {
  readonly event: LoggedEventListener;
  /** Null: the subscriber takes task facts as event objects, delivered at once. */
  readonly facts: TaskFactsListener | null;
}

/**
 * Stamps engine events with the envelope (version, sequence number, wall time) and hands them to every subscriber.
 * `emit` is what the scheduler holds while someone listens; with no subscriber the Context gives the scheduler
 * null instead, so an engine with every observer off builds no event at all (see {@link onActiveChange}).
 *
 * @example
 * const bus = new EventBus();
 * const stop = bus.subscribe((e) => lines.push(JSON.stringify(e)));
 * bus.emit({ kind: 'app-end', appId: 'a' });
 */
export class EventBus implements TaskFactSink {
  /** Replaced, never changed in place, so `emit` loops over a plain array that a subscriber cannot change under it. */
  #listeners: readonly Subscriber[] = [];
  /** The subscribers that take task facts as objects: every fact is built into an event for them. */
  #objectListeners: readonly LoggedEventListener[] = [];
  /** Task facts not yet handed to the subscribers that take batches. */
  readonly #facts = new TaskFacts();
  #handingOn = false;
  readonly #nowMs: () => number;
  #seq = 0;
  /** The wall clock's last reading, and the scheduler's time before which it is known to read the same. */
  #wallMs = Number.NaN;
  #wallSameUntil = Number.NEGATIVE_INFINITY;
  /** The scheduler's time given with the last reading of the wall clock. */
  #wallReadAt = Number.NEGATIVE_INFINITY;
  /** Called with true when the first subscriber arrives, false when the last leaves. */
  onActiveChange: (active: boolean) => void = () => {};

  constructor(nowMs: () => number = Date.now) {
    this.#nowMs = nowMs;
  }

  get active(): boolean {
    return this.#listeners.length > 0;
  }

  /**
   * Stamps and delivers one event, after the task facts held so far. A throwing listener is a bug in it: it must
   * not fail the job that emitted.
   *
   * WARNING: the event is stamped in place (it gains `v`, `seq` and `timeMs`) rather than copied, because a copy
   * per task event was a measurable share of the observers' cost on jobs of many tiny tasks. Every emit site
   * builds a fresh object for each event and never touches it again. The task events, built once per attempt,
   * come with the envelope's fields already in place (`EnvelopeSlots` in event-schema.ts): setting a field an
   * object already has keeps its shape, where adding three would grow it.
   */
  readonly emit = (event: KindlingEvent): void => {
    const listeners = this.#listeners;
    if (listeners.length === 0) return;
    // Facts come before this event in every subscriber's order.
    this.flushTaskFacts();
    const logged = event as Mutable<LoggedEvent>;
    logged.v = EVENT_LOG_VERSION;
    logged.seq = this.#seq++;
    logged.timeMs = this.#nowMs();
    for (let i = 0; i < listeners.length; i++) deliver(listeners[i]!.event, logged);
  };

  /**
   * A task start as numbers: stamped like an event, kept in a batch for the subscribers that take batches, built
   * into an event at once for the others. The scheduler calls it only while someone listens.
   */
  taskStarted(
    jobId: number,
    stageId: number,
    taskId: number,
    partition: number,
    attempt: number,
    speculative: boolean,
    atMs = Number.NaN,
  ): void {
    if (this.#listeners.length === 0) return;
    if (this.#facts.full) this.flushTaskFacts();
    this.#facts.start(this.#seq++, this.#wallMsAt(atMs), jobId, stageId, taskId, partition, attempt, speculative);
    if (this.#objectListeners.length > 0) this.#deliverLastFact();
  }

  /** A successful task end without per-operator rows as numbers, like {@link taskStarted}. */
  taskSucceeded(
    jobId: number,
    stageId: number,
    taskId: number,
    partition: number,
    attempt: number,
    speculative: boolean,
    durationMs: number,
    counters: TaskCounters,
    atMs = Number.NaN,
  ): void {
    if (this.#listeners.length === 0) return;
    if (this.#facts.full) this.flushTaskFacts();
    const seq = this.#seq++;
    const timeMs = this.#wallMsAt(atMs);
    this.#facts.end(seq, timeMs, jobId, stageId, taskId, partition, attempt, speculative, durationMs, counters);
    if (this.#objectListeners.length > 0) this.#deliverLastFact();
  }

  /**
   * The wall clock's millisecond at the scheduler's time `atMs` (see {@link TaskFactSink}), read from the wall clock
   * only when it may have moved on since the last reading: a task's start and end were ~15 % of the observers' own
   * cost on a job of empty tasks, two clock reads at ~70 ns each (native-bench/OBSERVABILITY.md, round 12).
   *
   * Why this is exact: when a reading differs from the one before, the millisecond it shows began after that
   * earlier reading, made at or after the scheduler's time then (`#wallReadAt`), and after the time the earlier
   * millisecond was known to last until (`#wallSameUntil`); so it lasts until at least 1 ms past the later of the
   * two, and any scheduler time before then, taken after this reading, falls in it. The second bound carries one
   * close reading before a tick on to the next ticks, so the clock is read a few times a millisecond, not at every
   * event after a tick seen late. Both clocks advance at the same rate (Linux steers CLOCK_MONOTONIC and
   * CLOCK_REALTIME alike); only a step of the system clock (settimeofday) is seen up to 1 ms late. With `atMs` NaN
   * the wall clock is read every time.
   */
  #wallMsAt(atMs: number): number {
    if (atMs < this.#wallSameUntil) return this.#wallMs;
    const wallMs = this.#nowMs();
    if (wallMs !== this.#wallMs) {
      const began = this.#wallReadAt > this.#wallSameUntil ? this.#wallReadAt : this.#wallSameUntil;
      this.#wallSameUntil = began + 1;
      this.#wallMs = wallMs;
    }
    this.#wallReadAt = atMs;
    return wallMs;
  }

  /**
   * Hands the task facts held so far to the subscribers that take batches: before any other event, when the batch
   * is full, and whenever a reader needs to be current (the log writer's flush, a UI page, a subscriber joining or
   * leaving).
   */
  flushTaskFacts(): void {
    const facts = this.#facts;
    // A subscriber that makes the bus flush again from inside (a full log buffer flushing) finds nothing to do.
    if (facts.count === 0 || this.#handingOn) return;
    this.#handingOn = true;
    try {
      const listeners = this.#listeners;
      for (let i = 0; i < listeners.length; i++) {
        const take = listeners[i]!.facts;
        if (take === null) continue;
        try {
          take(facts);
        } catch (error: unknown) {
          warnOnce(take, 'task events', error);
        }
      }
    } finally {
      facts.count = 0;
      this.#handingOn = false;
    }
  }

  #deliverLastFact(): void {
    const event = taskFactEvent(this.#facts.cells, (this.#facts.count - 1) * FACT_COLUMNS);
    const listeners = this.#objectListeners;
    for (let i = 0; i < listeners.length; i++) deliver(listeners[i]!, event);
  }

  /**
   * Adds a listener; returns the function that removes it. With `facts`, task starts and successful ends reach
   * the subscriber as batches of numbers there (in order among its events, a batch late at most); without, as
   * event objects when they happen.
   */
  subscribe(listener: LoggedEventListener, facts: TaskFactsListener | null = null): () => void {
    const wasActive = this.active;
    // A new subscriber does not see facts from before it came.
    this.flushTaskFacts();
    const subscriber: Subscriber = { event: listener, facts };
    this.#setListeners([...this.#listeners, subscriber]);
    if (!wasActive) this.onActiveChange(true);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      // A leaving subscriber gets the facts of its time.
      this.flushTaskFacts();
      this.#setListeners(this.#listeners.filter((s) => s !== subscriber));
      if (!this.active) this.onActiveChange(false);
    };
  }

  #setListeners(listeners: readonly Subscriber[]): void {
    this.#listeners = listeners;
    this.#objectListeners = listeners.flatMap((s) => (s.facts === null ? [s.event] : []));
  }
}

/** A throwing listener is a bug in it: it must not fail the job that emitted. */
function deliver(listener: LoggedEventListener, event: LoggedEvent): void {
  try {
    listener(event);
  } catch (error: unknown) {
    warnOnce(listener, event.kind, error);
  }
}

/** Listeners that threw once: a listener that throws on every event would print a warning per task otherwise. */
const warnedListeners = new WeakSet<object>();

/** Warns of a listener's first error, with its stack (where the bug is); its later errors are not reported. */
function warnOnce(listener: object, what: string, error: unknown): void {
  if (warnedListeners.has(listener)) return;
  warnedListeners.add(listener);
  const stack = error instanceof Error ? error.stack : undefined;
  process.emitWarning(
    `kindling: an event listener threw on ${what}: ${String(error)} (its later errors are not reported)`,
    { type: 'Warning', code: 'KINDLING_LISTENER_THREW', ...(stack === undefined ? {} : { detail: stack }) },
  );
}
