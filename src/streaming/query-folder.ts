import { mkdirSync } from 'node:fs';
import { errnoCode } from '../io/files/input-fs-error.js';

/**
 * Makes `path` a folder (parents included) unless it is one already: a query's checkpoint or file sink folder.
 * What stands in the way is handed to `refuse` as the end of a sentence ("found …") naming the path, so the caller
 * throws its own typed error: before this, a checkpoint path that was a file failed with Node's raw ENOTDIR stack,
 * and a sink path that was a file with a "corrupt checkpoint file" error about `<path>/_kindling_sink/metadata`.
 */
export function makeQueryFolder(path: string, refuse: (found: string, cause: unknown) => Error): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error: unknown) {
    const code = errnoCode(error);
    const found =
      code === 'EEXIST'
        ? `a file at ${path}`
        : code === 'ENOTDIR'
          ? `a file in the way of ${path} (one of its parent folders is a file)`
          : `that ${path} cannot be made a folder (${code ?? String(error)})`;
    throw refuse(found, error);
  }
}
