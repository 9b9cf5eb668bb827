import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errnoCode } from '../io/files/input-fs-error.js';

/**
 * Makes `path` a folder (parents included) unless it is one already: a query's checkpoint or file sink folder.
 * What stands in the way is handed to `refuse` as the end of a sentence ("found …") naming the path, so the caller
 * throws its own typed error: before this, a checkpoint path that was a file failed with Node's raw ENOTDIR stack,
 * and a sink path that was a file with a "corrupt checkpoint file" error about `<path>/_kindling_sink/metadata`.
 */
export function makeQueryFolder(path: string, refuse: (found: string, cause: unknown) => Error): void {
  try {
    makeFolders(resolve(path));
  } catch (error: unknown) {
    const code = errnoCode(error);
    const found =
      code === 'EEXIST'
        ? `a file at ${path}`
        : code === 'ENOTDIR'
          ? `a file in the way of ${path} (one of its parent folders is a file)`
          : code === 'ENOENT'
            ? `that ${path} cannot be made a folder: its parent folder exists but takes no new folders (ENOENT, as in /proc)`
            : `that ${path} cannot be made a folder (${code ?? String(error)})`;
    throw refuse(found, error);
  }
}

/**
 * `mkdir -p`, one level at a time from the deepest folder that exists. Not `mkdirSync(path, { recursive: true })`:
 * where a parent exists but refuses new entries with ENOENT (`/proc/self/x`), Node's recursive mkdir makes the
 * parent again, finds it, and retries the child forever (a checkpoint under /proc hung the query's start).
 */
function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let current = path; ; current = dirname(current)) {
    let isFolder: boolean;
    try {
      isFolder = statSync(current).isDirectory();
    } catch (error: unknown) {
      if (errnoCode(error) !== 'ENOENT' || dirname(current) === current) throw error;
      missing.push(current);
      continue;
    }
    if (isFolder) break;
    throw Object.assign(new Error(`${current} is a file`), { code: current === path ? 'EEXIST' : 'ENOTDIR' });
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error: unknown) {
      // Made meanwhile by another process (a file made meanwhile fails below, or at the next step's mkdir).
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
  }
  if (!statSync(path).isDirectory()) throw Object.assign(new Error(`${path} is a file`), { code: 'EEXIST' });
}
