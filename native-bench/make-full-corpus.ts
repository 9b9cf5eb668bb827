#!/usr/bin/env node
/**
 * Generates (or finds) the corpus of `npm run bench` ahead of time, so the benchmark run itself starts at once:
 *
 *   node dist/native-bench/make-full-corpus.js [--quick]
 */
import { ensureCorpus } from './corpus.js';
import { profileOf } from './profiles.js';

const profile = profileOf(process.argv.includes('--quick') ? 'quick' : 'full');
const corpus = ensureCorpus(profile.corpus);
process.stdout.write(
  `${corpus.generated ? `generated in ${(corpus.generateMs / 1000).toFixed(1)} s` : 'reused'}: ${corpus.dir}\n`,
);
