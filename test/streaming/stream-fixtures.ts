/**
 * Shared by the streaming tests: a seeded input folder of word files, the streaming word-count CLI run as a child
 * process (so it can be killed with SIGKILL for real), and readers of what its sink committed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/common/rng.js';
import { makeTempDir } from '../support/temp-dir.js';

/** The compiled CLI (tests run from dist/test/streaming/). */
export const STREAM_CLI = fileURLToPath(new URL('../../examples/stream-word-count/cli.js', import.meta.url));

/** A fresh temporary folder (see test/support/temp-dir.ts for when it is removed). */
export { makeTempDir as freshDir } from '../support/temp-dir.js';

/**
 * Writes `files` files of `linesPerFile` lines of seeded words into `dir`, with modification times one second apart
 * (oldest first), so the file source takes them in the same order in every run.
 */
export function writeWordFiles(dir: string, seed: number, files: number, linesPerFile: number): void {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const base = Date.UTC(2026, 0, 1) / 1000;
  for (let f = 0; f < files; f++) {
    const lines: string[] = [];
    for (let l = 0; l < linesPerFile; l++) {
      const words = 1 + Math.floor(rng.nextFloat() * 8);
      const line: string[] = [];
      for (let w = 0; w < words; w++) line.push(`w${Math.floor(rng.nextFloat() * rng.nextFloat() * 300)}`);
      lines.push(line.join(rng.nextFloat() < 0.2 ? '  ' : ' '));
    }
    const path = join(dir, `part-${String(f).padStart(3, '0')}.txt`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    utimesSync(path, base + f, base + f);
  }
}

/** Writes `files` (name → content) into a fresh input folder, a second apart so the source takes them in order. */
export function inputFolder(prefix: string, files: Record<string, string | Buffer>): string {
  const input = join(makeTempDir(prefix), 'in');
  mkdirSync(input);
  const base = Date.UTC(2026, 0, 1) / 1000;
  Object.entries(files).forEach(([name, content], i) => {
    writeFileSync(join(input, name), content);
    utimesSync(join(input, name), base + i, base + i);
  });
  return input;
}

/** Word counts of every file in `dir`, counted directly. */
export function countWordsDirectly(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of readdirSync(dir)) {
    for (const word of readFileSync(join(dir, name), 'utf8').split(/\s+/)) {
      if (word.length > 0) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/** Everything the sink committed, batch by batch in order, part files in order: what must be byte-identical. */
export function committedOutput(out: string): string {
  if (!existsSync(out)) return '';
  const batches = readdirSync(out)
    .filter((name) => /^batch=\d+$/.test(name))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  return batches
    .map((batch) => {
      const parts = readdirSync(join(out, batch)).sort();
      return parts.map((part) => `== ${batch}/${part}\n${readFileSync(join(out, batch, part), 'utf8')}`).join('');
    })
    .join('');
}

/** The final count of each word from `update`-mode output: the last value written for it, in batch order. */
export function finalCountsOf(output: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (line.length === 0 || line.startsWith('== ')) continue;
    const [word, count] = JSON.parse(line) as [string, number];
    counts.set(word, count);
  }
  return counts;
}

/** How a child ended. */
export interface ChildEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly durationMs: number;
}

/** Runs the streaming word count; with `killAfterMs`, kills it with SIGKILL after that long if still running. */
export function runStreamWordCount(args: readonly string[], killAfterMs: number | null = null): Promise<ChildEnd> {
  return runNodeScript(STREAM_CLI, [...args, '--quiet'], killAfterMs);
}

let childTmpDir: string | undefined;

/** Runs `script` with node; with `killAfterMs`, kills it with SIGKILL after that long if still running. */
export function runNodeScript(
  script: string,
  args: readonly string[],
  killAfterMs: number | null = null,
): Promise<ChildEnd> {
  const startedMs = performance.now();
  return new Promise((resolve, reject) => {
    // The child's OS temp folder is one of this file's temp directories: what a child killed with SIGKILL leaves
    // there (its Context's spill folder) is removed with it, when this file's tests end and the child is dead.
    childTmpDir ??= makeTempDir('child-tmp');
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TMPDIR: childTmpDir },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      resolve({ code, signal, stderr, durationMs: performance.now() - startedMs });
    });
  });
}

/** The folders of one run of the query. */
export interface QueryDirs {
  readonly input: string;
  readonly out: string;
  readonly checkpoint: string;
}

/** The CLI arguments of the word count the kill tests run. */
export function wordCountArgs(dirs: QueryDirs, extra: readonly string[] = [], threads = 2): string[] {
  return [
    dirs.input,
    '--out',
    dirs.out,
    '--checkpoint',
    dirs.checkpoint,
    '--available-now',
    '--max-files-per-trigger',
    '2',
    '--threads',
    String(threads),
    '--state-partitions',
    '3',
    '--snapshot-every',
    '3',
    '--retain',
    '2',
    ...extra,
  ];
}
