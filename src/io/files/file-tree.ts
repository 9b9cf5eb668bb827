/**
 * Whole directory trees of output files, moved or linked file by file: how a partitioned task's folders join the
 * job's staging directory, and how `append` carries the files already published into the new output.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { errnoCode } from './input-fs-error.js';
import { fsStep } from './output-fs.js';

/**
 * Paths, relative to `dir` and sorted, of the files under it (at any depth) whose every path segment `keep` accepts.
 *
 * @example
 * filesUnder('/out/sales'); // ['_SUCCESS', 'day=2024-01-01/part-00000.parquet', …]
 */
export function filesUnder(dir: string, keep: (name: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const entries = fsStep(join(dir, rel), 'listing it', () => readdirSync(join(dir, rel), { withFileTypes: true }));
    for (const entry of entries) {
      if (!keep(entry.name)) continue;
      const path = rel === '' ? entry.name : join(rel, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Moves every file under `from` to the same relative path under `to` (creating folders), one rename each.
 *
 * @example
 * moveTreeInto('/out/.staging/_temporary/attempt-0-0/part-00000.csv', '/out/.staging');
 */
export function moveTreeInto(from: string, to: string): void {
  for (const rel of filesUnder(from)) {
    const target = join(to, rel);
    fsStep(dirname(target), 'creating a partition folder', () => mkdirSync(dirname(target), { recursive: true }));
    fsStep(join(from, rel), `moving it to ${target}`, () => renameSync(join(from, rel), target));
  }
}

/**
 * Hard-links (or, where the file system refuses links, copies) every file under `from` that `keep` accepts to the
 * same relative path under `to`. The originals stay where they are.
 *
 * @example
 * linkTreeInto('/out/sales', '/out/.sales.kindling-staging-…', (name) => name !== '_SUCCESS');
 */
export function linkTreeInto(from: string, to: string, keep: (name: string) => boolean): void {
  for (const rel of filesUnder(from, keep)) {
    const source = join(from, rel);
    const target = join(to, rel);
    fsStep(dirname(target), 'creating a partition folder', () => mkdirSync(dirname(target), { recursive: true }));
    fsStep(source, `carrying it into ${target}`, () => {
      try {
        linkSync(source, target);
      } catch (error) {
        const code = errnoCode(error);
        if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
        copyFileSync(source, target);
      }
    });
  }
}
