/**
 * The row executor's shuffle and block reading, loaded by a thread before its first task that shuffles or reads
 * cached blocks (`row-kinds-loader.ts`, issue 11): what a thread that only ever ran, say, a `range().count()` need
 * not hold.
 */
export { writeShuffle } from '../shuffle/shuffle-write.js';
export { writeSortedRun } from '../shuffle/sorted-run-write.js';
export { readShuffle } from '../shuffle/shuffle-read.js';
export { fetchShuffleTables, forgetReleasedShuffles } from '../shuffle/shuffle-input.js';
export { readBlocks } from '../shuffle/read-blocks.js';
