/**
 * The file Piscina loads in each worker thread: CommonJS that imports the ES-module worker (`worker.ts`) with
 * `import()`. Why not the ES module itself: Piscina loads a task file with `require()` first, and on Node ≥ 20.19
 * `require()` of an ES module instantiates its graph synchronously; a thread terminated during that (for
 * instance by `kc.stop()` while a replacement thread is still starting) aborted the whole process with a V8 fatal
 * error (`v8::Module::IsGraphAsync must be used on an instantiated module`, piscina/dist/worker.js:70). `import()`
 * takes the asynchronous path, which a termination simply ends.
 *
 * The import starts as the thread starts, not at its first task (issue 11): a thread of a new Context loads its
 * modules while the driver plans the first job. Piscina awaits the `default` of what this file exports before it
 * reports the thread ready (piscina/dist/worker.js, getHandler), so the export is the promise of the task function:
 * a thread is ready only once its modules are loaded, and its first task never waits for them. An import that fails
 * ends the thread before it is ready, which the pool reports as a start-up failure (backend/piscina-backend.ts).
 */
import type { TaskDescriptor, TaskEndReason } from '../../protocol/task.js';

type RunTask = (task: TaskDescriptor) => Promise<TaskEndReason>;

const loaded: Promise<RunTask> = import('./worker.js').then((worker) => worker.default);

module.exports = loaded;
