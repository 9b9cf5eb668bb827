/** First wait between tries; it doubles up to `RETRY_WAIT_MS_MAX`. */
export const RETRY_WAIT_MS_FIRST = 100;
export const RETRY_WAIT_MS_MAX = 2_000;

/**
 * Runs `work` until it succeeds, retrying (with doubling waits) errors that `isTransient` accepts while `retryMs`
 * has not passed; any other error, or a transient one past the deadline, is thrown. `afterFailure` runs after each
 * failed try (to drop a connection that is gone). For the outside world (a database or a broker restarting), never
 * for our own invariants.
 *
 * @example
 * await retryWithBackoff(30_000, () => client.query('COMMIT PREPARED …'), isConnectionError);
 */
export async function retryWithBackoff<T>(
  retryMs: number,
  work: () => Promise<T>,
  isTransient: (error: unknown) => boolean,
  afterFailure: () => Promise<void> = () => Promise.resolve(),
): Promise<T> {
  const deadlineMs = performance.now() + retryMs;
  let waitMs = RETRY_WAIT_MS_FIRST;
  for (;;) {
    try {
      return await work();
    } catch (error: unknown) {
      await afterFailure();
      if (!isTransient(error) || performance.now() + waitMs > deadlineMs) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    waitMs = Math.min(waitMs * 2, RETRY_WAIT_MS_MAX);
  }
}
