#!/usr/bin/env node
/**
 * Writes a synthetic corpus for the word count (see generate-corpus.ts). The shipped sample was made with
 *
 *   node dist/examples/word-count/make-corpus.js examples/word-count/sample --bytes 2MiB --files 4 --seed 2024
 */
import { parseArgs } from 'node:util';

import { formatBytes, parseByteSize } from './byte-size.js';
import { generateCorpusFiles } from './generate-corpus.js';

const USAGE = `Usage: make-corpus <dir> [--bytes SIZE] [--files N] [--seed N] [--vocabulary N]

Writes <dir>/part-1.txt … part-N.txt, SIZE bytes in all (default 2MiB; units KiB, MiB, GiB),
Zipf-distributed words from a vocabulary of N words (default 50000), deterministic for a seed (default 1).`;

function fail(message: string): never {
  process.stderr.write(`make-corpus: ${message}\n`);
  process.exit(2);
}

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    fail(`--${name} expects an integer >= ${min}, found '${text}'`);
  }
  return value;
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        bytes: { type: 'string' },
        files: { type: 'string' },
        seed: { type: 'string' },
        vocabulary: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail(`expected one output directory, found ${positionals.length} arguments`);
  const bytes = values.bytes === undefined ? 2 * 1024 ** 2 : parseByteSize(values.bytes);
  if (bytes === null) fail(`--bytes expects a size like 1048576, 2MiB or 1GiB, found '${values.bytes}'`);
  const files = integer('files', values.files, 1, 1);
  const seed = integer('seed', values.seed, 1, 0);
  const vocabularySize = integer('vocabulary', values.vocabulary, 50_000, 2);
  const startedMs = performance.now();
  const paths = generateCorpusFiles(positionals[0]!, { bytes, files, seed, vocabularySize });
  const seconds = (performance.now() - startedMs) / 1000;
  process.stderr.write(
    `Wrote ${formatBytes(bytes)} in ${paths.length} files to ${positionals[0]} in ${seconds.toFixed(1)} s\n`,
  );
}

main();
