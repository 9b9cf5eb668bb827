/**
 * The seeded text corpus of the word-count benchmarks: generated once by the word-count example's generator
 * (`examples/word-count/generate-corpus.ts`, Zipf-distributed vocabulary) into `os.tmpdir()` and reused by later
 * runs. The directory name and completion marker are those of `examples/word-count/measure.ts`, so both share one
 * corpus.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateCorpusFiles } from '../examples/word-count/generate-corpus.js';

/** Written last into the corpus directory: without it, a generation was interrupted. `_` hides it from textFile. */
const COMPLETE_MARKER = '_COMPLETE';

/** Options of {@link ensureCorpus}. */
export interface CorpusSpec {
  /** Total size of the corpus, in bytes. */
  readonly bytes: number;
  /** Number of files the bytes are spread over. */
  readonly files: number;
  /** Seed of the vocabulary and the word streams. */
  readonly seed: number;
  /**
   * Distinct base words of the vocabulary (capitalization and punctuation multiply the distinct words by ~20).
   * Default: the generator's 50,000, which gives ~1.15 M distinct words at 1 GiB.
   */
  readonly vocabularySize?: number;
}

/** A corpus on disk. */
export interface Corpus {
  readonly dir: string;
  /** The files, `part-1.txt …`, in order. */
  readonly paths: readonly string[];
  /** Whether this call wrote it (false: reused). */
  readonly generated: boolean;
  /** Time spent generating, in ms (0 when reused). */
  readonly generateMs: number;
}

/**
 * The corpus of `spec` in `os.tmpdir()`, generated unless a complete one is already there.
 *
 * @example
 * const { paths } = ensureCorpus({ bytes: 1024 ** 3, files: 8, seed: 1 });
 */
export function ensureCorpus(spec: CorpusSpec): Corpus {
  const vocabulary = spec.vocabularySize === undefined ? '' : `-vocab${spec.vocabularySize}`;
  const dir = join(tmpdir(), `kindling-wordcount-corpus-${spec.bytes}-${spec.files}-seed${spec.seed}${vocabulary}`);
  const paths = Array.from({ length: spec.files }, (_, i) => join(dir, `part-${i + 1}.txt`));
  if (existsSync(join(dir, COMPLETE_MARKER)) && paths.every((p) => existsSync(p))) {
    return { dir, paths, generated: false, generateMs: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  const startedMs = performance.now();
  const written = generateCorpusFiles(dir, {
    bytes: spec.bytes,
    files: spec.files,
    seed: spec.seed,
    ...(spec.vocabularySize === undefined ? {} : { vocabularySize: spec.vocabularySize }),
  });
  writeFileSync(join(dir, COMPLETE_MARKER), '');
  const listed = readdirSync(dir).filter((name) => name.startsWith('part-'));
  if (listed.length !== spec.files)
    throw new Error(`corpus: expected ${spec.files} files in ${dir}, found ${listed.length}`);
  return { dir, paths: written, generated: true, generateMs: performance.now() - startedMs };
}

/**
 * The first whole lines of `path`, at most `bytes` bytes of them (cut after the last `\n`), in a fresh buffer.
 *
 * @example
 * const text = readLeadingLines(paths[0], 4 * 1024 * 1024);
 */
export function readLeadingLines(path: string, bytes: number): Uint8Array {
  const buffer = new Uint8Array(bytes);
  const fd = openSync(path, 'r');
  let filled = 0;
  try {
    while (filled < bytes) {
      const n = readSync(fd, buffer, filled, bytes - filled, filled);
      if (n === 0) break;
      filled += n;
    }
  } finally {
    closeSync(fd);
  }
  let end = filled;
  while (end > 0 && buffer[end - 1] !== 0x0a) end--;
  return buffer.subarray(0, end);
}
