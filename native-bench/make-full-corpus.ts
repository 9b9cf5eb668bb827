#!/usr/bin/env node
/**
 * Generates (or finds) the corpus of `npm run bench` ahead of time, so the benchmark run itself starts at once, and
 * prints its directory:
 *
 *   node dist/native-bench/make-full-corpus.js [--quick] [--vocabulary N] [--bytes B]
 *
 * `--vocabulary N` makes a corpus with N distinct base words instead of 50,000 (e.g. 9,000 gives ~200 k distinct
 * words at 1 GiB: the smaller-vocabulary corpus of the word-count comparisons); `--bytes` overrides the size.
 */
import { parseArgs } from 'node:util';

import { ensureCorpus } from './corpus.js';
import { profileOf } from './profiles.js';

function main(): void {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      vocabulary: { type: 'string' },
      bytes: { type: 'string' },
    },
  });
  const profile = profileOf(values.quick ? 'quick' : 'full');
  const vocabularySize = integerOption('vocabulary', values.vocabulary);
  const bytes = integerOption('bytes', values.bytes) ?? profile.corpus.bytes;
  const corpus = ensureCorpus({
    ...profile.corpus,
    bytes,
    ...(vocabularySize === undefined ? {} : { vocabularySize }),
  });
  process.stdout.write(
    `${corpus.generated ? `generated in ${(corpus.generateMs / 1000).toFixed(1)} s` : 'reused'}: ${corpus.dir}\n`,
  );
}

/** The integer value of `--name`, undefined when absent; a usage error (exit 2, no stack) when it is not one. */
function integerOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 2) {
    process.stderr.write(`make-full-corpus: --${name} must be an integer >= 2, found '${text}'\n`);
    process.exit(2);
  }
  return n;
}

try {
  main();
} catch (error) {
  // parseArgs' own usage errors (an unknown option, a missing value): the message, not a stack.
  process.stderr.write(`make-full-corpus: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
