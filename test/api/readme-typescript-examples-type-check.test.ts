// Every ```ts example of README.md type-checks, under `strict`, against the package's published declarations
// (dist/src/index.d.ts, as `import … from 'kindling'` resolves for a user). A README example that no longer compiles
// is the first thing a new user meets: round 27 found the window example's `orderBy(col('day'))` refused by the
// types. Each block becomes the body of its own async function (so its `const kc = …` shadows the shared one and its
// top-level `await`s stay legal); its `import { … } from 'kindling'` lines are gathered into one import at the top; the
// few names a block uses without defining them (a Context `kc`, an RDD `counts`, arrays `keys` and `values`) are
// declared once, as the prose around those blocks defines them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const declarations = `${repository}dist/src/index.d.ts`;

/** Lines of each virtual module before its example's first line: the shared prelude and the function's header. */
const PRELUDE_LINES = 6;

interface Example {
  /** The README line of the block's opening fence. */
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of a Markdown text, each with the line of its fence. */
function typeScriptBlocks(markdown: string): Example[] {
  const examples: Example[] = [];
  const fence = /^```ts\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(markdown); match !== null; match = fence.exec(markdown)) {
    examples.push({ line: markdown.slice(0, match.index).split('\n').length, code: match[1]! });
  }
  return examples;
}

/** One virtual module per example, sharing one import of every name the examples import from 'kindling'. */
function examplesAsModules(examples: readonly Example[]): Map<string, string> {
  const imported = new Set(['Context', 'RDD']);
  const bodies = examples.map(({ line, code }) => {
    // An import line becomes an empty one, so that the example's lines keep their README line numbers.
    const kept = code.split('\n').map((text) => {
      const names = /^import \{([^}]*)\} from 'kindling';$/.exec(text.trim());
      if (names === null) return text;
      for (const name of names[1]!.split(',')) if (name.trim() !== '') imported.add(name.trim());
      return '';
    });
    return { line, body: kept.join('\n') };
  });
  const prelude = [
    `import { ${[...imported].join(', ')} } from 'kindling';`,
    'declare const kc: Context;',
    'declare const counts: RDD<[string, number]>;',
    'declare const keys: number[];',
    'declare const values: number[];',
  ].join('\n');
  // The prelude and the function's first line: PRELUDE_LINES lines before an example's first line.
  assert.equal(prelude.split('\n').length + 1, PRELUDE_LINES);
  return new Map(
    bodies.map(({ line, body }) => [
      `/readme/line-${line}.ts`,
      `${prelude}\nexport async function readmeExample(): Promise<void> {\n${body}\n}\n`,
    ]),
  );
}

const libraryFiles = new Map<string, ts.SourceFile | undefined>();

/** TypeScript's diagnostics for the modules, resolving 'kindling' to the built declarations. */
function typeCheck(modules: ReadonlyMap<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    typeRoots: [`${repository}node_modules/@types`],
    paths: { kindling: [declarations] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const text = modules.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, language);
    // The libraries' and the package's declarations, parsed once for both tests.
    if (!libraryFiles.has(name)) libraryFiles.set(name, getSourceFile.call(host, name, language, ...rest));
    return libraryFiles.get(name);
  };
  host.fileExists = (name) => modules.has(name) || fileExists.call(host, name);
  host.readFile = (name) => modules.get(name) ?? readFile.call(host, name);
  const program = ts.createProgram([...modules.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => whereInReadme(diagnostic) + ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

/** `README.md:<line>: ` for a diagnostic in an example, the file and line otherwise. */
function whereInReadme(diagnostic: ts.Diagnostic): string {
  if (diagnostic.file === undefined) return '';
  const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1;
  const fence = /^\/readme\/line-(\d+)\.ts$/.exec(diagnostic.file.fileName);
  if (fence === null || line <= PRELUDE_LINES) return `${diagnostic.file.fileName}:${line}: `;
  return `README.md:${Number(fence[1]) + line - PRELUDE_LINES}: `;
}

test("every TypeScript example of README.md type-checks against the package's declarations", () => {
  const examples = typeScriptBlocks(readFileSync(`${repository}README.md`, 'utf8'));
  assert.ok(examples.length >= 10, `expected README's ten or more ts examples, found ${examples.length}`);
  assert.deepEqual(typeCheck(examplesAsModules(examples)), []);
});

test('the check fails an example that misuses the API', () => {
  // The harness itself can fail: a wrong method and a wrong argument type are both reported, at their example.
  const broken = [{ line: 7, code: "const kc = new Context({ threads: 2 });\nkc.textFiles('x');\nkc.range('0', 5);" }];
  const found = typeCheck(examplesAsModules(broken));
  assert.equal(found.length, 2, found.join('\n'));
  assert.match(found[0]!, /^README\.md:9: Property 'textFiles' does not exist/);
  assert.match(found[1]!, /^README\.md:10: Argument of type 'string'/);
});
