/**
 * The file Piscina loads in each worker thread: CommonJS that imports the ES-module worker (`worker.ts`) with
 * `import()`. Why not the ES module itself: Piscina loads a task file with `require()` first, and on Node ≥ 20.19
 * `require()` of an ES module instantiates its graph synchronously; a thread terminated during that (for
 * instance by `kc.stop()` while a replacement thread is still starting) aborted the whole process with a V8 fatal
 * error (`v8::Module::IsGraphAsync must be used on an instantiated module`, piscina/dist/worker.js:70). `import()`
 * takes the asynchronous path, which a termination simply ends.
 */
import type { TaskDescriptor, TaskEndReason } from '../protocol/task.js';

type RunTask = (task: TaskDescriptor) => Promise<TaskEndReason>;

let loaded: Promise<RunTask> | undefined;

async function runTask(task: TaskDescriptor): Promise<TaskEndReason> {
  loaded ??= import('./worker.js').then((worker) => worker.default);
  return (await loaded)(task);
}

module.exports = runTask;
