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

/** Where the scheduler reports task starts and successful ends as numbers (the {@link EventBus} while active). */
export interface TaskFactSink {
  taskStarted(
    jobId: number,
    stageId: number,
    taskId: number,
    partition: number,
    attempt: number,
    speculative: boolean,
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
  ): void {
    if (this.#listeners.length === 0) return;
    if (this.#facts.full) this.flushTaskFacts();
    this.#facts.start(this.#seq++, this.#nowMs(), jobId, stageId, taskId, partition, attempt, speculative);
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
  ): void {
    if (this.#listeners.length === 0) return;
    if (this.#facts.full) this.flushTaskFacts();
    const seq = this.#seq++;
    this.#facts.end(seq, this.#nowMs(), jobId, stageId, taskId, partition, attempt, speculative, durationMs, counters);
    if (this.#objectListeners.length > 0) this.#deliverLastFact();
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
          process.emitWarning(`kindling: an event listener threw on task events: ${String(error)}`);
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
    process.emitWarning(`kindling: an event listener threw on ${event.kind}: ${String(error)}`);
  }
}
