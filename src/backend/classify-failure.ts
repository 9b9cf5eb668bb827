import type { TaskEndReason } from '../protocol/task.js';

/**
 * Turns a rejection from the pool into a `TaskEndReason`. Piscina rejects (never retries) when the worker thread
 * under a task dies, runs out of heap, or the task is aborted (DESIGN.md pitfall 1); our executor itself never
 * throws, so anything else that rejects is the thread or the message channel failing.
 */
export function classifyPoolFailure(error: unknown, signal: AbortSignal | undefined): TaskEndReason {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (signal?.aborted || name === 'AbortError') {
    return { kind: 'killed', reason: String(signal?.reason ?? message) };
  }
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'out-of-memory', message };
  if (name === 'DataCloneError') {
    // The task's result could not be sent back: a value that structured clone refuses (a function, a symbol).
    return {
      kind: 'exception',
      name,
      message: `the task's result cannot be sent between threads: ${message}`,
      stack: undefined,
      code: undefined,
      userCode: true,
    };
  }
  return { kind: 'worker-lost', message };
}
