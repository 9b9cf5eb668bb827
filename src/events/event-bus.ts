import { EVENT_LOG_VERSION, type KindlingEvent, type LoggedEvent } from './event-schema.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A consumer of stamped events (the log writer, the live UI, an `explainAnalyze` run). */
export type LoggedEventListener = (event: LoggedEvent) => void;

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
export class EventBus {
  /** Replaced, never changed in place, so `emit` loops over a plain array that a subscriber cannot change under it. */
  #listeners: readonly LoggedEventListener[] = [];
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
   * Stamps and delivers one event. A throwing listener is a bug in it: it must not fail the job that emitted.
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
    const logged = event as Mutable<LoggedEvent>;
    logged.v = EVENT_LOG_VERSION;
    logged.seq = this.#seq++;
    logged.timeMs = this.#nowMs();
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(logged);
      } catch (error: unknown) {
        process.emitWarning(`kindling: an event listener threw on ${event.kind}: ${String(error)}`);
      }
    }
  };

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: LoggedEventListener): () => void {
    const wasActive = this.active;
    this.#listeners = [...this.#listeners, listener];
    if (!wasActive) this.onActiveChange(true);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const at = this.#listeners.indexOf(listener);
      this.#listeners = [...this.#listeners.slice(0, at), ...this.#listeners.slice(at + 1)];
      if (!this.active) this.onActiveChange(false);
    };
  }
}
