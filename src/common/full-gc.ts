/**
 * V8's full collection, for code that knows of dead buffers V8 does not count: the worker threads' kernels (whose
 * buffers grow without filling the young generation, `executor/worker/worker-gc.ts`) and the driver, which holds the
 * shared memory of results and map outputs the workers wrote (`api/context/driver-gc.ts`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8's `gc()`, taken without `--expose-gc` on the command line: the flag is on only while a new context is made, so
 * no user code sees a `gc` global. Undefined where V8 refuses (then nothing is collected early).
 *
 * @example
 * const gc = takeGc(); gc?.();
 */
export function takeGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
