// A TypeScript user's compiler reads every declaration file reachable from the package's `types` entry; with
// `skipLibCheck: false` (the compiler's default) a declaration that imports a package which is not installed is an
// error in the user's build. kindling's optional peers (the NATS client, pg) are installed only by users of the
// features that need them, so no declaration reachable from dist/src/index.d.ts may name them, or any package that
// is not a dependency: found by a new user whose `tsc` failed in jetstream-connection.d.ts without NATS installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  types: string;
  dependencies: Record<string, string>;
};

/**
 * Module specifiers of a declaration file: `import`/`export … from '…'`, side-effect imports, `import('…')` types and
 * `/// <reference types>` directives.
 * Comments are dropped first: the declarations keep their JSDoc, whose examples say "import … from 'kindling'".
 */
function specifiersOf(text: string): string[] {
  // A triple-slash directive names a package's types too, and is a comment to the rest of this scan.
  const found = [...text.matchAll(/^\s*\/\/\/\s*<reference\s+types=["']([^"']+)["']/gm)].map((match) => match[1]!);
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const statements =
    /^\s*(?:import|export)\s[^;'"]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const match of code.matchAll(statements)) found.push((match[1] ?? match[2] ?? match[3])!);
  return found;
}

/** The package a bare specifier names: `@scope/name` or `name` (a subpath dropped). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The declaration file a relative specifier of `from` resolves to, as tsc maps `.js`/`.cjs` to `.d.ts`/`.d.cts`. */
function declarationOf(from: string, specifier: string): string {
  const target = resolve(dirname(from), specifier);
  for (const candidate of [
    target.replace(/\.js$/, '.d.ts'),
    target.replace(/\.cjs$/, '.d.cts'),
    `${target}.d.ts`,
    join(target, 'index.d.ts'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${relative(ROOT, from)} imports '${specifier}', which resolves to no declaration file`);
}

test("the public declarations import no package that is not one of kindling's dependencies", () => {
  const entry = join(ROOT, PACKAGE.types);
  assert.ok(existsSync(entry), `${PACKAGE.types} is missing: run npm run build`);
  const allowed = new Set(Object.keys(PACKAGE.dependencies));
  const builtins = new Set(builtinModules);
  // Breadth-first from the entry, remembering how each file was reached, so a failure names the chain.
  const reachedFrom = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  const offending: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const next = declarationOf(file, specifier);
        if (!reachedFrom.has(next)) {
          reachedFrom.set(next, file);
          queue.push(next);
        }
        continue;
      }
      if (specifier.startsWith('node:') || builtins.has(specifier) || allowed.has(packageOf(specifier))) continue;
      const chain: string[] = [];
      for (let at: string | null = file; at !== null; at = reachedFrom.get(at)!) chain.unshift(relative(ROOT, at));
      offending.push(`'${specifier}' in ${chain.join(' -> ')}`);
    }
  }
  assert.ok(reachedFrom.size > 50, `only ${reachedFrom.size} declaration files reached from ${PACKAGE.types}`);
  assert.deepEqual(offending, [], `declarations a user's compiler reads import packages kindling does not install`);
});
