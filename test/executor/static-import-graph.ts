/** The static import graph of a built module, for tests that check what a worker thread loads before its first task. */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';

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
