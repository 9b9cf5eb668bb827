import { OptionsError } from './errors.js';
import { describeValue } from './describe-value.js';

/**
 * The one check every options object of kindling goes through before it is resolved (issue 14): a key that no
 * option has is refused, because plain JavaScript callers get no compiler to catch `{ thredas: 2 }`, and a typo
 * that is silently ignored leaves the user believing the option is in force.
 *
 * Contract, for every options type (new ones included):
 * - declare the names once with {@link optionNames}, so the compiler checks the list against the interface;
 * - call {@link refuseUnknownOptions} first thing in the function that resolves the options into a `Resolved…`
 *   value (STYLE.md: options resolved once), before any default is filled in or any resource is made;
 * - it throws `OptionsError` with code `ERR_OPTIONS_UNKNOWN` naming the unknown key, the closest known option by
 *   edit distance when one is close (`did you mean 'threads'?`) and the known options; and `ERR_OPTIONS_INVALID`
 *   when the options value is not a plain object.
 *
 * @example
 * const TEXT_FILE_OPTIONS = optionNames<TextFileOptions>({ minPartitions: true });
 * refuseUnknownOptions('textFile()', options, TEXT_FILE_OPTIONS);
 * // OptionsError: textFile(): unknown option 'minPartition': did you mean 'minPartitions'? (known options: minPartitions)
 */

/**
 * The option names of `T`, as a list. Takes an object with every key of `T` set to `true`: the compiler rejects
 * a missing or an extra name, so the list cannot drift from the interface.
 *
 * @example
 * const SAVE_OPTIONS = optionNames<SaveOptions>({ overwrite: true }); // ['overwrite']
 */
export function optionNames<T extends object>(names: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/**
 * Throws `OptionsError` unless `options` is undefined or a plain object whose own keys are all in `known`.
 * `label` says whose options these are, as the user wrote the call (`'new Context()'`, `'textFile()'`,
 * `'Context option speculation'`): it starts the message. Keys are checked whatever their value, `undefined`
 * included (`{ thredas: undefined }` is still a typo).
 *
 * @example
 * refuseUnknownOptions('new Context()', { thredas: 2 }, CONTEXT_OPTIONS);
 * // OptionsError ERR_OPTIONS_UNKNOWN: new Context(): unknown option 'thredas': did you mean 'threads'? (known options: …)
 */
export function refuseUnknownOptions(label: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new OptionsError(`${label}: options must be an object, found ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const names = unknown.map((key) => `'${key}'${didYouMean(key, known)}`);
  const knownList = known.length === 0 ? 'none' : known.join(', ');
  throw new OptionsError(
    `${label}: unknown option${unknown.length === 1 ? '' : 's'} ${names.join(', ')} (known options: ${knownList})`,
    'ERR_OPTIONS_UNKNOWN',
  );
}

/**
 * `: did you mean '<closest>'?` when `value` is a string close to one of `candidates` ({@link closestName}), else
 * `''`: the tail of a message about a misspelt name or value.
 *
 * @example
 * `found 'MEMORY_AND_DSK'${didYouMean('MEMORY_AND_DSK', ['MEMORY_ONLY', 'MEMORY_AND_DISK'])}`
 */
export function didYouMean(value: unknown, candidates: readonly string[]): string {
  const closest = typeof value === 'string' ? closestName(value, candidates) : null;
  return closest === null ? '' : `: did you mean '${closest}'?`;
}

/**
 * The candidate closest to `word` by edit distance (case-insensitive, a swap of two neighbours counting as one
 * edit), or null when none is close enough to be a likely typo: at most a third of the word's length, and at
 * least 1 and at most 3 edits. Ties go to the earlier candidate, so the answer is stable.
 *
 * @example
 * closestName('thredas', ['threads', 'seed']); // 'threads'
 * closestName('ui', ['threads', 'seed']);      // null
 */
export function closestName(word: string, candidates: readonly string[]): string | null {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours, each 1. */
export function editDistance(a: string, b: string): number {
  // Three rows of the dynamic-programming table: the swap looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, before[j - 2]! + 1);
      }
      current[j] = distance;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
