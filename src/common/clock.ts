/** Time, injected so that scheduling decisions and timeouts replay in tests (STYLE.md §6). */
export interface Clock {
  /** Milliseconds, monotonic, fractional. */
  nowMs(): number;
}

/** The real clock: `performance.now()`. */
export const systemClock: Clock = { nowMs: () => performance.now() };

/** Wall-clock time (`Date.now()`), for times that are recorded and shown: streaming batch times, rate rows. */
export const wallClock: Clock = { nowMs: () => Date.now() };
