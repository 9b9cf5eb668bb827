import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of kindling's own modules (`…/src` of this build): frames inside it are the engine's. */
const ENGINE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
/** Stack frames captured to find the caller: actions reach the scheduler through a dozen engine frames. */
const FRAMES_MAX = 40;

/**
 * Spark's job description: the action and the user's line that called it, `count at /app/job.js:12:7`, from the
 * stack of the call that submitted the job. The action is the outermost engine frame's function (`RDD.count` →
 * `count`). Only computed while an event listener is on: capturing a stack costs microseconds per job.
 *
 * @example
 * callSite(new Error().stack, fallbackLabel) // 'collect at file:///home/me/app.js:9:21'
 */
export function callSite(capture: () => string | undefined, fallback: string): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES_MAX;
  let stack: string | undefined;
  try {
    stack = capture();
  } finally {
    Error.stackTraceLimit = limit;
  }
  let action: string | null = null;
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const frame = /^\s*at (?:async )?(?:(.*?) \()?(.*?)\)?$/.exec(line);
    if (frame === null) continue;
    const [, name, location = ''] = frame;
    // `at async Promise.all (index 0)` and the like name no place.
    if (!/:\d+:\d+$/.test(location)) continue;
    const path = location.startsWith('file://') ? safePath(location) : location;
    if (path.startsWith(ENGINE_DIR) || location.startsWith('node:')) {
      if (name !== undefined && path.startsWith(ENGINE_DIR)) action = name.split('.').pop()!;
      continue;
    }
    return `${action ?? fallback} at ${location}`;
  }
  return action ?? fallback;
}

function safePath(location: string): string {
  try {
    return fileURLToPath(location.replace(/:\d+:\d+$/, ''));
  } catch {
    return location;
  }
}
