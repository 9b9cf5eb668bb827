// Issue 11: `import 'kindling'` must not load apache-arrow (~10 MiB of an idle Context's driver) or hyparquet; they
// load on first use (storage/arrow/arrow-module.ts, io/parquet-modules.ts, a dynamic import()). A static value import of
// either anywhere in src/ breaks that silently: the runtime check in test/api/loads-arrow-and-parquet-only-when-
// used.test.ts asks arrow-module.ts, which does not see another module's import (a value import of apache-arrow's
// DataType in a new file raised the idle Context from 81 to 88–93 MiB, and that test passed). The compiled
// JavaScript keeps value imports only (type imports are erased), so it is the thing to read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST_SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const STATIC_IMPORT =
  /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"](apache-arrow|hyparquet|hyparquet-writer)(?:\/[^'"]*)?['"]/ms;

function javascriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return javascriptFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

test('no compiled module of src/ imports apache-arrow or hyparquet statically', () => {
  const files = javascriptFiles(DIST_SRC);
  assert.ok(files.length > 100, `expected the compiled sources under ${DIST_SRC}`);
  const offenders = files
    .filter((file) =>
      readFileSync(file, 'utf8')
        .split(/\n(?=import|export)/)
        .some((part) => STATIC_IMPORT.test(part)),
    )
    .map((file) => relative(DIST_SRC, file));
  assert.deepEqual(
    offenders,
    [],
    'these modules load apache-arrow or hyparquet at import; use a type import or load it on demand',
  );
});

test('the check sees a static import, a multi-line one, and lets type-free dynamic imports pass', () => {
  assert.ok(STATIC_IMPORT.test("import { DataType } from 'apache-arrow';"));
  assert.ok(STATIC_IMPORT.test("import {\n  tableFromIPC,\n  Table,\n} from 'apache-arrow/ipc/serialization';"));
  assert.ok(STATIC_IMPORT.test("export { parquetRead } from 'hyparquet';"));
  assert.ok(!STATIC_IMPORT.test("const arrow = await import('apache-arrow');"));
  assert.ok(!STATIC_IMPORT.test("requireEsm(import.meta.resolve('apache-arrow'));"));
});
