// Shared helpers of the word-count CLI tests: run the compiled CLI, count words independently, temp dirs.
// (node --test also loads this file; it declares no tests.)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Rng } from '../../src/common/rng.js';

/** The compiled CLI, as npm's bin runs it (this file is dist/test/examples/word-count-fixtures.js). */
export const CLI_PATH = fileURLToPath(new URL('../../examples/word-count/cli.js', import.meta.url));

/** The shipped sample corpus, in the source tree. */
export const SAMPLE_DIR = fileURLToPath(new URL('../../../examples/word-count/sample', import.meta.url));

/** What a CLI run left behind. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node cli.js ...args` to the end; its stderr is not a TTY, so no progress line is drawn. */
export function runCli(args: readonly string[], options: { cwd?: string } = {}): CliResult {
  const env = { ...process.env };
  delete env['KINDLING_DEBUG'];
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Options of the reference count, mirroring the CLI's `--lower` and `--min-length`. */
export interface ReferenceOptions {
  readonly lower?: boolean;
  readonly minLength?: number;
}

/**
 * Counts words without the engine: each whole file read at once, split on `/\s+/u`, counted in a Map. Lengths are
 * Unicode code points (`[...word].length`), after lower-casing.
 */
export function referenceCounts(files: readonly string[], options: ReferenceOptions = {}): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) {
    for (const token of readFileSync(file, 'utf8').split(/\s+/u)) {
      if (token === '') continue;
      const word = options.lower === true ? token.toLowerCase() : token;
      if ([...word].length < (options.minLength ?? 1)) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/** Count descending, then word ascending by UTF-16 code units (`<`), as the CLI promises. */
export function byFrequency(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** `word<TAB>count` lines, each ending in `\n`, as `--top` prints them. */
export function tsv(pairs: readonly (readonly [string, number])[]): string {
  return pairs.map(([word, count]) => `${word}\t${count}\n`).join('');
}

/** Temporary directories (see test/support/temp-dir.ts for when they are removed). */
export { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/**
 * Words that probe the edges of "a maximal run of non-whitespace": astral characters (a UTF-16 length of 2 per
 * character, so code point and code unit lengths differ), characters whose lower case is longer (`İ`), order by code
 * units rather than code points (`😀` sorts before `ｆ`), and non-ASCII whitespace around them.
 */
const EDGE_WORDS = [
  '😀',
  '😀😀',
  'a😀',
  '😀😀😀',
  '日本',
  '日本語',
  'İ',
  'İstanbul',
  'ｆｕｌｌ',
  'é',
  'É',
  'Straße',
  'ΣΟΦΊΑ',
  'x',
  'X',
];
/** Whitespace of every kind JavaScript's `\s` knows, and line ends of every kind the engine's line reader knows. */
const SEPARATORS = [
  ' ',
  ' ',
  ' ',
  '\t',
  '  ',
  '\u00a0',
  '\u3000',
  '\u2028',
  '\u2003',
  '\v',
  '\f',
  '\n',
  '\r\n',
  '\r',
  '\n\n',
];

/**
 * Writes a file of random edge-case words and separators (about `chars` characters): a leading BOM, no final line
 * end, and one line far longer than any split.
 */
export function writeEdgeCaseFile(path: string, rng: Rng, chars: number): void {
  const parts: string[] = ['\uFEFF'];
  let length = 0;
  const pick = <T>(items: readonly T[]): T => items[rng.nextInt(items.length)]!;
  while (length < chars) {
    const word = rng.nextInt(50) === 0 ? 'long '.repeat(2000).trim() : pick(EDGE_WORDS);
    const separator = pick(SEPARATORS);
    parts.push(word, separator);
    length += word.length + separator.length;
  }
  parts.push('end');
  writeFileSync(path, parts.join(''));
}

/** True when the stderr text is exactly one line starting with `kindling-wordcount: `. */
export function isOneErrorLine(stderr: string): boolean {
  return /^kindling-wordcount: [^\n]+\n$/.test(stderr);
}
