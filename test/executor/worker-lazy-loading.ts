/** What the tests of a worker thread's lazy loading share: the static import graph of a built module, a small RDD job. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';

import type { Context } from '../../src/index.js';

const SRC_DIR = fileURLToPath(new URL('../../src/', import.meta.url));

/** The modules a file loads before any of its code runs: its static imports and re-exports, transitively. */
export function staticImportGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const program = parse(readFileSync(file, 'utf8'), { ecmaVersion: 'latest', sourceType: 'module' });
    for (const statement of program.body) {
      const source =
        statement.type === 'ImportDeclaration' ||
        statement.type === 'ExportAllDeclaration' ||
        statement.type === 'ExportNamedDeclaration'
          ? statement.source?.value
          : undefined;
      if (typeof source !== 'string') continue;
      if (source.startsWith('.')) pending.push(resolve(dirname(file), source));
      else packages.add(source);
    }
  }
  return { files: [...files].map((file) => relative(SRC_DIR, file)), packages: [...packages] };
}

/** Writes a small text file at `path` and checks an RDD word count of it (a text split, a shuffle write and read). */
export async function checkSmallWordCount(kc: Context, path: string): Promise<void> {
  writeFileSync(path, 'a b a\nc a b\n\nb a\n'.repeat(50));
  const counts = await kc
    .textFile(path, { minPartitions: 3 })
    .flatMap((line: string) => line.split(/\s+/).filter((w) => w !== ''))
    .map((w: string): [string, number] => [w, 1])
    .reduceByKey((a: number, b: number) => a + b, 2)
    .collect();
  assert.deepEqual(counts.toSorted(), [
    ['a', 200],
    ['b', 150],
    ['c', 50],
  ]);
}
